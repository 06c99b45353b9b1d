// tests/data holds copies of ../shared's reference JSON and tiny checkpoints so that a plain clone
// can test itself; these copies must stay byte-identical to their originals wherever those exist.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>

#include "tests/support/test_data.hpp"

namespace {

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void check_copy(const std::string& shared_relative, const std::string& data_relative) {
  const auto original = uibnas::testing::large_fixture(shared_relative);
  if (!original) return;
  INFO(data_relative << " against " << *original);
  const std::string copy = file_bytes(uibnas::testing::test_data(data_relative));
  CHECK(copy.size() > 0);
  CHECK(copy == file_bytes(*original));
}

}  // namespace

TEST_CASE("the reference JSON in tests/data equals ../shared/reference", "[reference][large]") {
  for (const char* name : {"mnv4_archs.json", "timm_structure.json", "baselines.json"})
    check_copy(std::string("reference/") + name, std::string("reference/") + name);
}

TEST_CASE("the tiny checkpoints in tests/data equal ../shared/fixtures/tiny", "[reference][large]") {
  for (const char* model : {"tiny_mnv4_conv", "tiny_mnv4_hybrid", "tiny_mnv3"})
    for (const char* suffix : {".arch.json", ".weights.safetensors", ".reference.safetensors"})
      check_copy(std::string("fixtures/tiny/") + model + suffix, std::string("tiny/") + model + suffix);
}
