// The built `uibnas` run in the background, for the tests that signal or kill it mid-run.
#pragma once
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

namespace uibnas::testing {

class UibnasProcess {
 public:
  // `args` as on a shell command line; stdout is dropped, stderr kept for stderr_text().
  UibnasProcess(const std::string& args, const std::string& stderr_path) : stderr_path_(stderr_path) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string cmd = "exec " + std::string(UIBNAS_BINARY) + " " + args + " >/dev/null 2>" + stderr_path +
                              " </dev/null";
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), (char*)nullptr);
      ::_exit(127);
    }
  }
  ~UibnasProcess() {
    if (running()) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    std::filesystem::remove(stderr_path_);
  }
  UibnasProcess(const UibnasProcess&) = delete;
  UibnasProcess& operator=(const UibnasProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool started() const { return pid_ > 0; }
  void signal(int sig) const { ::kill(pid_, sig); }

  // Its exit status (-N when signal N ended it: not confused with exit(130)), or nullopt while it
  // still runs after `seconds`.
  std::optional<int> wait_for(double seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (running()) {
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return status_;
  }

  // Sends SIGINT and waits at most `seconds` for the exit: its status (as wait_for) and how long it
  // took to stop, the number the Ctrl-C tests bound.
  struct Stop {
    std::optional<int> status;
    double seconds;
  };
  Stop interrupt(double seconds = 10) {
    const auto t0 = std::chrono::steady_clock::now();
    signal(SIGINT);
    const std::optional<int> status = wait_for(seconds);
    return {status, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()};
  }

  std::string stderr_text() const {
    std::ifstream in(stderr_path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  bool running() {
    if (status_ || pid_ <= 0) return false;
    int raw = 0;
    if (::waitpid(pid_, &raw, WNOHANG) != pid_) return true;
    status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : -WTERMSIG(raw);
    return false;
  }

  pid_t pid_ = -1;
  std::string stderr_path_;
  std::optional<int> status_;
};

// Polls `ready` every 5 ms for at most `seconds`; whether it became true.
template <class Predicate>
bool wait_until(Predicate ready, double seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!ready()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace uibnas::testing
