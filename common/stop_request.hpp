// Ctrl-C and SIGTERM for the long commands (profile, validate, search): the first signal asks the run
// to save and stop, which it does at its next check (checks sit between timed runs, so within a second
// or two); a second signal ends the process at once (_exit(130)), leaving the last checkpoint, which
// atomic writes keep whole.
#pragma once
#include <stdexcept>
#include <string>

namespace uibnas::common {

// A run stopped on request after saving; the CLI prints its message and exits 130 (128 + SIGINT).
class Interrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr int kInterruptedExitStatus = 130;

// While one exists, SIGINT and SIGTERM are caught (the previous handlers come back with its end).
class StopRequest {
 public:
  StopRequest();
  ~StopRequest();
  StopRequest(const StopRequest&) = delete;
  StopRequest& operator=(const StopRequest&) = delete;
};

// Whether a signal asked to stop; false while no StopRequest exists. A relaxed load: cheap enough for
// the loop between two timed runs.
bool stop_requested();

// Throws Interrupted("interrupted") when a stop was requested: for the checks deep inside a run, whose
// caller saves and rethrows with what it saved.
void throw_if_stop_requested();

}  // namespace uibnas::common
