// Latency tables: JSON round trip, corrupt and foreign-version files, the merge rules, the build commit.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "common/error.hpp"
#include "latency/latency_table.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;
using namespace uibnas::latency;
namespace fs = std::filesystem;

namespace {

BlockSignature sig(int in_c, int threads = 1) {
  BlockSignature s;
  s.kind = "uir";
  s.in_c = in_c;
  s.out_c = in_c;
  s.mid_c = 4 * in_c;
  s.kernel = 3;
  s.in_h = s.in_w = 14;
  s.threads = threads;
  return s;
}

LatencyTable table(const std::string& hw, int threads) {
  LatencyTable t;
  t.hardware_name = hw;
  t.threads = threads;
  t.hardware.cpu_model = "Test CPU " + hw;
  t.hardware.peaks = {{1, 50.0, 10.0}};
  t.build = current_build();
  t.protocol = {{"repeats", 5}};
  return t;
}

void put(LatencyTable& t, int in_c, double median, int repeats, double p10, double p90) {
  const BlockSignature s = sig(in_c, t.threads);
  t.entries[s.key()] = {s, {median, p10, p90, p10, repeats}};
}

std::string temp(const std::string& name) { return uibnas::testing::unique_temp_path("tbl_" + name); }

}  // namespace

TEST_CASE("a table round-trips through its file", "[table]") {
  LatencyTable t = table("box", 1);
  put(t, 32, 0.5, 20, 0.45, 0.6);
  put(t, 64, 1.5, 20, 1.4, 1.7);
  t.end_to_end.push_back({"m", 224, {3.0, 2.9, 3.3, 2.8, 20}, {sig(32).key(), sig(64).key()}});
  const std::string p = temp("rt.json");
  save_table(t, p);
  const LatencyTable back = load_table(p);
  CHECK(back.entries.size() == 2);
  CHECK(back.find(sig(64).key())->latency.median_ms == 1.5);
  CHECK(back.find(sig(64).key())->latency.spread() == Approx(1.7 / 1.4));
  CHECK(back.end_to_end.at(0).parts == t.end_to_end.at(0).parts);
  CHECK(table_to_json(back) == table_to_json(t));
  for (const auto& e : fs::directory_iterator(fs::temp_directory_path()))
    CHECK(e.path().filename().string().find(fs::path(p).filename().string() + ".tmp") == std::string::npos);
  fs::remove(p);
}

TEST_CASE("corrupt and foreign tables fail with a clear message", "[table][errors]") {
  LatencyTable t = table("box", 1);
  put(t, 32, 0.5, 20, 0.45, 0.6);
  const nlohmann::json good = table_to_json(t);
  const std::string p = temp("bad.json");
  auto check_json = [&](nlohmann::json j, const std::string& expected) {
    std::ofstream(p) << j.dump();
    CHECK_THROWS_WITH(load_table(p), Catch::StartsWith(p + ": ") && Catch::Contains(expected));
  };
  {
    std::ofstream(p) << good.dump().substr(0, 100);
    CHECK_THROWS_WITH(load_table(p), Catch::StartsWith(p + ": corrupt latency table: file is not valid JSON"));
  }
  auto j = good;
  j["version"] = 99;
  check_json(j, "table version 99 is not supported by this uibnas (it reads version 1)");
  j = good;
  j["schema"] = "something-else";
  check_json(j, "not a uibnas latency table");
  j = good;
  j.erase("version");
  check_json(j, "/version: missing");
  j = good;
  j["entries"][0]["latency"]["p90_ms"] = 0.1;
  check_json(j, "/entries/0: inconsistent measurement");
  j = good;
  j["entries"][0]["signature"] = "uir in=1";
  check_json(j, "/entries/0: signature \"uir in=1\" does not match its block fields");
  j = good;
  j["entries"].push_back(j["entries"][0]);
  check_json(j, "/entries/1: duplicate entry");
  j = good;
  j["entries"][0]["block"].erase("kv_stride");
  check_json(j, "/entries/0:");
  j = good;
  j["entries"][0]["block"]["threads"] = 2;
  check_json(j, "/entries/0: signature");  // the key says t=1, the fields t=2
  j = good;
  j["hardware"].erase("peaks");
  check_json(j, "/hardware");
  fs::remove(p);
  CHECK_THROWS_WITH(load_table(temp("missing.json")), Catch::Contains("cannot open file"));
}

