#include "searchspace/decode.hpp"

#include "searchspace/encoding.hpp"

namespace uibnas::searchspace {
namespace {

arch_defs::BlockSpec block_at(const StageSpec& st, const StageDecisions& sd, const Choices& c, int slot, int stage_width) {
  const SlotDecisions& sl = sd.slots[slot];
  const EntryDecisions& ed = sl.entries[sl.type >= 0 ? c[sl.type] : 0];
  const BlockOptions& b = st.blocks[ed.entry];
  arch_defs::BlockSpec spec;
  spec.type = b.type;
  spec.stride = slot == 0 ? st.stride : 1;
  spec.out_channels = ed.width >= 0 ? b.widths[c[ed.width]] : stage_width;
  if (ed.kernel >= 0) spec.kernel = b.kernels[c[ed.kernel]];
  if (ed.start_dw >= 0) spec.start_kernel = b.start_dw[c[ed.start_dw]];
  if (ed.middle_dw >= 0) spec.kernel = b.middle_dw[c[ed.middle_dw]];
  if (ed.expansion >= 0) spec.expansion = b.expansions[c[ed.expansion]];
  return spec;
}

}  // namespace

arch_defs::Architecture to_architecture(const SearchSpace& space, const Choices& c, const std::string& name) {
  space.check(c);
  const SpaceSpec& sp = space.spec();
  arch_defs::Architecture a;
  a.name = name.empty() ? encode(space, c) : name;
  a.stem_channels = sp.stem_widths[c[space.stem_decision()]];
  a.act = sp.act;
  a.layer_scale = sp.layer_scale;
  a.head_hidden = sp.head_hidden;
  a.num_classes = sp.num_classes;
  a.input_size = sp.resolutions[c[space.resolution_decision()]];
  for (size_t s = 0; s < sp.stages.size(); ++s) {
    const StageSpec& st = sp.stages[s];
    const StageDecisions& sd = space.stages()[s];
    const int width = st.widths[c[sd.width]];
    const int depth = st.min_depth + c[sd.depth];
    const int mqa_count = sd.mqa_count >= 0 ? st.attention->counts[c[sd.mqa_count]] : 0;
    arch_defs::BlockSpec mqa;
    if (mqa_count > 0) {
      const AttentionOptions& at = *st.attention;
      mqa.type = arch_defs::BlockType::MQA;
      mqa.kernel = at.kv_kernel;
      mqa.heads = at.heads[c[sd.mqa_heads]];
      mqa.head_dim = at.key_dims[c[sd.mqa_key_dim]];
      if (const int v = at.kv_strides[c[sd.mqa_kv_stride]]; v > 1) mqa.kv_stride = v;  // timm writes no v for 1
      mqa.out_channels = width;
    }
    std::vector<arch_defs::BlockSpec> blocks;
    blocks.reserve(depth + mqa_count);
    for (int j = 0; j < depth; ++j) {
      if (j >= depth - mqa_count) blocks.push_back(mqa);
      blocks.push_back(block_at(st, sd, c, j, width));
    }
    a.stages.push_back(std::move(blocks));
  }
  arch_defs::BlockSpec head;
  head.type = arch_defs::BlockType::ConvBnAct;
  head.kernel = 1;
  head.out_channels = sp.head_features;
  a.stages.push_back({head});
  return a;
}

}  // namespace uibnas::searchspace
