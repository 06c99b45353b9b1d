#include "cli/round_options.hpp"

#include <string>

#include "cli/command.hpp"
#include "common/error.hpp"

namespace uibnas::cli {
namespace {

// Every round times every slot again.
constexpr long long kMaxRounds = 1000;

}  // namespace

void add_round_options(boost::program_options::options_description& options, latency::RoundPlan& plan,
                       const RoundOptionsHelp& help) {
  namespace po = boost::program_options;
  const latency::RoundPlan defaults;
  options.add_options()
      ("rounds", po::value(&plan.rounds)->default_value(defaults.rounds), help.rounds)
      ("settle", po::value(&plan.settle_rounds)->default_value(defaults.settle_rounds), help.settle)
      ("settle-percent", po::value(&plan.settle_percent)->default_value(defaults.settle_percent), help.settle_percent);
}

void check_round_options(const latency::RoundPlan& plan) {
  if (plan.rounds < 1) throw common::InputError("--rounds must be at least 1, got " + std::to_string(plan.rounds));
  if (plan.settle_rounds < 0) throw common::InputError("--settle must not be negative");
  if (!(plan.settle_percent >= 0)) throw common::InputError("--settle-percent must be a percentage >= 0");
  check_at_most("--rounds", plan.rounds, kMaxRounds);
  check_at_most("--settle", plan.settle_rounds, kMaxRounds);
}

}  // namespace uibnas::cli
