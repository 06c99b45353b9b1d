// An independent, deliberately plain interpreter of an operator list: NCHW, double precision,
// unfolded BN, one loop nest per operator kind. The runtime's fused, packed, threaded result must match it.
#pragma once
#include <vector>

#include "arch_defs/operators.hpp"
#include "runtime/parameters.hpp"

namespace uibnas::testing {

struct NaiveResult {
  std::vector<double> logits;
  std::vector<std::vector<double>> stages;  // NCHW
};

NaiveResult run_naive(const arch_defs::OperatorList& ops, const runtime::ParameterMap& params, const std::vector<float>& input_nchw);

}  // namespace uibnas::testing
