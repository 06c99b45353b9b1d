// Each proxy's score of one initialised network for one minibatch, through the batch-statistics
// executor (the definitions are in proxy.hpp; the arithmetic in proxy_measures.hpp).
#pragma once
#include <vector>

#include "runtime/proxy_executor.hpp"

namespace uibnas::search {

// input: [batch] NCHW images.
double naswot_score(runtime::ProxyExecutor& executor, const std::vector<float>& input);
// perturbed: input + alpha * eps, alpha = zen_perturbation.
double zen_score(runtime::ProxyExecutor& executor, const std::vector<float>& input, const std::vector<float>& perturbed);
double meco_score(runtime::ProxyExecutor& executor, const std::vector<float>& input);

inline constexpr double zen_perturbation = 0.01;  // Zen-NAS's alpha (mixup_gamma)

}  // namespace uibnas::search
