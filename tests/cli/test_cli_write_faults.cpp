// Every writer of uibnas on a full disk and below a folder that cannot exist: exit 2 with one error
// line naming the file, no "wrote" line, the previous file untouched and no temporary left beside it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "run_binary_with_faults.hpp"
#include "tests/support/test_data.hpp"

namespace fs = std::filesystem;
using uibnas::testing::unique_temp_path;

namespace {

const std::string kSource = UIBNAS_SOURCE_DIR;
const std::string kTable = kSource + "/latency/tables/xeon-vm-2vcpu-t1.json";
const std::string kTable2 = kSource + "/latency/tables/xeon-vm-2vcpu-t2.json";
const std::string kSpace = kSource + "/searchspace/spaces/conv-s.json";

// Small enough that every output of uibnas overflows it.
constexpr rlim_t kFullDisk = 16;

using uibnas::testing::slurp;

void spit(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

int count_lines(const std::string& text) { return int(std::count(text.begin(), text.end(), '\n')); }

// Names of the files in `dir` that are a writer's temporaries.
std::vector<std::string> temporaries_in(const fs::path& dir) {
  std::vector<std::string> found;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().filename().string().find(".tmp") != std::string::npos) found.push_back(e.path().string());
  return found;
}

// Every file under `dir` with its content.
// The folder's outputs; its lock file holds the last writer's pid, not an output.
std::map<std::string, std::string> contents_of(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename() != ".uibnas.lock") files[e.path().string()] = slurp(e.path());
  return files;
}

// The failure a user must see: exit 2, one "error: " line naming `file`, no success message.
void check_write_failed(const BinaryResult& r, const std::string& file) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.status == 2);
  CHECK(r.err.rfind("error: ", 0) == 0);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find(file) != std::string::npos);
  CHECK(r.out.find("wrote") == std::string::npos);
  CHECK(r.err.find("wrote") == std::string::npos);
}

BinaryResult on_full_disk(const std::string& args) {
  INFO("uibnas " << args);
  Faults faults;
  faults.max_file_bytes = kFullDisk;
  return run_uibnas_with_faults(args, faults);
}

}  // namespace

TEST_CASE("table export on a full disk fails and keeps the previous CSV", "[cli][faults]") {
  const fs::path dir = unique_temp_path("fault_export");
  fs::create_directories(dir);
  const fs::path csv = dir / "t.csv";
  spit(csv, "the previous export\n");
  check_write_failed(on_full_disk("table export " + kTable + " --csv -o " + csv.string()), csv.string());
  CHECK(slurp(csv) == "the previous export\n");
  CHECK(temporaries_in(dir).empty());
  fs::remove_all(dir);
}

TEST_CASE("profile and table merge on a full disk keep the previous table", "[cli][faults]") {
  const fs::path dir = unique_temp_path("fault_table");
  fs::create_directories(dir);
  const fs::path table = dir / "t.json";
  const std::string previous = slurp(kTable);
  spit(table, previous);
  check_write_failed(on_full_disk("profile --hardware box --models conv_small_035 --repeat 2 --warmup 0 --rounds 1 "
                                  "--settle 0 --no-progress --overwrite --out " + table.string()),
                     table.string());
  CHECK(slurp(table) == previous);
  check_write_failed(on_full_disk("table merge " + kTable + " " + kTable2 + " --force -o " + table.string()), table.string());
  CHECK(slurp(table) == previous);
  CHECK(temporaries_in(dir).empty());
  fs::remove_all(dir);
}

TEST_CASE("rank --json and --csv on a full disk keep the previous files", "[cli][faults]") {
  const fs::path dir = unique_temp_path("fault_rank");
  fs::create_directories(dir);
  const std::string base = "rank --table " + kTable + " --models conv_small,conv_medium ";
  for (const char* option : {"--json", "--csv"}) {
    const fs::path out = dir / (std::string("rank") + option);
    spit(out, "previous results\n");
    check_write_failed(on_full_disk(base + option + " " + out.string()), out.string());
    CHECK(slurp(out) == "previous results\n");
  }
  CHECK(temporaries_in(dir).empty());
  fs::remove_all(dir);
}

