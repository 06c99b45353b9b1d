#include "common/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.hpp"

namespace uibnas::common {
namespace {

const char* file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a plain file";
}

}  // namespace

InputFile::InputFile(const std::string& path, uint64_t max_bytes, const std::string& what) : path_(path) {
  // stat first: a socket cannot be opened at all, and a FIFO's open could wait for a writer. The
  // open is non-blocking anyway and fstat checks again, in case the path was replaced in between.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    throw InputError(path + ": not a regular file (it is " + file_kind(st.st_mode) + ")");
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd_ < 0) {
    const int err = errno;
    throw InputError(path + ": cannot open file" + (err == ENOENT ? "" : std::string(": ") + std::strerror(err)));
  }
  if (::fstat(fd_, &st) != 0) {
    const int err = errno;
    ::close(fd_);
    throw InputError(path + ": cannot stat file: " + std::strerror(err));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd_);
    throw InputError(path + ": not a regular file (it is " + file_kind(st.st_mode) + ")");
  }
  size_ = static_cast<uint64_t>(st.st_size);
  if (size_ > max_bytes) {
    ::close(fd_);
    throw InputError(path + ": " + what + " is " + std::to_string(size_) + " bytes, more than the limit of " +
                     std::to_string(max_bytes) + " bytes");
  }
}

InputFile::~InputFile() { ::close(fd_); }

void InputFile::read_at(uint64_t offset, void* out, size_t n) const {
  if (offset > size_ || n > size_ - offset)
    throw InputError(path_ + ": cannot read bytes [" + std::to_string(offset) + ", " + std::to_string(offset + n) +
                     ") of a " + std::to_string(size_) + "-byte file");
  auto* dst = static_cast<char*>(out);
  while (n > 0) {
    const ssize_t got = ::pread(fd_, dst, n, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw InputError(path_ + ": cannot read file: " + std::strerror(errno));
    if (got == 0) throw InputError(path_ + ": the file shrank while it was read");
    dst += got;
    offset += static_cast<uint64_t>(got);
    n -= static_cast<size_t>(got);
  }
}

std::string InputFile::read_all() const {
  std::string text(static_cast<size_t>(size_), '\0');
  read_at(0, text.data(), text.size());
  return text;
}

std::string read_input_file(const std::string& path, const std::string& what) {
  return InputFile(path, kMaxInputFileBytes, what).read_all();
}

}  // namespace uibnas::common
