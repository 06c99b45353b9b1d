// Every part signature a search space can produce: each block choice at each position, for every
// input width its predecessor allows, at every resolution of the space. `profile --space` fills these.
#pragma once
#include <vector>

#include "latency/signature.hpp"
#include "searchspace/search_space.hpp"

namespace uibnas::latency {

// Distinct signatures, in a stable order (resolution, stage, slot kind). Every part of every candidate
// of the space is among them (tested by sampling).
std::vector<BlockSignature> space_signatures(const searchspace::SearchSpace& space, int threads);

}  // namespace uibnas::latency
