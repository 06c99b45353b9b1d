#include "search/proxy_scores.hpp"

#include <cmath>

#include "search/proxy_measures.hpp"

namespace uibnas::search {

// Layers without an activation (projections, MQA's pre-norm) have no codes, as NASWOT hooks ReLUs only.
double naswot_score(runtime::ProxyExecutor& executor, const std::vector<float>& input) {
  NaswotKernel kernel(executor.batch());
  executor.run(input, [&](const runtime::BatchNormLayer& layer) {
    if (layer.activation >= 0) kernel.add_layer(layer.values, std::size_t(layer.shape.elements()));
  });
  return kernel.log_abs_det();
}

// The BN term reads the unperturbed pass's batch variances, the paper's sigma of each BN layer.
double zen_score(runtime::ProxyExecutor& executor, const std::vector<float>& input, const std::vector<float>& perturbed) {
  double bn_term = 0;
  const std::vector<float> clean = executor.run(input, [&](const runtime::BatchNormLayer& layer) {
    bn_term += log_sqrt_mean_variance(*layer.variance);
  });
  const std::vector<float>& moved = executor.run(perturbed);
  return std::log(mean_frobenius_distance(clean, moved, executor.batch())) + bn_term;
}

// The first sample's feature maps, as MeCo's reference hook reads output[0].
double meco_score(runtime::ProxyExecutor& executor, const std::vector<float>& input) {
  double sum = 0;
  executor.run(input, [&](const runtime::BatchNormLayer& layer) {
    const std::size_t positions = std::size_t(layer.shape.h) * layer.shape.w;
    sum += min_correlation_eigenvalue(layer.values, positions, std::size_t(layer.shape.c));
  });
  return sum;
}

}  // namespace uibnas::search
