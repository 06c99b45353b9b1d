// common::write_file_atomically: the content lands whole, a failure names the file and leaves
// neither a partial file nor a temporary behind.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;
namespace fs = std::filesystem;

namespace {

using uibnas::testing::slurp;

int entries_in(const fs::path& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST_CASE("write_file_atomically replaces a file with all of its pieces", "[common][atomic]") {
  const fs::path dir = testing::unique_temp_path("atomic_ok");
  fs::create_directories(dir);
  const fs::path file = dir / "out.txt";
  common::write_file_atomically(file.string(), "old");
  common::write_file_atomically(file.string(), std::vector<std::string_view>{"new ", "", "content"});
  CHECK(slurp(file) == "new content");
  CHECK(entries_in(dir) == 1);  // no temporary left
  fs::remove_all(dir);
}

TEST_CASE("a failed atomic write names the file and leaves nothing behind", "[common][atomic]") {
  const fs::path dir = testing::unique_temp_path("atomic_fail");
  fs::create_directories(dir / "a_directory");
  // The target is a directory: the rename fails after the temporary was written.
  try {
    common::write_file_atomically((dir / "a_directory").string(), "text");
    FAIL("no error");
  } catch (const common::InputError& e) {
    CHECK(std::string(e.what()).find((dir / "a_directory").string() + ": cannot write: ") == 0);
  }
  CHECK(entries_in(dir) == 1);  // just the directory: the temporary was removed
  CHECK(fs::is_directory(dir / "a_directory"));
  // A folder that does not exist: nothing can be created.
  CHECK_THROWS_AS(common::write_file_atomically((dir / "missing" / "x.txt").string(), "text"), common::InputError);
  CHECK_FALSE(fs::exists(dir / "missing"));
  fs::remove_all(dir);
}
