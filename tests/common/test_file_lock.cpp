// common::FileLock: one holder at a time, a refusal naming the holder's pid, a waiter that gets the
// lock once it is released.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include <unistd.h>

#include "common/error.hpp"
#include "common/file_lock.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;


TEST_CASE("a held lock refuses a second writer, naming the holder's pid", "[common][lock]") {
  const std::string path = uibnas::testing::unique_temp_path("lock_refuse.json");
  const std::string lock_path = common::lock_path_of_file(path);
  CHECK(lock_path == path + ".lock");
  {
    const common::FileLock held(lock_path, path, common::FileLock::Mode::refuse);
    REQUIRE_THROWS_MATCHES(common::FileLock(lock_path, path, common::FileLock::Mode::refuse), common::InputError,
                           Catch::Matchers::Message(path + " is being written by another uibnas process (pid " +
                                                    std::to_string(::getpid()) + ")"));
  }
  CHECK_NOTHROW(common::FileLock(lock_path, path, common::FileLock::Mode::refuse));  // released with its holder
  std::filesystem::remove(lock_path);
}

TEST_CASE("a waiting lock is granted when the holder releases it", "[common][lock]") {
  const std::string lock_path = uibnas::testing::unique_temp_path("lock_wait.lock");
  auto held = std::make_unique<common::FileLock>(lock_path, "x", common::FileLock::Mode::refuse);
  const auto t0 = std::chrono::steady_clock::now();
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    held.reset();
  });
  { const common::FileLock waited(lock_path, "x", common::FileLock::Mode::wait); }
  const double waited_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  releaser.join();
  CHECK(waited_s >= 0.25);
  std::filesystem::remove(lock_path);
}

TEST_CASE("an output folder's lock is created inside it, an impossible folder is one clear error", "[common][lock]") {
  const std::string dir = uibnas::testing::unique_temp_path("lock_folder") + "/nested";
  {
    const common::FileLock lock = common::lock_output_folder(dir);
    CHECK(std::filesystem::exists(dir + "/.uibnas.lock"));
  }
  std::filesystem::remove_all(std::filesystem::path(dir).parent_path());
  REQUIRE_THROWS_WITH(common::lock_output_folder("/proc/uibnas_no/out"),
                      Catch::Matchers::StartsWith("/proc/uibnas_no/out: cannot create the output folder"));
}
