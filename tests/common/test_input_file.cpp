// The one way uibnas opens a file it reads: regular files only, the size limit checked before any
// read, exactly the file's size read. JSON files go through it, with a NUL byte refused.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/error.hpp"
#include "common/input_file.hpp"
#include "common/json_file.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;
namespace fs = std::filesystem;

namespace {

std::string write_temp(const std::string& name, const std::string& bytes) {
  const std::string p = uibnas::testing::unique_temp_path(name);
  std::ofstream(p, std::ios::binary) << bytes;
  return p;
}

// A file of `size` bytes that takes no disk space.
std::string sparse_file(const std::string& name, uint64_t size) {
  const std::string p = uibnas::testing::unique_temp_path(name);
  std::ofstream(p, std::ios::binary).close();
  fs::resize_file(p, size);
  return p;
}

}  // namespace

TEST_CASE("JSON files must be regular files, a FIFO or /dev/zero is refused without blocking", "[json][files]") {
  const std::string fifo = uibnas::testing::unique_temp_path("input.fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);  // no writer: a blocking open would wait forever
  CHECK_THROWS_MATCHES(common::read_json_file(fifo, "a table"), common::InputError,
                       Catch::Message(fifo + ": not a regular file (it is a FIFO)"));
  fs::remove(fifo);
  CHECK_THROWS_MATCHES(common::read_json_file("/dev/zero", "a table"), common::InputError,
                       Catch::Message("/dev/zero: not a regular file (it is a character device)"));
  const std::string dir = uibnas::testing::unique_temp_path("input_dir");
  fs::create_directories(dir);
  CHECK_THROWS_MATCHES(common::read_json_file(dir, "a table"), common::InputError,
                       Catch::Message(dir + ": not a regular file (it is a directory)"));
  fs::remove(dir);
}

TEST_CASE("a socket is not read as a JSON file", "[json][files]") {
  const std::string path = "/tmp/uibnas_" + std::to_string(::getpid()) + ".sock";  // sun_path holds 108 bytes
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  path.copy(addr.sun_path, sizeof addr.sun_path - 1);
  REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
  CHECK_THROWS_MATCHES(common::read_json_file(path, "a table"), common::InputError,
                       Catch::Message(path + ": not a regular file (it is a socket)"));
  ::close(fd);
  fs::remove(path);
}

TEST_CASE("a JSON file over 256 MiB is refused from its size before it is read", "[json][files]") {
  REQUIRE(common::kMaxJsonFileBytes == 268435456);
  const std::string big = sparse_file("big.json", common::kMaxJsonFileBytes + 1);
  CHECK_THROWS_MATCHES(common::read_json_file(big, "a latency table"), common::InputError,
                       Catch::Message(big + ": a latency table is 268435457 bytes, more than the limit of 268435456 bytes"));
  fs::remove(big);
}

TEST_CASE("InputFile reads exactly the bytes asked for, within the size it had when opened", "[files]") {
  const std::string p = write_temp("ten.bin", "0123456789");
  const common::InputFile f(p, 100, "a test file");
  CHECK(f.size() == 10);
  char four[4];
  f.read_at(6, four, 4);
  CHECK(std::string(four, 4) == "6789");
  CHECK_THROWS_MATCHES(f.read_at(8, four, 4), common::InputError,
                       Catch::Message(p + ": cannot read bytes [8, 12) of a 10-byte file"));
  std::ofstream(p, std::ios::binary | std::ios::app) << "grown later";  // a writer appends meanwhile
  CHECK(f.read_all() == "0123456789");
  CHECK_THROWS_MATCHES(common::InputFile(p, 20, "a test file"), common::InputError,
                       Catch::Message(p + ": a test file is 21 bytes, more than the limit of 20 bytes"));
  fs::remove(p);
}

TEST_CASE("a NUL byte in JSON text is refused instead of ending the document early", "[json]") {
  const std::string p = write_temp("nul.json", std::string("{\"a\": 1}\0{\"b\": 2}", 17));
  CHECK_THROWS_MATCHES(common::read_json_file(p, "a test file"), common::InputError,
                       Catch::Message(p + ": a test file is not valid JSON (a NUL byte at offset 8)"));
  fs::remove(p);
}

TEST_CASE("a JSON error quotes a megabyte-long string or key shortened", "[json]") {
  const std::string megabyte(1000000, 'k');
  try {
    common::parse_json_text("{\"name\": \"" + megabyte + "\xff\"}", "arch.json", "an architecture");
    FAIL("no error");
  } catch (const common::InputError& e) {
    const std::string what = e.what();
    CHECK(what.rfind("arch.json: an architecture is not valid JSON ([json.exception.parse_error.101]", 0) == 0);
    CHECK(what.size() < 400);
    CHECK(what.find("(1000") != std::string::npos);  // the length of the parser's message, quoting it all
  }
  const std::string deep = "{\"" + megabyte + "\": " + std::string(100, '[') + std::string(100, ']') + "}";
  CHECK_THROWS_WITH(common::parse_json_text(deep, "t.json", "a table"),
                    Catch::StartsWith("t.json: a table nests deeper than 64 levels at /" + std::string(60, 'k') +
                                      "\xe2\x80\xa6 (1000000 bytes)/0/0"));
}
