// `uibnas report` as a user runs it: the files it writes, its size on a large search, and one clear
// error line with exit 2 for every kind of bad input.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../cli/run_binary.hpp"
#include "reports/csv_table.hpp"
#include "tests/support/test_data.hpp"

namespace fs = std::filesystem;
using uibnas::testing::test_data;
using uibnas::testing::unique_temp_path;

namespace {

const std::string kSource = UIBNAS_SOURCE_DIR;
const std::string kTable1 = kSource + "/latency/tables/xeon-vm-2vcpu-t1.json";
const std::string kTable2 = kSource + "/latency/tables/xeon-vm-2vcpu-t2.json";

using uibnas::testing::slurp;

int count_lines(const std::string& text) { return int(std::count(text.begin(), text.end(), '\n')); }

// Exit 2 and exactly one line on stderr, starting "error: " and holding `what`.
void check_bad_input(const std::string& args, const std::string& what) {
  INFO("uibnas report " << args);
  const BinaryResult r = run_uibnas("report " + args);
  CHECK(r.status == 2);
  CHECK(r.err.rfind("error: ", 0) == 0);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find(what) != std::string::npos);
}

}  // namespace

TEST_CASE("report writes the page and one CSV per figure from a rank file and a table", "[cli][reports]") {
  const fs::path dir = unique_temp_path("report_basic");
  fs::remove_all(dir);
  const BinaryResult r = run_uibnas("report " + test_data("reports/rank.json") + " " + kTable1 + " -o " + (dir / "r.html").string());
  REQUIRE(r.status == 0);
  CHECK(fs::exists(dir / "r.html"));
  // The fixture ranks 11 models on each of two tables; the t1 figure has a row per model.
  const auto tradeoff = uibnas::reports::read_csv_file((dir / "r_files" / "tradeoff-xeon-vm-2vcpu-t1.csv").string());
  CHECK(tradeoff.rows.size() == 11);
  CHECK(fs::exists(dir / "r_files" / "tradeoff-xeon-vm-2vcpu-t2.csv"));
  CHECK(fs::exists(dir / "r_files" / "ridge-point-sweep.csv"));
  CHECK(fs::exists(dir / "r_files" / "latency-breakdown-xeon-vm-2vcpu-t1.csv"));
  const std::string html = slurp(dir / "r.html");
  CHECK(html.find("Skipped: no validation folder given") != std::string::npos);  // missing sections are noted
  CHECK(html.find("Skipped: no search folder given") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("two inputs of one machine and thread count get CSV files of their own", "[cli][reports]") {
  const fs::path dir = unique_temp_path("report_twice");
  fs::remove_all(dir);
  REQUIRE(run_uibnas("report " + kTable1 + " " + kTable1 + " -o " + (dir / "r.html").string()).status == 0);
  for (const char* name : {"latency-breakdown-xeon-vm-2vcpu-t1", "latency-breakdown-xeon-vm-2vcpu-t1-2",
                           "hardware-xeon-vm-2vcpu-t1", "hardware-xeon-vm-2vcpu-t1-2"})
    CHECK(fs::exists(dir / "r_files" / (std::string(name) + ".csv")));
  fs::remove_all(dir);
}

TEST_CASE("a report on a 5,000-candidate search stays under 2 MB and keeps every point in its CSV", "[cli][reports]") {
  const fs::path dir = unique_temp_path("report_large");
  fs::remove_all(dir);
  REQUIRE(run_uibnas("search --space " + kSource + "/searchspace/spaces/conv-m.json --table " + kTable1 +
                     " --allow-missing --objectives latency,params --strategy random --population 500 --budget 5000 "
                     "--no-progress --out " + (dir / "search").string()).status == 0);
  const BinaryResult r = run_uibnas("report " + (dir / "search").string() + " -o " + (dir / "big.html").string());
  REQUIRE(r.status == 0);
  CHECK(fs::file_size(dir / "big.html") < 2'000'000);
  const auto cloud = uibnas::reports::read_csv_file((dir / "big_files" / "search-cloud-search.csv").string());
  CHECK(cloud.rows.size() == 5000);
  CHECK(slurp(dir / "big.html").find("data-points=\"5000\"") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("bad report inputs give one error line and exit 2", "[cli][reports]") {
  const fs::path dir = unique_temp_path("report_bad");
  fs::remove_all(dir);
  fs::create_directories(dir / "empty");
  const std::string out = " -o " + (dir / "r.html").string();
  check_bad_input((dir / "empty").string() + out, "holds nothing to report");
  check_bad_input((dir / "missing.json").string() + out, "no such file or folder");
  check_bad_input(test_data("reports/rank.json"), "output");  // no -o

  std::ofstream(dir / "unknown.json") << "{\"schema\": \"something-else\", \"x\": 1}\n";
  check_bad_input((dir / "unknown.json").string() + out, "unknown kind of input");

  const std::string table = slurp(kTable1);
  std::ofstream(dir / "truncated.json") << table.substr(0, table.size() / 2);
  check_bad_input((dir / "truncated.json").string() + out, "not valid JSON");
  std::string wrong = table;
  wrong.replace(wrong.find("\"threads\": 1"), 12, "\"threads\": \"one\"");
  std::ofstream(dir / "corrupt.json") << wrong;
  check_bad_input((dir / "corrupt.json").string() + out, "corrupt.json");

  // The fixture validated the 1-thread table; given only the 2-thread one, it belongs to another table.
  check_bad_input(kTable2 + " " + test_data("reports/validation-xeon-vm-2vcpu-t1") + out,
                  "matches none of the given latency tables");

  std::ofstream(dir / "rank.json") << "{\"schema\": \"uibnas.rank/1\", \"tables\": [{\"table\": \"t.json\"}]}\n";
  check_bad_input((dir / "rank.json").string() + out, "corrupt rank results");
  fs::remove_all(dir);
}
