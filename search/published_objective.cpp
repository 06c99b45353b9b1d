#include "search/published_objective.hpp"

#include <tuple>

#include "arch_defs/catalogue.hpp"
#include "common/error.hpp"
#include "searchspace/encoding.hpp"

namespace uibnas::search {
namespace {

auto layer_fields(const arch_defs::LayerConfig& l) {
  return std::tie(l.stage, l.index, l.type, l.in_channels, l.out_channels, l.mid_channels, l.kernel, l.start_kernel,
                  l.end_kernel, l.stride, l.heads, l.key_dim, l.value_dim, l.kv_stride, l.residual, l.layer_scale);
}

}  // namespace

bool same_network(const arch_defs::Network& a, const arch_defs::Network& b) {
  if (std::tie(a.act, a.aa, a.in_channels, a.stem_channels, a.num_features, a.head_hidden, a.num_classes) !=
          std::tie(b.act, b.aa, b.in_channels, b.stem_channels, b.num_features, b.head_hidden, b.num_classes) ||
      a.blocks.size() != b.blocks.size())
    return false;
  for (size_t i = 0; i < a.blocks.size(); ++i)
    if (layer_fields(a.blocks[i]) != layer_fields(b.blocks[i])) return false;
  return true;
}

PublishedObjective::PublishedObjective() {
  for (const arch_defs::Architecture& a : arch_defs::published_architectures())
    published_.emplace_back(a, arch_defs::build_network(a));
}

double PublishedObjective::value(const Candidate& c) const {
  for (const auto& [arch, net] : published_) {
    if (!same_network(net, c.network())) continue;
    const auto top1 = arch.timm_top1.find(c.resolution());
    if (top1 != arch.timm_top1.end()) return top1->second;
    throw common::InputError("published: timm has no top-1 for " + arch.name + " at " + std::to_string(c.resolution()) +
                             " px (candidate " + searchspace::encode(c.space(), c.choices()) + ")");
  }
  throw common::InputError("published: candidate " + searchspace::encode(c.space(), c.choices()) +
                           " is not a built-in variant (published top-1 exists only for those; see uibnas models)");
}

}  // namespace uibnas::search
