#include "latency/hardware.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <sched.h>

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

// The ISA flags that decide which kernels can run (x86 "flags", aarch64 "Features").
const std::vector<const char*> kX86KernelFlags = {
    "sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512dq", "avx512bw", "avx512vl",
    "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16"};
const std::vector<const char*> kArmKernelFeatures = {"asimd", "asimddp", "asimdhp", "fphp",
                                                               "sve",   "sve2",    "i8mm",    "bf16"};

// "Arm" or "Arm + Qualcomm": the distinct implementers in CPU order.
std::string implementers_of(const std::vector<CoreInfo>& cores) {
  std::vector<std::string> names;
  for (const CoreInfo& core : cores) {
    if (core.implementer.empty()) continue;
    const std::string name = arm_implementer_name(int(std::stol(core.implementer, nullptr, 16)));
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : " + ") + n;
  return out;
}

// The CPUs this process may run on, when fewer than all `logical_cpus` (pinned); else empty.
std::vector<int> allowed_cpus_if_pinned(int logical_cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0 || CPU_COUNT(&set) >= logical_cpus) return {};
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  return cpus;
}

nlohmann::json core_to_json(const CoreInfo& c) {
  nlohmann::json j = {{"cpu", c.cpu}};
  if (!c.implementer.empty())
    j.update({{"implementer", c.implementer}, {"part", c.part}, {"name", c.name}, {"variant", c.variant}, {"revision", c.revision}});
  if (c.cur_khz > 0) j["cur_khz"] = c.cur_khz;
  if (c.max_khz > 0) j["max_khz"] = c.max_khz;
  return j;
}

CoreInfo core_from_json(const nlohmann::json& j) {
  CoreInfo c;
  c.cpu = j.at("cpu").get<int>();
  c.implementer = j.value("implementer", "");
  c.part = j.value("part", "");
  c.name = j.value("name", "");
  c.variant = j.value("variant", -1);
  c.revision = j.value("revision", -1);
  c.cur_khz = j.value("cur_khz", 0LL);
  c.max_khz = j.value("max_khz", 0LL);
  return c;
}

}  // namespace

nlohmann::json thermal_to_json(const std::vector<ThermalReading>& readings) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : readings) out.push_back({{"zone", r.zone}, {"type", r.type}, {"celsius", r.celsius}});
  return out;
}

std::vector<ThermalReading> thermal_from_json(const nlohmann::json& j) {
  std::vector<ThermalReading> readings;
  for (const auto& r : j) readings.push_back({r.at("zone").get<std::string>(), r.at("type").get<std::string>(), r.at("celsius").get<double>()});
  return readings;
}

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
  if (core_names(a.cores) != core_names(b.cores))
    return "cores '" + core_summary(a.cores) + "' vs '" + core_summary(b.cores) + "'";
  if (a.kernel_isa != b.kernel_isa) return a.kernel_isa + " vs " + b.kernel_isa + " kernels";
  if (a.l1d_bytes != b.l1d_bytes) return "L1d " + kib(a.l1d_bytes) + " vs " + kib(b.l1d_bytes);
  if (a.l2_bytes != b.l2_bytes) return "L2 " + kib(a.l2_bytes) + " vs " + kib(b.l2_bytes);
  if (a.l3_bytes != b.l3_bytes) return "L3 " + kib(a.l3_bytes) + " vs " + kib(b.l3_bytes);
  return "";
}

void describe_cpuinfo(const CpuinfoText& cpuinfo, HardwareInfo& hw) {
  const bool arm = !core_names(cpuinfo.cores).empty();
  hw.cpu_model = cpuinfo.model_name.empty() ? core_summary(cpuinfo.cores) : cpuinfo.model_name;
  hw.vendor = cpuinfo.vendor_id.empty() && arm ? implementers_of(cpuinfo.cores) : cpuinfo.vendor_id;
  const std::set<std::string> flags(cpuinfo.flags.begin(), cpuinfo.flags.end());
  for (const char* f : arm ? kArmKernelFeatures : kX86KernelFlags)
    if (flags.count(f)) hw.isa.push_back(f);
  hw.cores = cpuinfo.cores;
}

HardwareInfo describe_cpu(const CpuSources& sources) {
  HardwareInfo hw;
  hw.logical_cpus = int(std::max(1u, std::thread::hardware_concurrency()));
  std::ifstream in(sources.cpuinfo);
  std::ostringstream text;
  text << in.rdbuf();
  describe_cpuinfo(parse_cpuinfo(text.str()), hw);
  read_core_frequencies(hw.cores, sources.sys_root);
  // A core entry says something only with a part or a frequency (x86 VMs have neither).
  if (std::none_of(hw.cores.begin(), hw.cores.end(), [](const CoreInfo& c) { return !c.name.empty() || c.max_khz > 0 || c.cur_khz > 0; }))
    hw.cores.clear();
  hw.thermal = read_thermal_zones(sources.sys_root);
  hw.allowed_cpus = allowed_cpus_if_pinned(hw.logical_cpus);
  for (int index = 0; index < 8; ++index) {
    const std::string dir = sources.sys_root + "/devices/system/cpu/cpu0/cache/index" + std::to_string(index) + "/";
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

HardwareInfo measure_hardware(int max_threads, double seconds, const CpuSources& sources) {
  HardwareInfo hw = describe_cpu(sources);
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
  nlohmann::json j = {{"cpu_model", hw.cpu_model}, {"vendor", hw.vendor}, {"logical_cpus", hw.logical_cpus}, {"isa", hw.isa},
                      {"kernel_isa", hw.kernel_isa}, {"kernels", hw.kernels}, {"l1d_bytes", hw.l1d_bytes}, {"l2_bytes", hw.l2_bytes}, {"l3_bytes", hw.l3_bytes},
                      {"peaks", peaks}};
  if (!hw.cores.empty()) {
    j["cores"] = nlohmann::json::array();
    for (const CoreInfo& c : hw.cores) j["cores"].push_back(core_to_json(c));
  }
  if (!hw.thermal.empty()) j["thermal"] = thermal_to_json(hw.thermal);
  if (!hw.allowed_cpus.empty()) j["allowed_cpus"] = hw.allowed_cpus;
  return j;
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
    if (j.contains("cores"))
      for (const auto& c : j.at("cores")) hw.cores.push_back(core_from_json(c));
    if (j.contains("thermal")) hw.thermal = thermal_from_json(j.at("thermal"));
    if (j.contains("allowed_cpus")) hw.allowed_cpus = j.at("allowed_cpus").get<std::vector<int>>();
  } catch (const nlohmann::json::exception& e) {
    throw common::InputError(common::with_context(source, std::string("/hardware: ") + e.what()));
  }
  return hw;
}

}  // namespace uibnas::latency
