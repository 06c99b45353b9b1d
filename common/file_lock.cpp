#include "common/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/error.hpp"

namespace uibnas::common {
namespace {

// The pid the holder wrote, or "unknown" (it may have locked and not yet written it).
std::string holder_pid(int fd) {
  char buffer[32] = {};
  const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
  std::string pid = n > 0 ? std::string(buffer, size_t(n)) : std::string();
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) return "unknown";
  return pid;
}

int flock_retrying(int fd, int operation) {
  int rc;
  do rc = ::flock(fd, operation);
  while (rc != 0 && errno == EINTR);
  return rc;
}

}  // namespace

FileLock::FileLock(const std::string& lock_path, const std::string& what, Mode mode) {
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw InputError(lock_path + ": cannot create the lock file: " + std::strerror(errno));
  if (flock_retrying(fd_, LOCK_EX | (mode == Mode::refuse ? LOCK_NB : 0)) != 0) {
    const int err = errno;
    const std::string pid = err == EWOULDBLOCK ? holder_pid(fd_) : "";
    ::close(fd_);
    if (err == EWOULDBLOCK)
      throw InputError(what + " is being written by another uibnas process (pid " + pid + ")");
    throw InputError(lock_path + ": cannot lock: " + std::strerror(err));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  // Best effort: the pid only improves the message of a refused writer.
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) < 0) return;
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

std::string lock_path_of_file(const std::string& path) { return path + ".lock"; }

std::string lock_path_of_folder(const std::string& dir) { return (std::filesystem::path(dir) / ".uibnas.lock").string(); }

FileLock lock_output_folder(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(dir + ": cannot create the output folder: " + ec.message());
  return FileLock(lock_path_of_folder(dir), dir, FileLock::Mode::refuse);
}

}  // namespace uibnas::common
