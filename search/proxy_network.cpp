#include "search/proxy_network.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "runtime/kernels/isa.hpp"

namespace uibnas::search {

arch_defs::OperatorList backbone_operators(const arch_defs::Network& net, int resolution) {
  arch_defs::OperatorList ops = arch_defs::lower_network(net, resolution);
  const int last = ops.stage_outputs.back();
  ops.ops.resize(std::size_t(last) + 1);
  ops.output = last;
  return ops;
}

namespace {

// Chris Wellons' lowbias32: a bijection of 32-bit integers with good avalanche.
inline std::uint32_t hash32(std::uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

UIBNAS_WIDEST_VECTORS
void fill_irwin_hall(float* out, std::uint32_t n, std::uint32_t k0, std::uint32_t k1, float std_dev) {
  // Each 16-bit uniform (u + 0.5) / 65536 has mean 1/2 and variance 1/12: the sum of four, centred,
  // times sqrt(3) has variance 1.
  const float scale = std_dev * 1.7320508f / 65536.0f, offset = 2.0f - 2.0f * 65536.0f;
  // One keyed lowbias32 per 32 bits: the fill key already differs per call, and the weights need
  // independence, not cryptographic strength; this loop is most of a proxy network's set-up.
  // 32-bit counters and signed conversions (the halves fit in an int) let the loop vectorise.
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t a = hash32(((2 * i) ^ k0) + k1);
    const std::uint32_t b = hash32(((2 * i + 1) ^ k0) + k1);
    const int sum = int(a & 0xffff) + int(a >> 16) + int(b & 0xffff) + int(b >> 16);
    out[i] = (float(sum) + offset) * scale;
  }
}

}  // namespace

void NormalSource::fill(float* out, std::size_t count, float std_dev) {
  const std::uint64_t key = splitmix64(state_);
  fill_irwin_hall(out, std::uint32_t(count), std::uint32_t(key), std::uint32_t(key >> 32), std_dev);
}

// Scoring candidates one after another on a thread reuses this, rather than having every network
// fault in (and zero) fresh pages for its largest tensor.
thread_local std::vector<float> t_draw_buffer;

ProxyParameters::ProxyParameters(const arch_defs::OperatorList& ops, WeightScale scale, NormalSource& normal)
    : scale_(scale), normal_(normal), buffer_(t_draw_buffer) {
  for (runtime::ParamSpec& spec : runtime::expected_parameters(ops)) shapes_.emplace(spec.key, std::move(spec.shape));
}

const std::vector<float>& ProxyParameters::operator()(const std::string& key) {
  auto it = shapes_.find(key);
  if (it == shapes_.end()) throw std::logic_error("proxy parameters: no parameter '" + key + "'");
  const std::vector<std::int64_t>& shape = it->second;
  std::int64_t count = 1;
  for (std::int64_t d : shape) count *= d;
  buffer_.resize(std::size_t(count));
  if (shape.size() > 1) {
    const std::int64_t fan_in = count / shape.front();
    normal_.fill(buffer_.data(), buffer_.size(), scale_ == WeightScale::Unit ? 1.0f : 1.0f / std::sqrt(float(fan_in)));
  } else {
    // BN weight, layer scale gamma and running variance 1; BN bias, running mean and a linear bias 0.
    const bool one = key.ends_with(".weight") || key.ends_with(".gamma") || key.ends_with(".running_var");
    std::fill(buffer_.begin(), buffer_.end(), one ? 1.0f : 0.0f);
  }
  return buffer_;
}

std::vector<float> normal_values(std::size_t count, NormalSource& normal) {
  std::vector<float> v(count);
  normal.fill(v.data(), count, 1.0f);
  return v;
}

}  // namespace uibnas::search
