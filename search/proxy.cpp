#include "search/proxy.hpp"

#include <cmath>
#include <functional>

#include "arch_defs/network.hpp"
#include "common/error.hpp"
#include "runtime/proxy_executor.hpp"
#include "search/proxy_images.hpp"
#include "search/proxy_scores.hpp"
#include "search/proxy_network.hpp"

namespace uibnas::search {
namespace {

// One initialisation and one minibatch.
double score_once(ProxyKind kind, const arch_defs::OperatorList& ops, const ProxySettings& settings,
                  std::uint64_t seed) {
  NormalSource normal(seed);
  const WeightScale scale = kind == ProxyKind::Zen ? WeightScale::Unit : WeightScale::FanIn;
  ProxyParameters parameters(ops, scale, normal);
  runtime::ProxyExecutor executor(ops, std::ref(parameters), settings.batch);
  const std::vector<float> input =
      settings.data == "gaussian"
          ? normal_values(std::size_t(settings.batch) * std::size_t(ops.input.elements()), normal)
          : load_image_batch(settings.data, settings.batch, settings.resolution, seed);
  switch (kind) {
    case ProxyKind::Naswot: return naswot_score(executor, input);
    case ProxyKind::Zen: {
      std::vector<float> perturbed = normal_values(input.size(), normal);
      for (std::size_t i = 0; i < input.size(); ++i) perturbed[i] = input[i] + float(zen_perturbation) * perturbed[i];
      return zen_score(executor, input, perturbed);
    }
    case ProxyKind::Meco: return meco_score(executor, input);
  }
  return 0;
}

}  // namespace

const char* proxy_name(ProxyKind k) {
  switch (k) {
    case ProxyKind::Naswot: return "naswot";
    case ProxyKind::Zen: return "zen";
    case ProxyKind::Meco: return "meco";
  }
  return "?";
}

const std::vector<ProxyKind>& proxy_kinds() {
  static const std::vector<ProxyKind> kinds = {ProxyKind::Naswot, ProxyKind::Zen, ProxyKind::Meco};
  return kinds;
}

std::optional<ProxyKind> parse_proxy(const std::string& name) {
  for (ProxyKind k : proxy_kinds())
    if (name == proxy_name(k)) return k;
  return std::nullopt;
}

void validate_proxy_settings(const ProxySettings& s) {
  auto fail = [](const std::string& what) { throw common::InputError("proxy settings: " + what); };
  if (s.batch < 2) fail("batch must be at least 2 (BN statistics and NASWOT's kernel need two images), got " + std::to_string(s.batch));
  if (s.resolution < 32) fail("resolution must be at least 32, got " + std::to_string(s.resolution));
  if (s.repeats < 1) fail("repeats must be at least 1, got " + std::to_string(s.repeats));
  if (s.data.empty()) fail("data must be 'gaussian' or a folder of PPM/PGM images");
}

double proxy_score(ProxyKind kind, const arch_defs::Architecture& arch, const ProxySettings& settings) {
  validate_proxy_settings(settings);
  const arch_defs::OperatorList ops = backbone_operators(arch_defs::build_network(arch), settings.resolution);
  double total = 0;
  for (int r = 0; r < settings.repeats; ++r)
    total += score_once(kind, ops, settings, settings.seed * 0x100000001b3ULL + std::uint64_t(r));
  return total / settings.repeats;
}

}  // namespace uibnas::search
