// The relocatable profiling bundle: every library resolves inside it or to the C runtime, and the
// bundled binary runs `hwinfo` from a clean environment.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>

#include "tests/support/test_data.hpp"

namespace fs = std::filesystem;

namespace {
std::string capture(const std::string& cmd, int& status) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::array<char, 4096> buf;
  while (fgets(buf.data(), buf.size(), p)) out += buf.data();
  status = pclose(p);
  return out;
}
bool is_c_runtime(const std::string& name) {
  for (const char* prefix : {"libc.so", "libm.so", "libdl.so", "libpthread.so", "librt.so", "ld-linux", "linux-vdso"})
    if (name.rfind(prefix, 0) == 0) return true;
  return false;
}
}  // namespace

TEST_CASE("the bundle is self-contained and runs hwinfo", "[bundle]") {
  const fs::path dest = fs::path(uibnas::testing::unique_temp_path("bundle_test"));
  fs::remove_all(dest);
  const fs::path build_dir = fs::path(UIBNAS_BINARY).parent_path().parent_path();
  int status = 0;
  capture(std::string(UIBNAS_SOURCE_DIR) + "/latency/make_bundle.sh " + build_dir.string() + " " + dest.string(), status);
  REQUIRE(status == 0);
  const fs::path root = dest / "uibnas-bundle";
  REQUIRE(fs::exists(root / "bin" / "uibnas"));
  REQUIRE(fs::exists(dest / "uibnas-bundle-x86_64.tar.gz"));

  // Move it somewhere else first: nothing may point back at the build tree.
  const fs::path moved = dest / "elsewhere";
  fs::rename(root, moved);
  const std::string ldd = capture("env -i ldd " + (moved / "bin" / "uibnas").string(), status);
  REQUIRE(status == 0);
  std::istringstream lines(ldd);
  std::string line;
  int bundled = 0;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string name, arrow, path;
    fields >> name >> arrow >> path;
    INFO(line);
    CHECK(line.find("not found") == std::string::npos);
    if (arrow != "=>" || path.empty() || path[0] != '/') continue;
    const std::string resolved = fs::weakly_canonical(path).string();
    const bool inside = resolved.rfind(fs::weakly_canonical(moved / "lib").string(), 0) == 0;
    CHECK((inside || is_c_runtime(name)));
    bundled += inside;
  }
  CHECK(bundled >= 3);  // at least oneTBB, Boost.Program_options, libstdc++

  const std::string hw = capture("env -i " + (moved / "bin" / "uibnas").string() + " hwinfo --threads 1 --seconds 0.02 --json", status);
  CHECK(status == 0);
  CHECK(hw.find("\"kernel_isa\"") != std::string::npos);
  CHECK(hw.find("\"gmacs\"") != std::string::npos);
  fs::remove_all(dest);
}
