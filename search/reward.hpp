// TuNAS's scalar rewards (google-research/tunas; ../shared/reference/paper-facts.md §3) that turn a
// quality Q and a latency T into one number for the single-objective strategies, with T0 the latency
// target and β the cost exponent (TuNAS's default −0.10):
//   abs        Q + β·|T/T0 − 1|        (penalises missing the target either way)
//   mnas       Q·(T/T0)^β              (MnasNet's soft constraint)
//   mnas_hard  Q·min((T/T0)^β, 1)      (no bonus for being faster than the target)
// Rewards are maximised.
#pragma once
#include <string>

namespace uibnas::search {

enum class RewardKind { Abs, Mnas, MnasHard };
RewardKind parse_reward_kind(const std::string& text);  // InputError naming the three
const char* reward_kind_name(RewardKind k);

struct Reward {
  RewardKind kind = RewardKind::Abs;
  double target_latency = 0;  // T0, in the latency objective's unit
  double beta = -0.10;
  double operator()(double quality, double latency) const;
};

}  // namespace uibnas::search
