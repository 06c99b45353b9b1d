// What the proxies run: a network's backbone (up to its last stage, the pre-GAP feature map) with
// random parameters and a random minibatch, both from one seed.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "arch_defs/network.hpp"
#include "arch_defs/operators.hpp"
#include "runtime/parameters.hpp"

namespace uibnas::search {

// The operator list of `net` at `resolution` cut after its last stage (output = that stage's output).
arch_defs::OperatorList backbone_operators(const arch_defs::Network& net, int resolution);

// A fast, seedable source of approximately standard normal floats: the sum of four 16-bit uniforms
// (Irwin-Hall, rescaled to variance 1). Proxies with batch-statistics BN depend on the first two
// moments of the weights, which are exact; a true Gaussian generator would cost more than the forward
// pass. Each fill draws a new 64-bit key and hashes (key, index) per value, a loop that vectorises.
class NormalSource {
 public:
  explicit NormalSource(std::uint64_t seed) : state_(seed) {}
  void fill(float* out, std::size_t count, float std_dev);

 private:
  std::uint64_t state_;
};

// How conv and linear weights are drawn: N(0, 1) (Zen-NAS) or N(0, 1 / fan_in) (He-like scale, which
// keeps attention logits, the one place no BN follows a projection, out of saturation).
enum class WeightScale { Unit, FanIn };

// Random parameters drawn as the executor asks for them (a runtime::ParameterSource), one reused
// buffer: conv/linear weights as WeightScale says; BN weight 1, bias 0 (running statistics unused);
// layer scale gamma 1, not timm's 1e-5: that training aid would shrink every non-residual
// layer-scaled block's output 1e5-fold, which Zen's BN term would count as log(1e-5) per block,
// ranking layer-scale placement rather than the architecture (Zen-NAS initialises every parameter,
// none by such a rule). Values depend on the order of requests, which the executor fixes.
class ProxyParameters {
 public:
  ProxyParameters(const arch_defs::OperatorList& ops, WeightScale scale, NormalSource& normal);
  const std::vector<float>& operator()(const std::string& key);

 private:
  std::map<std::string, std::vector<std::int64_t>> shapes_;
  WeightScale scale_;
  NormalSource& normal_;
  std::vector<float>& buffer_;  // the thread's draw buffer, kept from one network to the next
};

// `count` values N(0, 1).
std::vector<float> normal_values(std::size_t count, NormalSource& normal);

}  // namespace uibnas::search
