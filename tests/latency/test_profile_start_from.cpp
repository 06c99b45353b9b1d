// `uibnas profile --start-from T`: a table measured on this kind of CPU is continued (nothing it
// holds is measured again); a table of another CPU is left alone and the profile starts afresh.
#include <catch2/catch.hpp>

#include <filesystem>

#include "../cli/run_binary.hpp"
#include "latency/hardware.hpp"
#include "latency/latency_table.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;
namespace fs = std::filesystem;

namespace {

latency::LatencyTable shipped_table() {
  return latency::load_table(std::string(UIBNAS_SOURCE_DIR) + "/latency/tables/xeon-vm-2vcpu-t1.json");
}

}  // namespace

TEST_CASE("profile --start-from continues a table of this CPU without measuring it again", "[profile][resume]") {
  latency::LatencyTable here = shipped_table();
  latency::HardwareInfo cpu = latency::describe_cpu();
  cpu.kernel_isa = latency::describe_cpu().kernel_isa;
  cpu.peaks = here.hardware.peaks;
  here.hardware = cpu;
  const std::string start = testing::unique_temp_path("start_same.json"), out = testing::unique_temp_path("out_same.json");
  latency::save_table(here, start);
  fs::remove(out);
  const auto r = run_uibnas("profile --hardware mine --models conv_small --no-progress --start-from " + start + " --out " + out);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.find("starting from") != std::string::npos);
  const latency::LatencyTable result = latency::load_table(out);
  CHECK(result.hardware_name == "mine");
  REQUIRE(result.entries.size() == here.entries.size());
  for (const auto& [key, entry] : here.entries) CHECK(result.entries.at(key).latency.median_ms == entry.latency.median_ms);
  CHECK(result.end_to_end.size() == here.end_to_end.size());
  fs::remove(start);
  fs::remove(out);
}

TEST_CASE("profile --start-from does not use a table of another CPU", "[profile][resume]") {
  latency::LatencyTable other = shipped_table();
  other.hardware.cpu_model = "Some Other CPU @ 1.0GHz";
  const std::string start = testing::unique_temp_path("start_other.json"), out = testing::unique_temp_path("out_other.json");
  latency::save_table(other, start);
  fs::remove(out);
  const auto r = run_uibnas("profile --hardware mine --models conv_small_050 --repeat 2 --warmup 0 --rounds 1 --settle 0 "
                            "--no-progress --start-from " + start + " --out " + out);
  REQUIRE(r.status == 0);
  CHECK(r.err.find("profiling from scratch") != std::string::npos);
  const latency::LatencyTable result = latency::load_table(out);
  CHECK(result.hardware_name == "mine");
  CHECK(result.end_to_end.size() == 1);  // conv_small_050 alone, none of the shipped runs
  CHECK(result.entries.size() < other.entries.size());
  fs::remove(start);
  fs::remove(out);
}
