// The CPU fingerprint from /proc/cpuinfo texts of real machines (tests/data/cpuinfo/: a Raspberry Pi 4,
// a Snapdragon 8 Gen 2 phone, an x86 VM) and from fake /sys trees for frequencies and temperatures.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "latency/cpu_sysfs.hpp"
#include "latency/cpuinfo.hpp"
#include "latency/hardware.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas::latency;
namespace fs = std::filesystem;

namespace {

CpuinfoText captured(const std::string& name) {
  return parse_cpuinfo(uibnas::testing::slurp(uibnas::testing::test_data("cpuinfo/" + name)));
}

HardwareInfo described(const std::string& name) {
  HardwareInfo hw;
  describe_cpuinfo(captured(name), hw);
  return hw;
}

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text << "\n";
}

// A /sys tree with cpufreq for cpu0 and cpu1 (cpu2 has none) and three thermal zones, one unreadable.
fs::path fake_sys_tree() {
  const fs::path root = uibnas::testing::unique_temp_path("fake-sys");
  fs::remove_all(root);
  write_file(root / "devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", "600000");
  write_file(root / "devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", "1800000");
  write_file(root / "devices/system/cpu/cpu1/cpufreq/scaling_cur_freq", "2400000");
  write_file(root / "devices/system/cpu/cpu1/cpufreq/cpuinfo_max_freq", "3187200");
  write_file(root / "class/thermal/thermal_zone0/temp", "41500");
  write_file(root / "class/thermal/thermal_zone0/type", "cpu-0-0-usr");
  write_file(root / "class/thermal/thermal_zone10/temp", "57250");
  write_file(root / "class/thermal/thermal_zone10/type", "cpu-1-7-usr");
  write_file(root / "class/thermal/thermal_zone2/type", "battery");  // no temp: not readable
  write_file(root / "class/thermal/cooling_device0/type", "fan");    // not a zone
  return root;
}

}  // namespace

TEST_CASE("Raspberry Pi 4 cpuinfo: four Cortex-A72, no model name line", "[latency][cpuinfo]") {
  const CpuinfoText pi = captured("raspberry-pi-4.txt");
  CHECK(pi.model_name.empty());
  REQUIRE(pi.cores.size() == 4);
  for (int i = 0; i < 4; ++i) {
    CHECK(pi.cores[i].cpu == i);
    CHECK(pi.cores[i].implementer == "0x41");
    CHECK(pi.cores[i].part == "0xd08");
    CHECK(pi.cores[i].name == "Cortex-A72");
    CHECK(pi.cores[i].variant == 0);
    CHECK(pi.cores[i].revision == 3);
  }
  CHECK(pi.flags == std::vector<std::string>{"fp", "asimd", "evtstrm", "crc32", "cpuid"});
  const HardwareInfo hw = described("raspberry-pi-4.txt");
  CHECK(hw.cpu_model == "4x Cortex-A72");
  CHECK(hw.vendor == "Arm");
  CHECK(hw.isa == std::vector<std::string>{"asimd"});
}

TEST_CASE("Snapdragon 8 Gen 2 cpuinfo: three kinds of core, big ones named first", "[latency][cpuinfo]") {
  const CpuinfoText phone = captured("snapdragon-8-gen-2.txt");
  REQUIRE(phone.cores.size() == 8);
  CHECK(core_names(phone.cores) == std::vector<std::string>{"Cortex-A510", "Cortex-A510", "Cortex-A510", "Cortex-A715",
                                                            "Cortex-A715", "Cortex-A710", "Cortex-A710", "Cortex-X3"});
  CHECK(phone.cores[7].part == "0xd4e");
  CHECK(phone.cores[5].variant == 2);
  const HardwareInfo hw = described("snapdragon-8-gen-2.txt");
  CHECK(hw.cpu_model == "1x Cortex-X3 + 2x Cortex-A710 + 2x Cortex-A715 + 3x Cortex-A510");
  CHECK(hw.isa == std::vector<std::string>{"asimd", "asimddp", "asimdhp", "fphp", "i8mm", "bf16"});
  CHECK(hw.cores.size() == 8);
}

TEST_CASE("x86 cpuinfo keeps its model name, vendor and flags", "[latency][cpuinfo]") {
  const HardwareInfo hw = described("xeon-2vcpu-vm.txt");
  CHECK(hw.cpu_model == "Intel(R) Xeon(R) Processor");
  CHECK(hw.vendor == "GenuineIntel");
  CHECK(hw.isa == std::vector<std::string>{"sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512dq", "avx512bw",
                                           "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16"});
  REQUIRE(hw.cores.size() == 2);
  CHECK(hw.cores[1].cpu == 1);
  CHECK(core_names(hw.cores).empty());
}

TEST_CASE("ARM part names: known parts by name, unknown ones by number", "[latency][cpuinfo]") {
  CHECK(arm_part_name(0x41, 0xd0b) == "Cortex-A76");
  CHECK(arm_part_name(0x41, 0xd44) == "Cortex-X1");
  CHECK(arm_part_name(0x41, 0xd05) == "Cortex-A55");
  CHECK(arm_part_name(0x41, 0xd0c) == "Neoverse-N1");
  CHECK(arm_part_name(0x41, 0xd99) == "0x41:0xd99");
  CHECK(arm_part_name(0x51, 0xd0b) == "0x51:0xd0b");  // the part number means something else per implementer
  CHECK(arm_implementer_name(0x51) == "Qualcomm");
  CHECK(arm_implementer_name(0x4a) == "0x4a");
  const CpuinfoText odd = parse_cpuinfo("processor : 0\nCPU implementer : 0x41\nCPU part : 0xD99\n"
                                        "processor : 1\nCPU implementer : 0x41\nCPU part : 0xd0b\n");
  CHECK(core_names(odd.cores) == std::vector<std::string>{"0x41:0xd99", "Cortex-A76"});
  CHECK(core_summary(odd.cores) == "1x Cortex-A76 + 1x 0x41:0xd99");
}

