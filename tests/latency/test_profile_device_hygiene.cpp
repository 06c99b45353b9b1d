// What `uibnas profile` does for phones and boards: the table records --cpus, the cool-down and the
// thermal readings at the start and end; the cool-down between slots ends within a second on Ctrl-C.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "arch_defs/catalogue.hpp"
#include "common/stop_request.hpp"
#include "latency/latency_table.hpp"
#include "latency/profiler.hpp"
#include "../cli/run_binary.hpp"
#include "tests/support/child_process.hpp"
#include "tests/latency/table_entries.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;
namespace fs = std::filesystem;
using uibnas::testing::entries_in;

TEST_CASE("cool_down waits the seconds given", "[profile][cooldown]") {
  const auto t0 = std::chrono::steady_clock::now();
  latency::cool_down(0.3);
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(waited >= 0.3);
  CHECK(waited < 2.0);
}

TEST_CASE("a profiled table records the thermal readings at its start and end", "[profile][cooldown]") {
  const fs::path sys = uibnas::testing::unique_temp_path("thermal-sys");
  fs::create_directories(sys / "class/thermal/thermal_zone0");
  std::ofstream(sys / "class/thermal/thermal_zone0/temp") << "45000\n";
  std::ofstream(sys / "class/thermal/thermal_zone0/type") << "soc\n";
  latency::ProfileOptions o;
  o.hardware_name = "testbox";
  o.repeat = 1;
  o.warmup = 0;
  o.plan.rounds = 1;
  o.plan.settle_rounds = 0;
  o.progress = false;
  o.hw_seconds = 0.01;
  o.cooldown_seconds = 0.05;
  o.cpus = {0};
  o.sources.sys_root = sys.string();
  o.out = uibnas::testing::unique_temp_path("thermal-table.json");
  fs::remove(o.out);
  const arch_defs::Architecture conv_small = arch_defs::resolve_architecture("conv_small");
  latency::profile({{conv_small, conv_small.input_size}}, {}, o);
  const latency::LatencyTable table = latency::load_table(o.out);
  REQUIRE(table.hardware.thermal.size() == 1);
  CHECK(table.hardware.thermal[0].type == "soc");
  CHECK(table.hardware.thermal[0].celsius == 45.0);
  REQUIRE(table.thermal_end.size() == 1);
  CHECK(table.thermal_end[0].celsius == 45.0);
  CHECK(table.protocol.at("cpus") == nlohmann::json::array({0}));
  CHECK(table.protocol.at("cooldown_seconds") == 0.05);
  o.cpus = {};  // another protocol: a resume with other pinning is refused
  o.resume = true;
  CHECK_THROWS_WITH(latency::profile({{conv_small, conv_small.input_size}}, {}, o),
                    Catch::Contains("cannot resume: the table was measured with another protocol"));
  fs::remove_all(sys);
  fs::remove(o.out);
  fs::remove(o.out + ".lock");
}

TEST_CASE("profile without --cpus or a cool-down keeps the protocol it had", "[profile][cooldown]") {
  latency::ProfileOptions o;
  CHECK_FALSE(latency::measurement_protocol(o).contains("cpus"));
  CHECK_FALSE(latency::measurement_protocol(o).contains("cooldown_seconds"));
  o.cooldown_seconds = 30;
  o.cpus = {4, 5, 6, 7};
  CHECK(latency::measurement_protocol(o).at("cooldown_seconds") == 30.0);
  CHECK(latency::measurement_protocol(o).at("cpus") == nlohmann::json::array({4, 5, 6, 7}));
}

TEST_CASE("Ctrl-C during a cool-down saves and exits 130 within a second", "[profile][cooldown][signal]") {
  const std::string out = uibnas::testing::unique_temp_path("cooldown-sigint.json");
  fs::remove(out);
  double stop_s = 0;
  std::string err;
  {
    uibnas::testing::UibnasProcess profile("profile --hardware testbox --models conv_small,hybrid_medium --repeat 2 "
                                           "--warmup 0 --rounds 1 --settle 0 --checkpoint-seconds 0 --no-progress "
                                           "--cpus 0 --cooldown-seconds 60 --out " + out, out + ".err");
    REQUIRE(profile.started());
    REQUIRE(uibnas::testing::wait_until([&] { return entries_in(out) > 0; }, 60));  // first slot done: cooling
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto stop = profile.interrupt();
    stop_s = stop.seconds;
    REQUIRE(stop.status);
    CHECK(*stop.status == 130);
    err = profile.stderr_text();
  }
  CHECK(stop_s < 1.0);
  const latency::LatencyTable saved = latency::load_table(out);
  CHECK(saved.end_to_end.size() == 1);  // conv_small's slot only: hybrid_medium's waited for the cool-down
  CHECK(saved.protocol.at("cooldown_seconds") == 60.0);
  CHECK(err == "interrupted: " + std::to_string(saved.entries.size()) + " entries saved to " + out +
                   "; continue with --resume\n");
  fs::remove(out);
  fs::remove(out + ".lock");
}
