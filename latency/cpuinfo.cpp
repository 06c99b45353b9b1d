#include "latency/cpuinfo.hpp"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <utility>

namespace uibnas::latency {
namespace {

// Public part numbers (the Arm TRMs' MIDR_EL1 values, Linux's arch/arm64/include/asm/cputype.h).
const std::map<std::pair<int, int>, const char*>& known_parts() {
  static const std::map<std::pair<int, int>, const char*> parts = {
      {{0x41, 0xd03}, "Cortex-A53"},  {{0x41, 0xd04}, "Cortex-A35"},   {{0x41, 0xd05}, "Cortex-A55"},
      {{0x41, 0xd07}, "Cortex-A57"},  {{0x41, 0xd08}, "Cortex-A72"},   {{0x41, 0xd09}, "Cortex-A73"},
      {{0x41, 0xd0a}, "Cortex-A75"},  {{0x41, 0xd0b}, "Cortex-A76"},   {{0x41, 0xd0c}, "Neoverse-N1"},
      {{0x41, 0xd0d}, "Cortex-A77"},  {{0x41, 0xd40}, "Neoverse-V1"},  {{0x41, 0xd41}, "Cortex-A78"},
      {{0x41, 0xd44}, "Cortex-X1"},   {{0x41, 0xd46}, "Cortex-A510"},  {{0x41, 0xd47}, "Cortex-A710"},
      {{0x41, 0xd48}, "Cortex-X2"},   {{0x41, 0xd49}, "Neoverse-N2"},  {{0x41, 0xd4a}, "Neoverse-E1"},
      {{0x41, 0xd4b}, "Cortex-A78C"}, {{0x41, 0xd4c}, "Cortex-X1C"},   {{0x41, 0xd4d}, "Cortex-A715"},
      {{0x41, 0xd4e}, "Cortex-X3"},   {{0x41, 0xd4f}, "Neoverse-V2"},  {{0x41, 0xd80}, "Cortex-A520"},
      {{0x41, 0xd81}, "Cortex-A720"}, {{0x41, 0xd82}, "Cortex-X4"},    {{0x4e, 0x004}, "Carmel"},
      {{0x51, 0x800}, "Kryo-2xx-Gold"}, {{0x51, 0x801}, "Kryo-2xx-Silver"}, {{0x51, 0x802}, "Kryo-3xx-Gold"},
      {{0x51, 0x803}, "Kryo-3xx-Silver"}, {{0x51, 0x804}, "Kryo-4xx-Gold"}, {{0x51, 0x805}, "Kryo-4xx-Silver"},
      {{0xc0, 0xac3}, "Ampere-1"}};
  return parts;
}

std::string hex(int value, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*x", digits, value);
  return buf;
}

// "0x41" -> 65; -1 for text that is not a number.
int parse_number(const std::string& text) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 0);
  return end == text.c_str() || v < 0 || v > 0xfffff ? -1 : int(v);
}

std::vector<std::string> words(const std::string& text) {
  std::istringstream ss(text);
  std::vector<std::string> out;
  for (std::string w; ss >> w;) out.push_back(w);
  return out;
}

// Fills what the kernel printed for one key of a processor block.
void take_core_field(CoreInfo& core, const std::string& key, const std::string& value) {
  if (key == "CPU implementer") core.implementer = value;
  else if (key == "CPU part") core.part = value;
  else if (key == "CPU variant") core.variant = parse_number(value);
  else if (key == "CPU revision") core.revision = parse_number(value);
}

// Normalises the ids ("0x041" -> "0x41") and names the part.
void name_core(CoreInfo& core) {
  const int implementer = parse_number(core.implementer), part = parse_number(core.part);
  if (implementer < 0 || part < 0) {
    core.implementer.clear();
    core.part.clear();
    return;
  }
  core.implementer = hex(implementer, 2);
  core.part = hex(part, 3);
  core.name = arm_part_name(implementer, part);
}

}  // namespace

std::string arm_part_name(int implementer, int part) {
  const auto it = known_parts().find({implementer, part});
  return it != known_parts().end() ? it->second : hex(implementer, 2) + ":" + hex(part, 3);
}

std::string arm_implementer_name(int implementer) {
  static const std::map<int, const char*> names = {{0x41, "Arm"},      {0x42, "Broadcom"}, {0x43, "Cavium"},
                                                   {0x48, "HiSilicon"}, {0x4e, "NVIDIA"},   {0x51, "Qualcomm"},
                                                   {0x53, "Samsung"},   {0x61, "Apple"},    {0xc0, "Ampere"}};
  const auto it = names.find(implementer);
  return it != names.end() ? it->second : hex(implementer, 2);
}

CpuinfoText parse_cpuinfo(const std::string& text) {
  CpuinfoText out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
    const auto value_start = line.find_first_not_of(" \t", colon + 1);
    const std::string value = value_start == std::string::npos ? "" : line.substr(value_start);
    if (key == "processor") out.cores.emplace_back().cpu = parse_number(value);
    else if (key == "model name" && out.model_name.empty()) out.model_name = value;
    else if (key == "vendor_id" && out.vendor_id.empty()) out.vendor_id = value;
    else if ((key == "flags" || key == "Features") && out.flags.empty()) out.flags = words(value);
    else if (!out.cores.empty()) take_core_field(out.cores.back(), key, value);
  }
  for (CoreInfo& core : out.cores) name_core(core);
  return out;
}

std::string core_summary(const std::vector<CoreInfo>& cores) {
  std::vector<std::pair<std::string, int>> kinds;  // in order of first appearance
  for (const CoreInfo& core : cores) {
    if (core.name.empty()) continue;
    auto it = kinds.begin();
    while (it != kinds.end() && it->first != core.name) ++it;
    if (it == kinds.end()) kinds.push_back({core.name, 1});
    else ++it->second;
  }
  std::string summary;
  for (auto it = kinds.rbegin(); it != kinds.rend(); ++it)
    summary += (summary.empty() ? "" : " + ") + std::to_string(it->second) + "x " + it->first;
  return summary;
}

std::vector<std::string> core_names(const std::vector<CoreInfo>& cores) {
  std::vector<std::string> names;
  for (const CoreInfo& core : cores)
    if (!core.name.empty()) names.push_back(core.name);
  return names;
}

}  // namespace uibnas::latency
