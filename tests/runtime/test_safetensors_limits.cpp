// safetensors files at the reading boundary: regular files only, the file size and the header length
// checked before anything is allocated, the header under the JSON nesting limit of every uibnas file,
// and error messages that quote a huge tensor name shortened.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include <sys/stat.h>

#include "common/error.hpp"
#include "common/json_file.hpp"
#include "runtime/weights/safetensors.hpp"
#include "safetensors_test_support.hpp"

using namespace uibnas::runtime::weights;
using namespace safetensors_test;
using Catch::Matchers::Contains;
using uibnas::common::InputError;

namespace {

// A file whose first bytes are `prefix`, then zeros (a hole, no disk space) up to `size` bytes.
std::string sparse_file(const TempDir& tmp, const std::string& prefix, uint64_t size) {
  const std::string path = tmp.file("sparse.safetensors");
  write_bytes(path, prefix);
  std::filesystem::resize_file(path, size);
  return path;
}

}  // namespace

TEST_CASE("safetensors: a 16 GiB file is refused from its size, before any allocation", "[safetensors][limits]") {
  REQUIRE(kMaxSafetensorsFileBytes == (uint64_t{4} << 30));
  TempDir tmp;
  const std::string header = R"({"w":{"dtype":"F32","shape":[4294967296],"data_offsets":[0,17179869184]}})";
  const std::string path = sparse_file(tmp, st_bytes(header, ""), 8 + header.size() + (uint64_t{16} << 30));
  CHECK_THROWS_MATCHES(SafetensorsFile::open(path), InputError,
                       Catch::Message(path + ": a safetensors file is " + std::to_string(8 + header.size() + (uint64_t{16} << 30)) +
                                      " bytes, more than the limit of 4294967296 bytes"));
}

TEST_CASE("safetensors: an endless device or a FIFO is not a weights file", "[safetensors][limits]") {
  CHECK_THROWS_MATCHES(SafetensorsFile::open("/dev/zero"), InputError,
                       Catch::Message("/dev/zero: not a regular file (it is a character device)"));
  TempDir tmp;
  const std::string fifo = tmp.file("weights.fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_THROWS_MATCHES(SafetensorsFile::open(fifo), InputError,
                       Catch::Message(fifo + ": not a regular file (it is a FIFO)"));
}

TEST_CASE("safetensors: a header over the format's 100 MB is refused before it is read", "[safetensors][limits]") {
  REQUIRE(kMaxSafetensorsHeaderBytes == 100000000);
  TempDir tmp;
  const std::string path = sparse_file(tmp, le64(100000001), 8 + 100000001);
  CHECK_THROWS_MATCHES(SafetensorsFile::open(path), InputError,
                       Catch::Message(path + ": header length 100000001 is more than the format's limit of 100000000 bytes"));
  // Exactly at the limit the header is read, and (all zeros here) found not to be JSON.
  const std::string at_limit = sparse_file(tmp, le64(100000000), 8 + 100000000);
  CHECK_THROWS_WITH(SafetensorsFile::open(at_limit), Contains("header is not valid JSON (a NUL byte at offset 0)"));
}

TEST_CASE("safetensors: a header nested a million levels deep is refused at 64", "[safetensors][limits]") {
  TempDir tmp;
  const std::string path = tmp.file("deep.safetensors");
  const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  write_bytes(path, st_bytes(R"({"__metadata__": {"x": )" + deep + "}}", ""));
  CHECK_THROWS_WITH(SafetensorsFile::open(path),
                    Catch::StartsWith(path + ": header nests deeper than " +
                                         std::to_string(uibnas::common::kMaxJsonDepth) + " levels at /__metadata__/x/0/0"));
}

TEST_CASE("safetensors: duplicate keys are still refused through the shared JSON reader", "[safetensors][limits]") {
  TempDir tmp;
  const std::string path = tmp.file("dup.safetensors");
  const std::string t = R"({"dtype":"F32","shape":[1],"data_offsets":[0,4]})";
  write_bytes(path, st_bytes(R"({"a":)" + t + R"(,"a":)" + t + "}", std::string(4, '\0')));
  CHECK_THROWS_MATCHES(SafetensorsFile::open(path), InputError, Catch::Message(path + ": duplicate tensor name 'a'"));
  // A key repeated at a deeper level is the value's business, not a duplicate tensor.
  write_bytes(path, st_bytes(R"({"__metadata__":{"k":"1"},"a":)" + t + "}", std::string(4, '\0')));
  CHECK(SafetensorsFile::open(path).tensors().size() == 1);
}

TEST_CASE("safetensors: an error quotes a megabyte-long tensor name shortened", "[safetensors][limits]") {
  TempDir tmp;
  const std::string path = tmp.file("long_name.safetensors");
  const std::string name(1000000, 'n');
  write_bytes(path, st_bytes(R"({")" + name + R"(":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}})", std::string(1, '\0')));
  CHECK_THROWS_MATCHES(SafetensorsFile::open(path), InputError,
                       Catch::Message(path + ": tensor '" + std::string(60, 'n') +
                                      "\xe2\x80\xa6 (1000000 bytes)': unknown dtype \"F8\""));
}

TEST_CASE("safetensors: offsets near 2^64 do not wrap around the data section", "[safetensors][limits]") {
  TempDir tmp;
  const std::string path = tmp.file("wrap.safetensors");
  write_bytes(path, st_bytes(R"({"t":{"dtype":"U8","shape":[2],"data_offsets":[18446744073709551615,1]}})", "ab"));
  CHECK_THROWS_WITH(SafetensorsFile::open(path), Contains("data_offsets begin 18446744073709551615 > end 1"));
  write_bytes(path, st_bytes(R"({"t":{"dtype":"U8","shape":[2],"data_offsets":[18446744073709551614,18446744073709551615]}})", "ab"));
  CHECK_THROWS_WITH(SafetensorsFile::open(path), Contains("out of range of the data section (2 bytes)"));
}
