// Published top-1: timm's ImageNet top-1 of a built-in variant at the candidate's resolution. A
// candidate is that variant when its expanded network is the same layer for layer (names aside); any
// other candidate, or a resolution timm did not publish, is an error naming the candidate.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "search/objective.hpp"

namespace uibnas::search {

class PublishedObjective : public Objective {
 public:
  PublishedObjective();
  std::string name() const override { return "published"; }
  std::string unit() const override { return "top-1 %"; }
  Direction default_direction() const override { return Direction::Maximise; }
  double value(const Candidate& c) const override;

 private:
  std::vector<std::pair<arch_defs::Architecture, arch_defs::Network>> published_;
};

// The same layers, widths, kernels, strides and head, ignoring names and block strings.
bool same_network(const arch_defs::Network& a, const arch_defs::Network& b);

}  // namespace uibnas::search
