// The parameters a lowered network needs, under timm's state_dict names: what is expected, a
// deterministic random initialisation (latency work needs no file), and checkpoint loading that
// either fits completely or fails with one message.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "arch_defs/operators.hpp"

namespace uibnas::runtime {

struct ParamTensor {
  std::vector<std::int64_t> shape;
  std::vector<float> data;
};

using ParameterMap = std::map<std::string, ParamTensor>;

struct ParamSpec {
  std::string key;  // "blocks.1.0.dw_mid.conv.weight"
  std::vector<std::int64_t> shape;
};

// Every floating-point tensor the network reads, in operator order (BN running stats included).
std::vector<ParamSpec> expected_parameters(const arch_defs::OperatorList& ops);

// Same seed, same network: same values. Scales keep activations of a deep network in a sane range.
ParameterMap random_parameters(const arch_defs::OperatorList& ops, std::uint64_t seed);

// Reads a safetensors checkpoint with timm's names (F32/F16/BF16). Integer tensors (num_batches_tracked)
// are ignored. Missing, unexpected or mis-shaped keys throw one InputError listing the first few of each.
ParameterMap load_parameters(const std::string& path, const arch_defs::OperatorList& ops);

}  // namespace uibnas::runtime
