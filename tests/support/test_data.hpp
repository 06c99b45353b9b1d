// Where the tests find their data. Small data (tiny timm checkpoints, reference JSON) lives in the
// repository under tests/data, so a plain clone passes `make test`. The large timm fixtures live
// outside it, in the folder named by the environment variable UIBNAS_SHARED (default: ../shared
// beside the clone). A test that needs them reports itself skipped when they are absent, except
// under CI (CI=true), where a missing fixture fails the test so that CI keeps running everything.
#pragma once
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include <unistd.h>

namespace uibnas::testing {

// ctest marks a test skipped when its output holds this marker (SKIP_REGULAR_EXPRESSION, tests/CMakeLists.txt).
inline constexpr const char* kSkippedMarker = "UIBNAS-SKIPPED:";

// A file under tests/data.
inline std::string test_data(const std::string& relative) { return std::string(UIBNAS_TEST_DATA_DIR) + "/" + relative; }

// A path in the temporary folder that no other test process uses: two suites running at once (two
// build folders, or ctest -j) must not overwrite each other's files.
inline std::string unique_temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("uibnas_" + std::to_string(::getpid()) + "_" + name)).string();
}

// A file's whole contents, byte for byte ("" when it cannot be read).
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string shared_dir() {
  const char* env = std::getenv("UIBNAS_SHARED");
  return env != nullptr && *env != '\0' ? std::string(env) : std::string(UIBNAS_SHARED_DIR);
}

inline bool running_under_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

// The path of a file in the shared folder (e.g. "fixtures/x.safetensors"), or nullopt after
// printing the skip marker when it is absent; the caller returns from the test case then.
inline std::optional<std::string> large_fixture(const std::string& relative) {
  const std::string path = shared_dir() + "/" + relative;
  if (std::filesystem::exists(path)) return path;
  const std::string why = "large fixture " + path + " not found (UIBNAS_SHARED names the folder holding fixtures/)";
  if (running_under_ci()) FAIL(why << "; under CI=true every test must run");
  std::cout << kSkippedMarker << ' ' << why << std::endl;
  return std::nullopt;
}

}  // namespace uibnas::testing