TEST_CASE("frequencies and temperatures come from the /sys tree given", "[latency][cpuinfo]") {
  const fs::path root = fake_sys_tree();
  std::vector<CoreInfo> cores = captured("raspberry-pi-4.txt").cores;
  read_core_frequencies(cores, root.string());
  CHECK(cores[0].cur_khz == 600000);
  CHECK(cores[0].max_khz == 1800000);
  CHECK(cores[1].max_khz == 3187200);
  CHECK(cores[2].cur_khz == 0);
  CHECK(cores[2].max_khz == 0);
  const std::vector<ThermalReading> zones = read_thermal_zones(root.string());
  REQUIRE(zones.size() == 2);
  CHECK(zones[0].zone == "thermal_zone0");
  CHECK(zones[0].type == "cpu-0-0-usr");
  CHECK(zones[0].celsius == Approx(41.5));
  CHECK(zones[1].zone == "thermal_zone10");
  CHECK(zones[1].celsius == Approx(57.25));
  CHECK(hottest_reading_text(zones) == "57.2\u00b0C");
  CHECK(hottest_reading_text({}).empty());
  CHECK(read_thermal_zones((root / "absent").string()).empty());
  fs::remove_all(root);
}

TEST_CASE("describe_cpu reads the cpuinfo and /sys it is pointed at", "[latency][cpuinfo]") {
  const fs::path root = fake_sys_tree();
  const HardwareInfo hw = describe_cpu({uibnas::testing::test_data("cpuinfo/snapdragon-8-gen-2.txt"), root.string()});
  CHECK(hw.cpu_model == "1x Cortex-X3 + 2x Cortex-A710 + 2x Cortex-A715 + 3x Cortex-A510");
  REQUIRE(hw.cores.size() == 8);
  CHECK(hw.cores[1].cur_khz == 2400000);
  CHECK(hw.thermal.size() == 2);
  CHECK(hw.l2_bytes == 0);  // no cache directory in the fake tree
  const HardwareInfo x86 = describe_cpu({uibnas::testing::test_data("cpuinfo/xeon-2vcpu-vm.txt"), (root / "empty").string()});
  CHECK(x86.cores.empty());  // nothing known per core: not recorded
  CHECK(x86.thermal.empty());
  fs::remove_all(root);
}

TEST_CASE("the ARM fields survive JSON and tables without them still load", "[latency][cpuinfo]") {
  HardwareInfo hw = described("snapdragon-8-gen-2.txt");
  hw.cores[7].cur_khz = 3187200;
  hw.cores[7].max_khz = 3360000;
  hw.thermal = {{"thermal_zone3", "cpu-1-7-usr", 48.5}};
  hw.allowed_cpus = {5, 6, 7};
  const HardwareInfo back = hardware_from_json(hardware_to_json(hw), "test");
  CHECK(back.cpu_model == hw.cpu_model);
  CHECK(core_names(back.cores) == core_names(hw.cores));
  CHECK(back.cores[7].part == "0xd4e");
  CHECK(back.cores[7].implementer == "0x41");
  CHECK(back.cores[7].variant == 1);
  CHECK(back.cores[7].revision == 0);
  CHECK(back.cores[7].cur_khz == 3187200);
  CHECK(back.cores[7].max_khz == 3360000);
  CHECK(back.cores[0].max_khz == 0);
  REQUIRE(back.thermal.size() == 1);
  CHECK(back.thermal[0].type == "cpu-1-7-usr");
  CHECK(back.thermal[0].celsius == 48.5);
  CHECK(back.allowed_cpus == std::vector<int>{5, 6, 7});

  nlohmann::json old = hardware_to_json(hw);
  for (const char* key : {"cores", "thermal", "allowed_cpus"}) old.erase(key);
  const HardwareInfo old_back = hardware_from_json(old, "old.json");
  CHECK(old_back.cores.empty());
  CHECK(old_back.thermal.empty());
  CHECK(old_back.allowed_cpus.empty());
  const nlohmann::json x86 = hardware_to_json(described("xeon-2vcpu-vm.txt"));
  CHECK_FALSE(x86.contains("thermal"));
  CHECK_FALSE(x86.contains("allowed_cpus"));
}

TEST_CASE("different ARM core lists are different CPUs", "[latency][cpuinfo]") {
  HardwareInfo a = described("snapdragon-8-gen-2.txt"), b = a;
  CHECK(cpu_difference(a, b).empty());
  b.cores[7].cur_khz = 1000;  // frequencies and temperatures drift: not compared
  b.thermal = {{"thermal_zone0", "cpu", 70}};
  CHECK(cpu_difference(a, b).empty());
  b.cores[7].name = "Cortex-X2";  // same summary string aside, another core list
  b.cpu_model = a.cpu_model;
  CHECK(cpu_difference(a, b) == "cores '1x Cortex-X3 + 2x Cortex-A710 + 2x Cortex-A715 + 3x Cortex-A510' vs "
                                "'1x Cortex-X2 + 2x Cortex-A710 + 2x Cortex-A715 + 3x Cortex-A510'");
  const HardwareInfo pi = described("raspberry-pi-4.txt");
  CHECK(cpu_difference(pi, a) == "CPU model '4x Cortex-A72' vs '" + a.cpu_model + "'");
}
