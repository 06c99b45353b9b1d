#include "search/reward.hpp"

#include <algorithm>
#include <cmath>

#include "common/error.hpp"

namespace uibnas::search {

RewardKind parse_reward_kind(const std::string& text) {
  if (text == "abs") return RewardKind::Abs;
  if (text == "mnas") return RewardKind::Mnas;
  if (text == "mnas_hard") return RewardKind::MnasHard;
  throw common::InputError("--reward must be abs, mnas or mnas_hard, got '" + text + "'");
}

const char* reward_kind_name(RewardKind k) {
  switch (k) {
    case RewardKind::Abs: return "abs";
    case RewardKind::Mnas: return "mnas";
    case RewardKind::MnasHard: return "mnas_hard";
  }
  return "?";
}

double Reward::operator()(double quality, double latency) const {
  const double ratio = latency / target_latency;
  switch (kind) {
    case RewardKind::Abs: return quality + beta * std::abs(ratio - 1);
    case RewardKind::Mnas: return quality * std::pow(ratio, beta);
    case RewardKind::MnasHard: return quality * std::min(std::pow(ratio, beta), 1.0);
  }
  return quality;
}

}  // namespace uibnas::search
