// The hardware fingerprint a latency table carries: what the CPU is (model, ISA, caches) and what
// it measurably does (FP32 FMA peak and memory bandwidth per thread count, hence the ridge point).
#pragma once
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "latency/cpu_sysfs.hpp"
#include "latency/cpuinfo.hpp"

namespace uibnas::latency {

struct ThreadPeaks {
  int threads = 1;
  double gmacs = 0;          // FP32 FMA throughput, register-only loop, GMAC/s (1 FMA lane = 1 MAC)
  double bandwidth_gbs = 0;  // streaming read bandwidth over a buffer well beyond the caches, GB/s
  double ridge_point() const { return bandwidth_gbs > 0 ? gmacs / bandwidth_gbs : 0; }  // MACs/byte
};

struct HardwareInfo {
  std::string cpu_model;                 // x86: "model name"; aarch64: core_summary ("4x Cortex-A72")
  std::string vendor;                    // x86: vendor_id; aarch64: the implementers ("Arm", "Qualcomm")
  int logical_cpus = 0;
  std::vector<std::string> isa;          // the flags that matter for kernels (avx2, avx512f, ...; asimd, sve, ...)
  std::string kernel_isa;                // which microkernels this binary runs here ("avx512f" or "generic")
  std::map<std::string, std::string> kernels;  // kernel family -> the kernel it runs (empty in older tables)
  long long l1d_bytes = 0, l2_bytes = 0, l3_bytes = 0;
  std::vector<ThreadPeaks> peaks;        // measured for 1..max threads
  // Optional (older tables and x86 VMs have none): per core its ARM part and frequencies where
  // known, the thermal zones when described, and the CPUs the process may run on when that is
  // fewer than all (--cpus, taskset).
  std::vector<CoreInfo> cores;
  std::vector<ThermalReading> thermal;
  std::vector<int> allowed_cpus;
  const ThreadPeaks* at(int threads) const;
};

// Where describe_cpu reads; tests point them at captured texts and fake trees.
struct CpuSources {
  std::string cpuinfo = "/proc/cpuinfo";
  std::string sys_root = kSysRoot;
};

// What the CPU says about itself (no measurement).
HardwareInfo describe_cpu(const CpuSources& sources = {});
// describe_cpu's fields that come from the cpuinfo text (model, vendor, ISA, cores).
void describe_cpuinfo(const CpuinfoText& cpuinfo, HardwareInfo& hw);
// describe_cpu() plus microbenchmarks for 1..max_threads threads; `seconds` per measurement.
HardwareInfo measure_hardware(int max_threads, double seconds, const CpuSources& sources = {});

// Whether two fingerprints describe the same kind of CPU running the same kernels: CPU model, vendor,
// logical CPUs, ARM core list, caches and kernel ISA equal (measured peaks, frequencies and
// temperatures are not compared: they drift with load and heat).
// Returns what differs first ("L3 307200 KiB vs 266240 KiB"), or an empty string for the same CPU.
std::string cpu_difference(const HardwareInfo& a, const HardwareInfo& b);

// Register-only FMA loop on `threads` threads: GMAC/s. Exposed for tests.
double measure_fma_gmacs(int threads, double seconds);
// Read bandwidth over `bytes` on `threads` threads: GB/s.
double measure_read_bandwidth_gbs(int threads, double seconds, std::size_t bytes);

nlohmann::json hardware_to_json(const HardwareInfo& hw);
HardwareInfo hardware_from_json(const nlohmann::json& j, const std::string& source);
// Thermal readings as hardware_to_json writes them (also a table's reading at the end of profiling).
nlohmann::json thermal_to_json(const std::vector<ThermalReading>& readings);
std::vector<ThermalReading> thermal_from_json(const nlohmann::json& j);

}  // namespace uibnas::latency
