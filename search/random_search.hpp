// Random search: every generation is P candidates sampled uniformly per decision. The baseline every
// other strategy should beat at equal budget.
#pragma once
#include "search/strategy.hpp"

namespace uibnas::search {

class RandomSearch : public Strategy {
 public:
  explicit RandomSearch(const searchspace::SearchSpace& space) : space_(space) {}
  std::string name() const override { return "random"; }
  std::vector<searchspace::Choices> propose(int count, searchspace::Rng& rng, const History&) override;
  void accept(const History&, int) override {}
  nlohmann::json state() const override { return nlohmann::json::object(); }
  void restore(const nlohmann::json&, const History&) override {}

 private:
  const searchspace::SearchSpace& space_;
};

}  // namespace uibnas::search
