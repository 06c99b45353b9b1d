// Every part signature a search space can produce: each block choice at each position, for every
// input width its predecessor allows, at every resolution of the space. `profile --space` fills these.
#pragma once
#include <cstddef>
#include <vector>

#include "latency/signature.hpp"
#include "searchspace/search_space.hpp"

namespace uibnas::latency {

// The most signatures any space may yield (a search reads them all; ~1 KB each).
constexpr std::size_t kMaxSpaceSignatures = 1000000;
// The most `profile --space` takes unless told otherwise (--max-signatures): hours of profiling.
constexpr std::size_t kDefaultProfileSignatures = 20000;

// Distinct signatures, in a stable order (resolution, stage, slot kind). Every part of every candidate
// of the space is among them (tested by sampling). Throws InputError as soon as there are more than
// `max_signatures`, without enumerating the rest.
std::vector<BlockSignature> space_signatures(const searchspace::SearchSpace& space, int threads,
                                             std::size_t max_signatures = kMaxSpaceSignatures);

}  // namespace uibnas::latency