TEST_CASE("report on a full disk fails naming a file and keeps the previous page", "[cli][faults]") {
  const fs::path dir = unique_temp_path("fault_report");
  fs::create_directories(dir);
  const std::string args = "report " + uibnas::testing::test_data("reports/rank.json") + " " + kTable + " -o ";
  REQUIRE(run_uibnas(args + (dir / "r.html").string()).status == 0);
  const auto before = contents_of(dir);
  // The CSV files are written first: the first of them fails.
  check_write_failed(on_full_disk(args + (dir / "r.html").string()), (dir / "r_files").string());
  CHECK(contents_of(dir) == before);
  CHECK(temporaries_in(dir).empty());
  fs::remove_all(dir);
}

TEST_CASE("search on a full disk keeps its previous outputs and checkpoint", "[cli][faults]") {
  const fs::path dir = unique_temp_path("fault_search");
  fs::remove_all(dir);
  const std::string args = "search --space " + kSpace + " --table " + kTable +
                           " --allow-missing --objectives latency,params --strategy random --population 10 --budget 20 "
                           "--no-progress --out ";
  check_write_failed(on_full_disk(args + (dir / "fresh").string()), (dir / "fresh").string());
  CHECK(temporaries_in(dir).empty());
  REQUIRE(run_uibnas(args + (dir / "done").string()).status == 0);
  const auto before = contents_of(dir / "done");
  REQUIRE(before.count((dir / "done" / "checkpoint.json").string()) == 1);
  check_write_failed(on_full_disk(args + (dir / "done").string() + " --resume"), (dir / "done").string());
  CHECK(contents_of(dir / "done") == before);
  CHECK(temporaries_in(dir).empty());
  fs::remove_all(dir);
}

TEST_CASE("run --output on a full disk keeps the previous safetensors file", "[cli][faults]") {
  const fs::path dir = unique_temp_path("fault_run");
  fs::create_directories(dir);
  const fs::path out = dir / "logits.safetensors";
  spit(out, "previous logits");
  check_write_failed(on_full_disk("run conv_small --resolution 96 --threads 1 --repeat 1 --warmup 0 --output " + out.string()),
                     out.string());
  CHECK(slurp(out) == "previous logits");
  CHECK(temporaries_in(dir).empty());
  fs::remove_all(dir);
}

TEST_CASE("validate on a full disk, or with an output it cannot replace, says so and keeps its folder",
          "[cli][faults][slow]") {
  const fs::path dir = unique_temp_path("fault_validate");
  fs::remove_all(dir);
  const std::string args = "validate --table " + kTable + " --models conv_small_035,conv_small_050 --repeat 2 --rounds 1 "
                           "--settle 0 --warmup 1 --no-progress --out " + (dir / "v").string();
  REQUIRE(run_uibnas(args).status == 0);
  const auto before = contents_of(dir / "v");
  check_write_failed(on_full_disk(args + " --reuse"), (dir / "v").string());
  CHECK(contents_of(dir / "v") == before);
  CHECK(temporaries_in(dir).empty());
  // summary.txt cannot be replaced by a file: the folder's last output fails, and no "wrote" line claims it.
  fs::remove(dir / "v" / "summary.txt");
  fs::create_directory(dir / "v" / "summary.txt");
  check_write_failed(run_uibnas(args + " --reuse"), (dir / "v" / "summary.txt").string());
  CHECK(temporaries_in(dir).empty());
  fs::remove_all(dir);
}

TEST_CASE("an output below a missing folder, a regular file or /proc is one error naming it", "[cli][faults]") {
  const fs::path dir = unique_temp_path("fault_dirs");
  fs::create_directories(dir);
  spit(dir / "a_file", "not a folder");
  // Root ignores permission bits, so these parents fail for every user.
  for (const fs::path& out : {dir / "missing" / "out", dir / "a_file" / "out", fs::path("/proc/uibnas_out")}) {
    const std::string o = out.string();
    check_write_failed(run_uibnas("table export " + kTable + " --csv -o " + o), o);
    check_write_failed(run_uibnas("table merge " + kTable + " " + kTable2 + " --force -o " + o), o);
    check_write_failed(run_uibnas("rank --table " + kTable + " --models conv_small --json " + o), o);
    check_write_failed(run_uibnas("rank --table " + kTable + " --models conv_small --csv " + o), o);
    check_write_failed(run_uibnas("run conv_small --resolution 96 --threads 1 --repeat 1 --warmup 0 --output " + o), o);
  }
  CHECK(slurp(dir / "a_file") == "not a folder");
  fs::remove_all(dir);
}
