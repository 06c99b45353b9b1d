#include "latency/cpu_sysfs.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace uibnas::latency {
namespace {

// The first line of a /sys file; false when missing or unreadable (a permission, an absent driver).
bool read_line(const std::string& path, std::string& line) {
  std::ifstream in(path);
  return in && std::getline(in, line) && !line.empty();
}

long long read_number(const std::string& path) {
  std::string line;
  if (!read_line(path, line)) return 0;
  try {
    return std::stoll(line);
  } catch (const std::exception&) {
    return 0;
  }
}

// "thermal_zone12" -> 12, so that zone 10 follows zone 9.
long zone_number(const std::string& name) { return std::strtol(name.c_str() + std::string("thermal_zone").size(), nullptr, 10); }

}  // namespace

void read_core_frequencies(std::vector<CoreInfo>& cores, const std::string& sys_root) {
  for (CoreInfo& core : cores) {
    const std::string dir = sys_root + "/devices/system/cpu/cpu" + std::to_string(core.cpu) + "/cpufreq/";
    core.cur_khz = read_number(dir + "scaling_cur_freq");
    core.max_khz = read_number(dir + "cpuinfo_max_freq");
  }
}

std::vector<ThermalReading> read_thermal_zones(const std::string& sys_root) {
  std::vector<std::string> zones;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(sys_root + "/class/thermal", ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("thermal_zone", 0) == 0) zones.push_back(name);
  }
  std::sort(zones.begin(), zones.end(), [](const std::string& a, const std::string& b) { return zone_number(a) < zone_number(b); });
  std::vector<ThermalReading> readings;
  for (const std::string& zone : zones) {
    const std::string dir = sys_root + "/class/thermal/" + zone + "/";
    std::string temp, type;
    if (!read_line(dir + "temp", temp)) continue;
    read_line(dir + "type", type);
    try {
      readings.push_back({zone, type, std::stoll(temp) / 1000.0});
    } catch (const std::exception&) {  // a zone whose sensor is off reads as text or nothing
    }
  }
  return readings;
}

std::string hottest_reading_text(const std::vector<ThermalReading>& readings) {
  if (readings.empty()) return "";
  const auto hottest = std::max_element(readings.begin(), readings.end(),
                                        [](const ThermalReading& a, const ThermalReading& b) { return a.celsius < b.celsius; });
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f\u00b0C", hottest->celsius);
  return buf;
}

}  // namespace uibnas::latency
