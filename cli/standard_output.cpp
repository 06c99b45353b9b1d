#include "cli/standard_output.hpp"

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>

namespace uibnas::cli {
namespace {

// Why a write to stdout fails now, or 0 when that cannot be told. stdio drops the bytes of a failed write,
// and errno is long overwritten, so ask again: a pipe without a reader polls as an error, and an empty
// write still fails on /dev/full or a closed descriptor.
int current_write_error() {
  struct stat st {};
  pollfd p{STDOUT_FILENO, POLLOUT, 0};
  if (::fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode) && ::poll(&p, 1, 0) == 1 && (p.revents & POLLERR))
    return EPIPE;
  if (::write(STDOUT_FILENO, "", 0) < 0) return errno;
  return 0;
}

}  // namespace

int finish_standard_output(int status) {
  std::cout.flush();
  errno = 0;
  const bool flushed = std::fflush(stdout) == 0;
  if (flushed && !std::ferror(stdout) && !std::cout.fail()) return status;
  const int err = flushed || errno == 0 ? current_write_error() : errno;
  if (err == EPIPE) return 128 + SIGPIPE;
  std::cerr << "error: writing to standard output: " << (err != 0 ? std::strerror(err) : "part of the output was lost")
            << "\n";
  return 2;
}

}  // namespace uibnas::cli
