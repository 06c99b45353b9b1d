// What Linux's /sys tells about the CPUs' state while profiling: each core's current and maximum
// frequency (cpufreq) and the thermal zones' temperatures. Phones and boards throttle when hot, so a
// table records them; VMs and containers often expose neither, which reads as nothing. The root is a
// parameter so that tests can point it at a fake tree.
#pragma once
#include <string>
#include <vector>

#include "latency/cpuinfo.hpp"

namespace uibnas::latency {

inline constexpr const char* kSysRoot = "/sys";

struct ThermalReading {
  std::string zone;  // "thermal_zone0"
  std::string type;  // what the zone measures, e.g. "cpu-1-0-usr", "x86_pkg_temp"
  double celsius = 0;
};

// Sets cur_khz and max_khz of each core from SYS/devices/system/cpu/cpuN/cpufreq/{scaling_cur_freq,
// cpuinfo_max_freq}; leaves 0 where a file is missing or unreadable.
void read_core_frequencies(std::vector<CoreInfo>& cores, const std::string& sys_root = kSysRoot);

// Every readable SYS/class/thermal/thermal_zoneN (temp in millidegrees Celsius), in zone order.
std::vector<ThermalReading> read_thermal_zones(const std::string& sys_root = kSysRoot);

// The hottest reading, for a progress line: "52.0°C"; empty without readings.
std::string hottest_reading_text(const std::vector<ThermalReading>& readings);

}  // namespace uibnas::latency
