#include "search/random_search.hpp"

namespace uibnas::search {

std::vector<searchspace::Choices> RandomSearch::propose(int count, searchspace::Rng& rng, const History&) {
  std::vector<searchspace::Choices> out;
  for (int i = 0; i < count; ++i) out.push_back(searchspace::sample(space_, rng));
  return out;
}

}  // namespace uibnas::search
