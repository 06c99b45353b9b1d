#include "latency/hardware.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "common/error.hpp"
#include "runtime/kernels/kernel_config.hpp"

namespace uibnas::latency {
namespace {

std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

long long parse_cache_size(const std::string& text) {  // "48K", "2048K", "32M"
  if (text.empty()) return 0;
  long long v = std::atoll(text.c_str());
  const char unit = text.back();
  if (unit == 'K') v *= 1024;
  else if (unit == 'M') v *= 1024 * 1024;
  return v;
}

}  // namespace

const ThreadPeaks* HardwareInfo::at(int threads) const {
  for (const auto& p : peaks)
    if (p.threads == threads) return &p;
  return nullptr;
}

std::string cpu_difference(const HardwareInfo& a, const HardwareInfo& b) {
  auto kib = [](long long bytes) { return std::to_string(bytes / 1024) + " KiB"; };
  if (a.vendor != b.vendor) return "vendor " + a.vendor + " vs " + b.vendor;
  if (a.cpu_model != b.cpu_model) return "CPU model '" + a.cpu_model + "' vs '" + b.cpu_model + "'";
  if (a.logical_cpus != b.logical_cpus)
    return std::to_string(a.logical_cpus) + " vs " + std::to_string(b.logical_cpus) + " logical CPUs";
  if (a.kernel_isa != b.kernel_isa) return a.kernel_isa + " vs " + b.kernel_isa + " kernels";
  if (a.l1d_bytes != b.l1d_bytes) return "L1d " + kib(a.l1d_bytes) + " vs " + kib(b.l1d_bytes);
  if (a.l2_bytes != b.l2_bytes) return "L2 " + kib(a.l2_bytes) + " vs " + kib(b.l2_bytes);
  if (a.l3_bytes != b.l3_bytes) return "L3 " + kib(a.l3_bytes) + " vs " + kib(b.l3_bytes);
  return "";
}

HardwareInfo describe_cpu() {
  HardwareInfo hw;
  hw.logical_cpus = int(std::max(1u, std::thread::hardware_concurrency()));
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  std::set<std::string> flags;
  while (std::getline(cpuinfo, line)) {
    auto value = [&] { auto p = line.find(':'); return p == std::string::npos ? std::string() : line.substr(p + 2); };
    if (hw.cpu_model.empty() && line.rfind("model name", 0) == 0) hw.cpu_model = value();
    if (hw.vendor.empty() && line.rfind("vendor_id", 0) == 0) hw.vendor = value();
    if (flags.empty() && line.rfind("flags", 0) == 0) {
      std::istringstream ss(value());
      std::string f;
      while (ss >> f) flags.insert(f);
    }
  }
  for (const char* f : {"sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512dq", "avx512bw", "avx512vl",
                        "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16"})
    if (flags.count(f)) hw.isa.push_back(f);
  for (int index = 0; index < 8; ++index) {
    const std::string dir = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index) + "/";
    const std::string level = read_first_line(dir + "level"), type = read_first_line(dir + "type");
    if (level.empty()) break;
    const long long size = parse_cache_size(read_first_line(dir + "size"));
    if (level == "1" && type == "Data") hw.l1d_bytes = size;
    if (level == "2") hw.l2_bytes = size;
    if (level == "3") hw.l3_bytes = size;
  }
  // The same object the kernel entry points call through, so the record is what runs.
  const runtime::kernels::KernelConfigs& configs = runtime::kernels::kernel_configs();
  hw.kernel_isa = configs.isa;
  for (const auto& [family, name] : runtime::kernels::kernel_names(configs)) hw.kernels[family] = name;
  return hw;
}

HardwareInfo measure_hardware(int max_threads, double seconds) {
  HardwareInfo hw = describe_cpu();
  // Well beyond the last-level cache, capped so the probe stays cheap on huge-cache CPUs.
  const std::size_t bytes = std::size_t(std::clamp<long long>(4 * hw.l3_bytes, 256LL << 20, 1LL << 30));
  for (int t = 1; t <= max_threads; ++t) {
    ThreadPeaks p;
    p.threads = t;
    p.gmacs = measure_fma_gmacs(t, seconds);
    p.bandwidth_gbs = measure_read_bandwidth_gbs(t, seconds, bytes);
    hw.peaks.push_back(p);
  }
  return hw;
}

nlohmann::json hardware_to_json(const HardwareInfo& hw) {
  nlohmann::json peaks = nlohmann::json::array();
  for (const auto& p : hw.peaks)
    peaks.push_back({{"threads", p.threads}, {"gmacs", p.gmacs}, {"bandwidth_gbs", p.bandwidth_gbs},
                     {"ridge_point_macs_per_byte", p.ridge_point()}});
  return {{"cpu_model", hw.cpu_model}, {"vendor", hw.vendor}, {"logical_cpus", hw.logical_cpus}, {"isa", hw.isa},
          {"kernel_isa", hw.kernel_isa}, {"kernels", hw.kernels}, {"l1d_bytes", hw.l1d_bytes}, {"l2_bytes", hw.l2_bytes}, {"l3_bytes", hw.l3_bytes},
          {"peaks", peaks}};
}

HardwareInfo hardware_from_json(const nlohmann::json& j, const std::string& source) {
  HardwareInfo hw;
  try {
    hw.cpu_model = j.at("cpu_model").get<std::string>();
    hw.vendor = j.at("vendor").get<std::string>();
    hw.logical_cpus = j.at("logical_cpus").get<int>();
    hw.isa = j.at("isa").get<std::vector<std::string>>();
    hw.kernel_isa = j.at("kernel_isa").get<std::string>();
    if (j.contains("kernels")) hw.kernels = j.at("kernels").get<std::map<std::string, std::string>>();
    hw.l1d_bytes = j.at("l1d_bytes").get<long long>();
    hw.l2_bytes = j.at("l2_bytes").get<long long>();
    hw.l3_bytes = j.at("l3_bytes").get<long long>();
    for (const auto& p : j.at("peaks"))
      hw.peaks.push_back({p.at("threads").get<int>(), p.at("gmacs").get<double>(), p.at("bandwidth_gbs").get<double>()});
  } catch (const nlohmann::json::exception& e) {
    throw common::InputError(common::with_context(source, std::string("/hardware: ") + e.what()));
  }
  return hw;
}

}  // namespace uibnas::latency
