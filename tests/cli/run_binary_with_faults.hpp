// Runs the built `uibnas` binary in a hostile environment: a full disk (RLIMIT_FSIZE caps every
// file it writes and SIGXFSZ is ignored, so a write past the cap fails with EFBIG as ENOSPC would),
// stdout on /dev/full, or stdout a pipe whose reader has gone. stdout and stderr are otherwise
// pipes, which the cap does not touch.
#pragma once
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <string>

#include "run_binary.hpp"

struct Faults {
  rlim_t max_file_bytes = RLIM_INFINITY;
  std::string stdout_file;           // stdout opened on this file (e.g. /dev/full) instead of a pipe
  bool stdout_reader_gone = false;  // stdout is a pipe whose read end is already closed
  bool ignore_sigpipe = false;      // as a parent that ignores SIGPIPE leaves its children
};

namespace run_binary_detail {

// Reads both pipes to their end, whichever writes first.
inline void drain(int out_fd, int err_fd, BinaryResult& r) {
  std::array<pollfd, 2> fds{{{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}}};
  std::array<std::string*, 2> sinks{&r.out, &r.err};
  for (int open = int(out_fd >= 0) + int(err_fd >= 0); open > 0;) {
    if (::poll(fds.data(), fds.size(), -1) < 0) break;
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, size_t(n));
        continue;
      }
      ::close(fds[i].fd);
      fds[i].fd = -1;  // poll skips negative descriptors
      --open;
    }
  }
}

}  // namespace run_binary_detail

// `args` is split by /bin/sh, as run_uibnas does. A process ended by signal S reads as status 128 + S,
// as a shell reports it.
inline BinaryResult run_uibnas_with_faults(const std::string& args, const Faults& faults) {
  int out_pipe[2], err_pipe[2];
  if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) return {};
  const std::string cmd = std::string("exec ") + UIBNAS_BINARY + " " + args + " </dev/null";
  if (faults.stdout_reader_gone) {  // closed before the child starts, so its first write meets no reader
    ::close(out_pipe[0]);
    out_pipe[0] = -1;
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    const rlimit limit{faults.max_file_bytes, faults.max_file_bytes};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    ::signal(SIGXFSZ, SIG_IGN);  // an ignored signal stays ignored across exec
    ::signal(SIGPIPE, faults.ignore_sigpipe ? SIG_IGN : SIG_DFL);
    const int out = faults.stdout_file.empty() ? out_pipe[1] : ::open(faults.stdout_file.c_str(), O_WRONLY);
    ::dup2(out, 1);
    ::dup2(err_pipe[1], 2);
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]})
      if (fd >= 0) ::close(fd);
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  BinaryResult r;
  run_binary_detail::drain(out_pipe[0], err_pipe[0], r);
  int raw = 0;
  ::waitpid(pid, &raw, 0);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : WIFSIGNALED(raw) ? 128 + WTERMSIG(raw) : -1;
  return r;
}
