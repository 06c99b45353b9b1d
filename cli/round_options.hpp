// The --rounds, --settle and --settle-percent options that `profile` and `validate` share: one place
// adds them (each command words their help for what it measures) and checks what was given.
#pragma once
#include <boost/program_options.hpp>

#include "latency/rounds.hpp"

namespace uibnas::cli {

struct RoundOptionsHelp {
  const char* rounds;
  const char* settle;
  const char* settle_percent;
};

// Adds the three options, stored into `plan` (defaults: RoundPlan's).
void add_round_options(boost::program_options::options_description& options, latency::RoundPlan& plan,
                       const RoundOptionsHelp& help);

// Throws InputError naming the option when the plan cannot be run.
void check_round_options(const latency::RoundPlan& plan);

}  // namespace uibnas::cli
