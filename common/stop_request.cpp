#include "common/stop_request.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>

namespace uibnas::common {
namespace {

std::atomic<int> g_signals{0};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free counter");

struct sigaction g_old_int, g_old_term;

// Async-signal-safe: an atomic add, write(2) and _exit(2) only.
void on_stop_signal(int) {
  if (g_signals.fetch_add(1, std::memory_order_relaxed) == 0) return;
  static const char message[] = "\ninterrupted again: stopped at once; the last checkpoint is intact\n";
  [[maybe_unused]] const ssize_t n = ::write(STDERR_FILENO, message, sizeof message - 1);
  ::_exit(kInterruptedExitStatus);
}

}  // namespace

StopRequest::StopRequest() {
  g_signals.store(0);
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // reads and writes in progress carry on; the run stops at its next check
  ::sigaction(SIGINT, &action, &g_old_int);
  ::sigaction(SIGTERM, &action, &g_old_term);
}

StopRequest::~StopRequest() {
  ::sigaction(SIGINT, &g_old_int, nullptr);
  ::sigaction(SIGTERM, &g_old_term, nullptr);
  g_signals.store(0);
}

bool stop_requested() { return g_signals.load(std::memory_order_relaxed) != 0; }

void throw_if_stop_requested() {
  if (stop_requested()) throw Interrupted("interrupted");
}

}  // namespace uibnas::common
