// Input files and text at the reading boundary, as a user meets them: each case ends in exit status 2
// and one short `error:` line, where it used to hang, crash, end in exit 1 or echo megabytes back.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "run_binary.hpp"
#include "tests/support/test_data.hpp"

namespace fs = std::filesystem;

namespace {

std::string temp(const std::string& name) { return uibnas::testing::unique_temp_path("input_" + name); }

void write_file(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// Exit 2 and one error line holding `expected`, with nothing that is not UTF-8 in it.
BinaryResult check_refused(const std::string& args, const std::string& expected) {
  const BinaryResult r = run_uibnas(args);
  INFO("uibnas " << args.substr(0, 200) << "\n" << r.err.substr(0, 2000));
  CHECK(r.status == 2);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.rfind("error: ", 0) == 0);
  CHECK(r.err.find(expected) != std::string::npos);
  CHECK(std::none_of(r.err.begin(), r.err.end(), [](char c) { return static_cast<unsigned char>(c) == 0xFF; }));
  return r;
}

// `uibnas args` run by the shell after `setup` (e.g. a ulimit); its exit status and stderr.
BinaryResult run_after(const std::string& setup, const std::string& args) {
  const std::string err = temp("stderr.txt");
  const int raw = std::system(("(" + setup + "; " + UIBNAS_BINARY + " " + args + ") >/dev/null 2>" + err + " </dev/null").c_str());
  BinaryResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  std::ifstream in(err);
  r.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  fs::remove(err);
  return r;
}

}  // namespace

TEST_CASE("a JSON input that is a FIFO, /dev/zero or a folder is refused at once", "[cli][input]") {
  const std::string fifo = temp("space.fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  check_refused("space info " + fifo, fifo + ": not a regular file (it is a FIFO)");
  fs::remove(fifo);
  check_refused("space info /dev/zero", "/dev/zero: not a regular file (it is a character device)");
  const std::string dir = temp("table_dir");
  fs::create_directories(dir);
  check_refused("table info " + dir, dir + ": not a regular file (it is a directory)");
  fs::remove(dir);
}

TEST_CASE("a 16 GiB or endless weights file ends in exit 2, not bad_alloc", "[cli][input]") {
  const std::string big = temp("big.safetensors");
  write_file(big, "");
  fs::resize_file(big, uint64_t{16} << 30);  // sparse: no disk space
  check_refused("run conv_small --threads 1 --repeat 1 --weights " + big,
                big + ": a safetensors file is 17179869184 bytes, more than the limit of 4294967296 bytes");
  fs::remove(big);
  check_refused("run conv_small --threads 1 --repeat 1 --weights /dev/zero", "/dev/zero: not a regular file (it is a character device)");
}

TEST_CASE("option values that are not UTF-8 are refused before they reach JSON output", "[cli][input]") {
  check_refused("profile --hardware 'lab\xff' --models conv_small_035 --repeat 1 --warmup 1 --no-progress --out " + temp("t.json"),
                "error: the argument for option '--hardware' is not valid UTF-8 (byte 0xff at offset 3)\n");
  // An architecture file without a name is named after the file: a name that cannot be printed as JSON.
  const std::string dir = temp("names");
  fs::create_directories(dir);
  const std::string file = dir + "/arch\xff.json";
  write_file(file, R"({"stages": [["cn_r1_k3_s2_c32"]]})");
  check_refused("show '" + file + "' --format json", "error: the model argument is not valid UTF-8 (byte 0xff at offset ");
  fs::remove_all(dir);
}

TEST_CASE("an architecture name that is not UTF-8 is refused without printing its bytes", "[cli][input]") {
  const std::string file = temp("bad_name.json");
  write_file(file, std::string(R"({"name": "conv)") + "\xff" + R"(", "stages": [["cn_r1_k3_s2_c32"]]})");
  check_refused("show " + file, file + ": architecture file is not valid JSON ([json.exception.parse_error.101]");
  // A megabyte-long name before the bad byte: the parser's message quotes it all; the error does not.
  write_file(file, R"({"name": ")" + std::string(1000000, 'n') + "\xff\"}");
  const BinaryResult r = check_refused("show " + file, "ill-formed UTF-8 byte");
  CHECK(r.err.size() < 500);
  fs::remove(file);
}

TEST_CASE("errors quote a megabyte-long block string, key or name shortened", "[cli][input]") {
  const std::string file = temp("long.json");
  write_file(file, R"({"name": "x", "stages": [["cn_r1_k3_s2_c32_)" + std::string(1000000, 'x') + R"("]]})");
  BinaryResult r = check_refused("show " + file, file + ": stage 0, block 0 'cn_r1_k3_s2_c32_" + std::string(44, 'x') +
                                                     "\xe2\x80\xa6 (1000016 bytes)': option '" + std::string(60, 'x') +
                                                     "\xe2\x80\xa6 (1000000 bytes)' has no value");
  CHECK(r.err.size() < 400);
  write_file(file, R"({")" + std::string(1000000, 'k') + R"(": 1, "stages": [["cn_r1_k3_s2_c32"]]})");
  r = check_refused("show " + file, file + ": /" + std::string(60, 'k') + "\xe2\x80\xa6 (1000000 bytes): unknown field");
  CHECK(r.err.size() < 400);
  fs::remove(file);
  // The command line holds at most 128 KiB per argument; an unknown model name of 100 kB:
  r = check_refused("show " + std::string(100000, 'm'), "unknown model '" + std::string(60, 'm') + "\xe2\x80\xa6 (100000 bytes)'");
  CHECK(r.err.size() < 1000);
}

TEST_CASE("a file system error (an output folder below a regular file) is one error line, exit 2", "[cli][input]") {
  const std::string table = temp("fs_table.json");
  REQUIRE(run_uibnas("profile --hardware tiny --models conv_small_035 --repeat 1 --warmup 1 --no-progress --out " + table).status == 0);
  check_refused("validate --table " + table + " --models conv_small_035,conv_small_050 --repeat 1 --rounds 1 --warmup 1 --no-progress --out " +
                    table + "/v",
                table + "/v: cannot create the output folder: Not a directory");
  fs::remove(table);
}

TEST_CASE("running out of memory is one error line, exit 2", "[cli][input]") {
#if defined(__SANITIZE_ADDRESS__)
  SUCCEED("AddressSanitizer reserves more address space than the limit allows");
#else
  // 200 MB of address space: hybrid_large's 151 MB of packed weights and its arena do not fit.
  const BinaryResult r = run_after("ulimit -v 200000", "run hybrid_large --threads 1 --repeat 1 --warmup 0");
  INFO(r.err);
  CHECK(r.status == 2);
  CHECK(r.err == "error: out of memory while running uibnas run (more memory than this process may use)\n");
#endif
}
