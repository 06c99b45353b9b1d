// The packed signatures of a network's parts (stem, every block, head), computed by following the
// feature-map size through the blocks with the lowering's conv arithmetic: no operator list, no
// strings. It must give exactly latency::network_parts' signatures (a test compares them on every
// published variant and on sampled candidates of every shipped space).
#pragma once
#include <vector>

#include "arch_defs/network.hpp"
#include "estimator/packed_signature.hpp"

namespace uibnas::estimator {

// Clears `out` and fills it (its capacity is reused: no allocation once warm). Throws InputError
// when a feature map would vanish at this resolution.
void packed_network_parts(const arch_defs::Network& net, int resolution, int threads, std::vector<PackedSignature>& out);

}  // namespace uibnas::estimator
