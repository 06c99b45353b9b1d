// `uibnas profile` killed mid-run and resumed: no finished entry lost, none duplicated, and the
// final table holds exactly the distinct signatures of the models.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

#include "../cli/run_binary.hpp"
#include "arch_defs/catalogue.hpp"
#include "latency/latency_table.hpp"
#include "latency/profiler.hpp"
#include "tests/latency/table_entries.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;
namespace fs = std::filesystem;
using uibnas::testing::entries_in;

TEST_CASE("a killed profile resumes without losing or duplicating entries", "[profile][resume]") {
  const std::string out = uibnas::testing::unique_temp_path("resume_test.json");
  fs::remove(out);
  const std::string args = std::string("profile --hardware testbox --models conv_small,hybrid_medium --repeat 3 --warmup 0 "
                                       "--checkpoint-seconds 0 --no-progress --out ") + out;
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const std::string cmd = std::string(UIBNAS_BINARY) + " " + args + " >/dev/null 2>&1";
    execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), (char*)nullptr);
    _exit(127);
  }
  // Kill hard (no chance to save) once a few entries are on disk.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (entries_in(out) < 6 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  const latency::LatencyTable partial = latency::load_table(out);  // atomic writes: always a whole table
  REQUIRE(partial.entries.size() >= 6);

  const auto r = run_uibnas(args + " --resume");
  REQUIRE(r.status == 0);
  const latency::LatencyTable full = latency::load_table(out);
  for (const auto& [key, e] : partial.entries) {
    INFO(key);
    REQUIRE(full.find(key));
    CHECK(full.find(key)->latency.median_ms == e.latency.median_ms);  // kept, not re-measured
  }
  std::vector<latency::ProfileTarget> targets;
  for (const char* m : {"conv_small", "hybrid_medium"}) {
    const arch_defs::Architecture a = arch_defs::resolve_architecture(m);
    targets.push_back({a, a.input_size});
  }
  const auto expected = latency::distinct_signatures(targets, 1);
  CHECK(full.entries.size() == expected.size());
  for (const auto& s : expected) CHECK(full.find(s.key()));
  CHECK(full.end_to_end.size() == 2);
  CHECK(full.find_end_to_end("mobilenetv4_conv_small", 224));
  CHECK(full.find_end_to_end("mobilenetv4_hybrid_medium", 256));

  // Resuming a complete table measures nothing new; resuming for other hardware is refused.
  CHECK(run_uibnas(args + " --resume").status == 0);
  CHECK(latency::load_table(out).entries.size() == expected.size());
  const auto other = run_uibnas("profile --hardware otherbox --models conv_small --out " + out + " --resume");
  CHECK(other.status == 2);
  CHECK(other.err.find("cannot resume: the table is for 'testbox'") != std::string::npos);
  const auto exists = run_uibnas("profile --hardware testbox --models conv_small --out " + out);
  CHECK(exists.status == 2);
  CHECK(exists.err.find("exists: pass --resume") != std::string::npos);
  fs::remove(out);
}

TEST_CASE("table info shows a device's cores, temperatures, pinned CPUs and cool-down", "[profile][cli]") {
  const std::string a = uibnas::testing::unique_temp_path("cli_device.json");
  REQUIRE(run_uibnas("profile --hardware phone --models conv_small --repeat 2 --warmup 0 --no-progress --overwrite --out " + a).status == 0);
  // What a phone's profile records (captured here by hand: this machine has no ARM cores).
  latency::LatencyTable t = latency::load_table(a);
  t.hardware.cores = {{4, "0x41", "0xd4d", "Cortex-A715", 1, 0, 1804800, 2803200},
                      {7, "0x41", "0xd4e", "Cortex-X3", 1, 0, 3187200, 3187200}};
  t.hardware.thermal = {{"thermal_zone3", "cpu-1-0-usr", 41.5}};
  t.thermal_end = {{"thermal_zone3", "cpu-1-0-usr", 63.0}};
  t.protocol["cpus"] = std::vector<int>{4, 5, 6, 7};
  t.protocol["cooldown_seconds"] = 30.0;
  latency::save_table(t, a);
  const auto info = run_uibnas("table info " + a);
  REQUIRE(info.status == 0);
  CHECK(info.out.find("cpu4 Cortex-A715 1.80/2.80 GHz, cpu7 Cortex-X3 3.19/3.19 GHz") != std::string::npos);
  CHECK(info.out.find("start: cpu-1-0-usr 41.5 C") != std::string::npos);
  CHECK(info.out.find("end:   cpu-1-0-usr 63.0 C") != std::string::npos);
  CHECK(info.out.find("cpus       4-7 (--cpus)") != std::string::npos);
  CHECK(info.out.find("cooldown   30 s between slots") != std::string::npos);
  fs::remove(a);
}

TEST_CASE("table info, export and merge from the command line", "[profile][cli]") {
  const std::string a = uibnas::testing::unique_temp_path("cli_a.json");
  const std::string b = uibnas::testing::unique_temp_path("cli_b.json");
  const std::string c = uibnas::testing::unique_temp_path("cli_c.json");
  REQUIRE(run_uibnas("profile --hardware box --models conv_small --repeat 2 --warmup 0 --no-progress --overwrite --out " + a).status == 0);
  REQUIRE(run_uibnas("profile --hardware box --threads 2 --models conv_small --repeat 2 --warmup 0 --no-progress --overwrite --out " + b).status == 0);
  const auto info = run_uibnas("table info " + a + " --entries");
  CHECK(info.status == 0);
  CHECK(info.out.find("spread p90/p10 over") != std::string::npos);
  CHECK(info.out.find("mobilenetv4_conv_small") != std::string::npos);
  const auto csv = run_uibnas("table export " + a + " --csv");
  CHECK(csv.status == 0);
  CHECK(size_t(std::count(csv.out.begin(), csv.out.end(), '\n')) == 1 + latency::load_table(a).entries.size());
  const auto refused = run_uibnas("table merge " + a + " " + b + " -o " + c);
  CHECK(refused.status == 2);
  CHECK(refused.err.find("different thread counts") != std::string::npos);
  CHECK(run_uibnas("table merge " + a + " " + b + " -o " + c + " --force").status == 0);
  CHECK(latency::load_table(c).entries.size() == latency::load_table(a).entries.size() + latency::load_table(b).entries.size());
  for (const auto& p : {a, b, c}) fs::remove(p);
}