TEST_CASE("merge: union, better-founded entry wins, refuses foreign tables unless forced", "[table][merge]") {
  LatencyTable a = table("box", 1), b = table("box", 1);
  put(a, 16, 1.0, 10, 0.9, 1.2);   // only in a
  put(b, 24, 2.0, 10, 1.9, 2.2);   // only in b
  put(a, 32, 3.0, 10, 2.9, 3.2);   // both: b has more repeats -> b
  put(b, 32, 3.5, 20, 3.0, 4.0);
  put(a, 40, 4.0, 10, 3.9, 4.1);   // both, same repeats: a has the smaller spread -> a
  put(b, 40, 4.5, 10, 3.0, 6.0);
  put(a, 48, 5.0, 10, 4.0, 6.0);   // both, same repeats: b has the smaller spread -> b
  put(b, 48, 5.5, 10, 5.4, 5.6);
  b.end_to_end.push_back({"m", 224, {9.0, 8.9, 9.1, 8.8, 20}, {}});
  const LatencyTable m = merge_tables(a, b, false);
  CHECK(m.entries.size() == 5);
  CHECK(m.find(sig(16).key())->latency.median_ms == 1.0);
  CHECK(m.find(sig(24).key())->latency.median_ms == 2.0);
  CHECK(m.find(sig(32).key())->latency.median_ms == 3.5);
  CHECK(m.find(sig(40).key())->latency.median_ms == 4.0);
  CHECK(m.find(sig(48).key())->latency.median_ms == 5.5);
  CHECK(m.end_to_end.size() == 1);
  // Merging is idempotent.
  CHECK(table_to_json(merge_tables(m, m, false)) == table_to_json(m));
  // keep_first: a's entries and runs stand wherever a has them, b only fills in.
  a.end_to_end.push_back({"m", 224, {9.5, 9.4, 9.6, 9.3, 5}, {}});
  const LatencyTable k = merge_tables(a, b, false, MergeConflict::keep_first);
  CHECK(k.entries.size() == 5);
  CHECK(k.find(sig(24).key())->latency.median_ms == 2.0);
  CHECK(k.find(sig(32).key())->latency.median_ms == 3.0);
  CHECK(k.find(sig(48).key())->latency.median_ms == 5.0);
  REQUIRE(k.end_to_end.size() == 1);
  CHECK(k.end_to_end[0].latency.median_ms == 9.5);

  CHECK_THROWS_WITH(merge_tables(a, table("box", 2), false), Catch::Contains("different thread counts (1 and 2)"));
  CHECK_THROWS_WITH(merge_tables(a, table("phone", 1), false), Catch::Contains("different hardware"));
  CHECK(merge_tables(a, table("phone", 1), true).entries.size() == a.entries.size());
}

namespace {
// stdout of a shell command, without its trailing newline.
std::string command_output(const std::string& command) {
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[256];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    ::pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}
}  // namespace

TEST_CASE("the build step writes the commit the sources are at, and rewrites it only on change", "[table]") {
  const std::string source = UIBNAS_SOURCE_DIR;
  const std::string head = command_output("git -C '" + source + "' rev-parse --short HEAD 2>/dev/null");
  const bool dirty = !command_output("git -C '" + source + "' status --porcelain --untracked-files=no 2>/dev/null").empty();
  const std::string expected = head.empty() ? "unknown" : head + (dirty ? "+dirty" : "");
  const std::filesystem::path out = uibnas::testing::unique_temp_path("build_commit.hpp");
  const std::string write = "'" + std::string(UIBNAS_CMAKE_COMMAND) + "' -DSOURCE_DIR='" + source + "' -DOUT='" +
                            out.string() + "' -P '" + source + "/cmake/build_commit.cmake'";
  REQUIRE(std::system(write.c_str()) == 0);
  std::ifstream in(out);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find("#define UIBNAS_GIT_COMMIT \"" + expected + "\"\n") != std::string::npos);
  // Unchanged text is not written again, so the one file that includes it is not recompiled.
  const auto old_time = std::filesystem::file_time_type::clock::now() - std::chrono::hours(24);
  std::filesystem::last_write_time(out, old_time);
  REQUIRE(std::system(write.c_str()) == 0);
  CHECK(std::filesystem::last_write_time(out) == old_time);
  std::filesystem::remove(out);

  // This binary was built from HEAD or from a commit before it (a commit since, without a rebuild).
  const std::string built = uibnas::latency::current_build().commit;
  if (head.empty()) {
    CHECK(built == "unknown");
  } else {
    const std::string base = built.substr(0, built.find('+'));
    CHECK(std::system(("git -C '" + source + "' merge-base --is-ancestor '" + base + "' HEAD").c_str()) == 0);
  }
}
