// The hardware fingerprint a latency table carries: what the CPU is (model, ISA, caches) and what
// it measurably does (FP32 FMA peak and memory bandwidth per thread count, hence the ridge point).
#pragma once
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace uibnas::latency {

struct ThreadPeaks {
  int threads = 1;
  double gmacs = 0;          // FP32 FMA throughput, register-only loop, GMAC/s (1 FMA lane = 1 MAC)
  double bandwidth_gbs = 0;  // streaming read bandwidth over a buffer well beyond the caches, GB/s
  double ridge_point() const { return bandwidth_gbs > 0 ? gmacs / bandwidth_gbs : 0; }  // MACs/byte
};

struct HardwareInfo {
  std::string cpu_model;
  std::string vendor;
  int logical_cpus = 0;
  std::vector<std::string> isa;          // the flags that matter for kernels (sse4_2, avx2, fma, avx512f, ...)
  std::string kernel_isa;                // which microkernels this binary runs here ("avx512f" or "generic")
  std::map<std::string, std::string> kernels;  // kernel family -> the kernel it runs (empty in older tables)
  long long l1d_bytes = 0, l2_bytes = 0, l3_bytes = 0;
  std::vector<ThreadPeaks> peaks;        // measured for 1..max threads
  const ThreadPeaks* at(int threads) const;
};

// What the CPU says about itself (no measurement).
HardwareInfo describe_cpu();
// describe_cpu() plus microbenchmarks for 1..max_threads threads; `seconds` per measurement.
HardwareInfo measure_hardware(int max_threads, double seconds);

// Whether two fingerprints describe the same kind of CPU running the same kernels: CPU model, vendor,
// logical CPUs, caches and kernel ISA equal (measured peaks are not compared: they drift with load).
// Returns what differs first ("L3 307200 KiB vs 266240 KiB"), or an empty string for the same CPU.
std::string cpu_difference(const HardwareInfo& a, const HardwareInfo& b);

// Register-only FMA loop on `threads` threads: GMAC/s. Exposed for tests.
double measure_fma_gmacs(int threads, double seconds);
// Read bandwidth over `bytes` on `threads` threads: GB/s.
double measure_read_bandwidth_gbs(int threads, double seconds, std::size_t bytes);

nlohmann::json hardware_to_json(const HardwareInfo& hw);
HardwareInfo hardware_from_json(const nlohmann::json& j, const std::string& source);

}  // namespace uibnas::latency
