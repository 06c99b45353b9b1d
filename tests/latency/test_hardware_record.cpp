// The hardware record of a latency table: which kernels ran survives a JSON round trip, and tables
// written before the per-family record read with an empty one.
#include <catch2/catch.hpp>

#include "common/error.hpp"
#include "latency/hardware.hpp"

using namespace uibnas::latency;

namespace {

HardwareInfo sample() {
  HardwareInfo hw;
  hw.cpu_model = "Test CPU";
  hw.vendor = "GenuineTest";
  hw.logical_cpus = 4;
  hw.isa = {"avx2", "fma"};
  hw.kernel_isa = "generic";
  hw.kernels = {{"gemm", "f32_gemm_4x32__generic"}, {"dwconv", "f32_dwconv__generic"}};
  hw.l1d_bytes = 32768;
  hw.peaks.push_back({1, 50.0, 20.0});
  return hw;
}

}  // namespace

TEST_CASE("hardware record keeps the kernel of each family through JSON", "[latency][hardware]") {
  const HardwareInfo back = hardware_from_json(hardware_to_json(sample()), "test");
  CHECK(back.kernel_isa == "generic");
  CHECK(back.kernels == sample().kernels);
  CHECK(back.kernels.at("gemm") == "f32_gemm_4x32__generic");
}

TEST_CASE("hardware record without per-family kernels reads with none", "[latency][hardware]") {
  nlohmann::json j = hardware_to_json(sample());
  j.erase("kernels");
  const HardwareInfo back = hardware_from_json(j, "old.json");
  CHECK(back.kernels.empty());
  CHECK(back.kernel_isa == "generic");
  j["kernels"] = {{"gemm", 3}};
  CHECK_THROWS_AS(hardware_from_json(j, "bad.json"), uibnas::common::InputError);
}

TEST_CASE("this machine's hardware description names the kernel of every family", "[latency][hardware]") {
  const HardwareInfo hw = describe_cpu();
  CHECK(hw.kernels.size() == 8);
  for (const auto& [family, name] : hw.kernels) {
    INFO(family << ": " << name);
    CHECK(name.ends_with("__" + hw.kernel_isa));
  }
}
