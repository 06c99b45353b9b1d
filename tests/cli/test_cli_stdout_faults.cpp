// Commands whose standard output fails: on /dev/full, one error line and exit 2; a pipe whose reader
// went away ends them quietly, with the status SIGPIPE gives.
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "run_binary_with_faults.hpp"
#include "tests/support/test_data.hpp"

namespace {

const std::string kSource = UIBNAS_SOURCE_DIR;
const std::string kTable = kSource + "/latency/tables/xeon-vm-2vcpu-t1.json";
const std::string kSpace = kSource + "/searchspace/spaces/conv-s.json";

}  // namespace

TEST_CASE("every command printing to a full stdout fails with one error line", "[cli][faults]") {
  for (const std::string& args : std::vector<std::string>{
           "models", "--help", "show conv_small", "show conv_small --format json", "space info " + kSpace,
           "table info " + kTable + " --entries",
           "table export " + kTable + " --csv", "rank --table " + kTable + " --json -",
           "estimate conv_small --table " + kTable}) {
    INFO("uibnas " << args << " >/dev/full");
    Faults faults;
    faults.stdout_file = "/dev/full";
    const BinaryResult r = run_uibnas_with_faults(args, faults);
    CHECK(r.status == 2);
    CHECK(r.err == "error: writing to standard output: No space left on device\n");
  }
}

TEST_CASE("stdout redirected to a file on a full disk fails with one error line", "[cli][faults]") {
  const std::string file = uibnas::testing::unique_temp_path("stdout_full_disk.txt");
  for (const std::string& args : std::vector<std::string>{"models", "table export " + kTable + " --csv"}) {
    INFO("uibnas " << args << " >" << file << " on a full disk");
    Faults faults;
    faults.stdout_file = file;
    faults.max_file_bytes = 16;
    std::ofstream(file).close();
    const BinaryResult r = run_uibnas_with_faults(args, faults);
    CHECK(r.status == 2);
    CHECK(r.err.rfind("error: writing to standard output: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  std::remove(file.c_str());
}

TEST_CASE("stdout closed by its reader ends the command quietly, as SIGPIPE ends coreutils", "[cli][faults]") {
  // The default SIGPIPE ends the process as it ends `seq 1000000 | head -1`: no message.
  Faults faults;
  faults.stdout_reader_gone = true;
  const BinaryResult killed = run_uibnas_with_faults("models", faults);
  CHECK(killed.status == 128 + SIGPIPE);
  CHECK(killed.err.empty());
  // A parent that ignores SIGPIPE leaves writes failing with EPIPE: the same quiet end, the same status.
  faults.ignore_sigpipe = true;
  const BinaryResult ignored = run_uibnas_with_faults("table info " + kTable + " --entries", faults);
  CHECK(ignored.status == 128 + SIGPIPE);
  CHECK(ignored.err.empty());
  // Output written in one piece larger than stdio's buffer fails inside the command, not at the flush.
  const BinaryResult in_one_piece = run_uibnas_with_faults("table export " + kTable + " --csv", faults);
  CHECK(in_one_piece.status == 128 + SIGPIPE);
  CHECK(in_one_piece.err.empty());
}
