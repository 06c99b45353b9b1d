// A training-free proxy (search/proxy.hpp) as a search objective: maximised by default. A proxy is
// evidence of trainability at initialisation, not of accuracy (docs/search.md).
#pragma once
#include <string>

#include "search/objective.hpp"
#include "search/proxy.hpp"

namespace uibnas::search {

class ProxyObjective : public Objective {
 public:
  ProxyObjective(ProxyKind kind, const ProxySettings& settings);
  std::string name() const override { return proxy_name(kind_); }
  std::string unit() const override { return "score"; }
  Direction default_direction() const override { return Direction::Maximise; }
  double value(const Candidate& c) const override;

 private:
  ProxyKind kind_;
  ProxySettings settings_;
};

}  // namespace uibnas::search
