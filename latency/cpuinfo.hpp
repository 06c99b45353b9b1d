// What /proc/cpuinfo says about the CPU, parsed from its text so that any machine can test the parsing
// of any other's: x86 names its model and flags once per processor; aarch64 names no model but gives
// every processor an implementer and part number (big.LITTLE phones mix two or three kinds of core).
#pragma once
#include <string>
#include <vector>

namespace uibnas::latency {

// One processor's entry. The ARM fields are empty (-1) on x86; the frequencies come from /sys later.
struct CoreInfo {
  int cpu = 0;
  std::string implementer, part;  // "0x41", "0xd0b" (lower-case hex, as the kernel prints them)
  std::string name;               // "Cortex-A76", or "0x41:0xd99" for a part this table does not know
  int variant = -1, revision = -1;
  long long cur_khz = 0, max_khz = 0;  // 0: not readable
};

struct CpuinfoText {
  std::string model_name;          // x86 "model name" (first processor's); empty on aarch64
  std::string vendor_id;           // x86 "vendor_id"
  std::vector<std::string> flags;  // x86 "flags" or ARM "Features" of the first processor that has them
  std::vector<CoreInfo> cores;     // one per "processor" block
};

CpuinfoText parse_cpuinfo(const std::string& text);

// "Cortex-A72" for (0x41, 0xd08); "0x41:0xd99" for a part not in the table.
std::string arm_part_name(int implementer, int part);
// "Arm", "Qualcomm", ...; "0x4a" for an implementer not in the table.
std::string arm_implementer_name(int implementer);

// The cores' names counted by kind, the kinds in the reverse order of their first appearance (phones
// list the little cores first; vendors name the big ones first): "1x Cortex-X3 + 4x Cortex-A715 + 3x
// Cortex-A510". Cores without a name are left out; empty when none has one.
std::string core_summary(const std::vector<CoreInfo>& cores);

// The names of the cores in CPU order, e.g. to compare two fingerprints' core lists.
std::vector<std::string> core_names(const std::vector<CoreInfo>& cores);

}  // namespace uibnas::latency
