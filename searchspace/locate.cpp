#include "searchspace/locate.hpp"

#include <algorithm>

#include "arch_defs/network.hpp"
#include "searchspace/decode.hpp"

namespace uibnas::searchspace {
namespace {

template <typename T>
std::string list_text(const std::vector<T>& values) {
  std::string s;
  for (const T& v : values) s += (s.empty() ? "" : ", ") + arch_defs::format_number(static_cast<double>(v));
  return s;
}

template <typename T>
int index_of(const std::vector<T>& values, T v) {
  const auto it = std::find(values.begin(), values.end(), v);
  return it == values.end() ? -1 : static_cast<int>(it - values.begin());
}

std::string layer_text(const arch_defs::LayerConfig& l) { return l.name + " '" + l.source() + "'"; }

// The first structural field in which two expanded blocks differ ("" when they are the same block).
std::string first_difference(const arch_defs::LayerConfig& x, const arch_defs::LayerConfig& y) {
  if (x.type != y.type) return "block type";
  if (x.in_channels != y.in_channels) return "input channels";
  if (x.out_channels != y.out_channels) return "output channels";
  if (x.mid_channels != y.mid_channels) return "mid channels";
  if (x.kernel != y.kernel) return "kernel";
  if (x.start_kernel != y.start_kernel) return "start depthwise kernel";
  if (x.end_kernel != y.end_kernel) return "end depthwise kernel";
  if (x.stride != y.stride) return "stride";
  if (x.heads != y.heads || x.key_dim != y.key_dim || x.value_dim != y.value_dim) return "attention heads or dims";
  if (x.kv_stride != y.kv_stride) return "K/V stride";
  if (x.residual != y.residual) return "residual";
  if (x.layer_scale != y.layer_scale) return "layer scale";
  return "";
}

class Locator {
 public:
  Locator(const SearchSpace& space, const arch_defs::Architecture& arch)
      : space_(space), sp_(space.spec()), arch_(arch), net_(arch_defs::build_network(arch)), c_(space.decisions().size(), 0) {}

  Location run() {
    if (!network_level() || !stages()) return {false, {}, reason_};
    return verify();
  }

 private:
  bool fail(std::string why) {
    reason_ = std::move(why);
    return false;
  }

  bool network_level() {
    const int res = index_of(sp_.resolutions, arch_.input_size);
    if (res < 0)
      return fail("input size " + std::to_string(arch_.input_size) + " is not among the resolutions " +
                  list_text(sp_.resolutions));
    c_[space_.resolution_decision()] = res;
    if (arch_.act != sp_.act)
      return fail(std::string("activation ") + arch_defs::activation_name(arch_.act) + ", the space has " + arch_defs::activation_name(sp_.act));
    if (arch_.layer_scale != sp_.layer_scale)
      return fail("layer scale " + (arch_.layer_scale ? arch_defs::format_number(*arch_.layer_scale) : std::string("none")) +
                  ", the space has " + (sp_.layer_scale ? arch_defs::format_number(*sp_.layer_scale) : std::string("none")));
    if (arch_.aa != arch_defs::AntiAlias::None)
      return fail(std::string("anti-aliasing '") + arch_defs::anti_alias_name(arch_.aa) + "' is not part of search spaces");
    if (arch_.head_hidden != sp_.head_hidden || arch_.num_classes != sp_.num_classes)
      return fail("head " + std::to_string(arch_.head_hidden) + " -> " + std::to_string(arch_.num_classes) +
                  ", the space's fixed head is " + std::to_string(sp_.head_hidden) + " -> " + std::to_string(sp_.num_classes));
    const int stem = index_of(sp_.stem_widths, net_.stem_channels);
    if (stem < 0)
      return fail("stem width " + std::to_string(net_.stem_channels) + " is not among " + list_text(sp_.stem_widths));
    c_[space_.stem_decision()] = stem;
    if (net_.stage_ends.size() != sp_.stages.size() + 1)
      return fail(std::to_string(net_.stage_ends.size()) + " stages, the space has " + std::to_string(sp_.stages.size()) +
                  " block stages and the fixed head stage");
    const arch_defs::LayerConfig& last = net_.blocks.back();
    const int head_begin = net_.stage_ends[net_.stage_ends.size() - 2];
    if (net_.stage_ends.back() - head_begin != 1 || last.type != arch_defs::BlockType::ConvBnAct || last.kernel != 1 ||
        last.stride != 1 || last.out_channels != sp_.head_features || last.residual)
      return fail("the last stage must be the fixed head (a 1x1 cn to " + std::to_string(sp_.head_features) +
                  " channels), got " + layer_text(net_.blocks[head_begin]) + " with " +
                  std::to_string(net_.blocks[head_begin].out_channels) + " channels");
    return true;
  }

  bool stages() {
    for (size_t s = 0; s < sp_.stages.size(); ++s)
      if (!stage(static_cast<int>(s))) return false;
    return true;
  }

  bool stage(int s) {
    const StageSpec& st = sp_.stages[s];
    const StageDecisions& sd = space_.stages()[s];
    const std::string where = "stage " + std::to_string(s);
    const int begin = s == 0 ? 0 : net_.stage_ends[s - 1], end = net_.stage_ends[s];
    std::vector<const arch_defs::LayerConfig*> blocks, mqas;
    for (int i = begin; i < end; ++i) (net_.blocks[i].type == arch_defs::BlockType::MQA ? mqas : blocks).push_back(&net_.blocks[i]);
    const int depth = static_cast<int>(blocks.size()), count = static_cast<int>(mqas.size());
    if (depth < st.min_depth || depth > st.max_depth)
      return fail(where + ": " + std::to_string(depth) + (depth == 1 ? " block" : " blocks") +
                  (count ? " besides its mqa blocks" : "") +
                  ", the space allows " + std::to_string(st.min_depth) + " to " + std::to_string(st.max_depth));
    c_[sd.depth] = depth - st.min_depth;
    if (count > 0 && !st.attention)
      return fail(where + ": " + layer_text(*mqas[0]) + " is an mqa block, but the space has no mqa entry in this stage");
    // The layout the space allows: MQA blocks one before each of the last `count` blocks.
    for (int i = begin, j = 0; j < depth; ++j) {
      const bool expect_mqa_here = j >= depth - count;
      if (expect_mqa_here && net_.blocks[i++].type != arch_defs::BlockType::MQA)
        return fail(where + ": mqa blocks stand one before each of the last " + std::to_string(count) +
                    " blocks of a stage, " + layer_text(net_.blocks[i - 1]) + " should be one");
      if (net_.blocks[i++].type == arch_defs::BlockType::MQA)
        return fail(where + ": mqa blocks stand one before each of the last " + std::to_string(count) +
                    " blocks of a stage, not at " + layer_text(net_.blocks[i - 1]));
    }
    if (st.attention && !attention(s, mqas)) return false;
    if (blocks[0]->stride != st.stride)
      return fail(where + ": " + layer_text(*blocks[0]) + " has stride " + std::to_string(blocks[0]->stride) +
                  ", the stage's stride is " + std::to_string(st.stride));
    int stage_width = -1;
    for (int j = 0; j < depth; ++j)
      if (!block(s, j, *blocks[j], stage_width)) return false;
    const int w = index_of(st.widths, stage_width);
    if (w < 0) return fail(where + ": width " + std::to_string(stage_width) + " is not among " + list_text(st.widths));
    c_[sd.width] = w;
    return true;
  }

  bool attention(int s, const std::vector<const arch_defs::LayerConfig*>& mqas) {
    const AttentionOptions& at = *sp_.stages[s].attention;
    const StageDecisions& sd = space_.stages()[s];
    const std::string where = "stage " + std::to_string(s);
    const int count = index_of(at.counts, static_cast<int>(mqas.size()));
    if (count < 0)
      return fail(where + ": " + std::to_string(mqas.size()) + " mqa blocks, the space allows " + list_text(at.counts));
    c_[sd.mqa_count] = count;
    if (mqas.empty()) return true;
    const arch_defs::LayerConfig& m = *mqas[0];
    for (const arch_defs::LayerConfig* other : mqas)
      if (other->heads != m.heads || other->key_dim != m.key_dim || other->kv_stride != m.kv_stride ||
          other->kernel != m.kernel)
        return fail(where + ": " + layer_text(*other) + " differs from " + layer_text(m) +
                    "; the space makes one heads, key/value dim and K/V stride choice per stage");
    struct Check { const char* what; const std::vector<int>& options; int value; int decision; };
    for (const Check& ch : {Check{"heads", at.heads, m.heads, sd.mqa_heads},
                            Check{"key/value dim", at.key_dims, m.key_dim, sd.mqa_key_dim},
                            Check{"K/V stride", at.kv_strides, m.kv_stride, sd.mqa_kv_stride}}) {
      const int i = index_of(ch.options, ch.value);
      if (i < 0)
        return fail(layer_text(m) + ": " + ch.what + " " + std::to_string(ch.value) + " is not among " + list_text(ch.options));
      c_[ch.decision] = i;
    }
    if (m.kernel != at.kv_kernel)
      return fail(layer_text(m) + ": K/V kernel " + std::to_string(m.kernel) + ", the space has " + std::to_string(at.kv_kernel));
    return true;
  }

  bool block(int s, int j, const arch_defs::LayerConfig& l, int& stage_width) {
    const StageSpec& st = sp_.stages[s];
    const SlotDecisions& slot = space_.stages()[s].slots[j];
    int k = 0;
    while (k < static_cast<int>(slot.entries.size()) && st.blocks[slot.entries[k].entry].type != l.type) ++k;
    if (k == static_cast<int>(slot.entries.size())) {
      std::string allowed;
      for (const auto& e : slot.entries) allowed += (allowed.empty() ? "" : ", ") + std::string(arch_defs::block_type_token(st.blocks[e.entry].type));
      return fail(layer_text(l) + ": " + arch_defs::block_type_token(l.type) + " blocks cannot stand at position " +
                  std::to_string(j) + " of stage " + std::to_string(s) + " (allowed: " + allowed + ")");
    }
    if (slot.type >= 0) c_[slot.type] = k;
    const EntryDecisions& ed = slot.entries[k];
    const BlockOptions& b = st.blocks[ed.entry];
    auto pick = [&](int decision, const std::vector<int>& options, int value, const char* what) {
      const int i = index_of(options, value);
      if (i < 0) return fail(layer_text(l) + ": " + what + " " + std::to_string(value) + " is not among " + list_text(options));
      c_[decision] = i;
      return true;
    };
    if (ed.kernel >= 0 && !pick(ed.kernel, b.kernels, l.kernel, "kernel")) return false;
    if (ed.start_dw >= 0 && !pick(ed.start_dw, b.start_dw, l.start_kernel, "start depthwise kernel")) return false;
    if (ed.middle_dw >= 0 && !pick(ed.middle_dw, b.middle_dw, l.kernel, "middle depthwise kernel")) return false;
    if (l.end_kernel) return fail(layer_text(l) + ": an end depthwise kernel (p) is not part of search spaces");
    if (ed.expansion >= 0) {
      // Expansions are equal when they give the same mid channels from this block's input.
      int e = 0;
      while (e < static_cast<int>(b.expansions.size()) && arch_defs::make_divisible(l.in_channels * b.expansions[e]) != l.mid_channels) ++e;
      if (e == static_cast<int>(b.expansions.size()))
        return fail(layer_text(l) + ": " + std::to_string(l.in_channels) + " -> " + std::to_string(l.mid_channels) +
                    " mid channels, which none of the expansions " + list_text(b.expansions) + " gives");
      c_[ed.expansion] = e;
    }
    if (ed.width >= 0) return pick(ed.width, b.widths, l.out_channels, "width");
    if (stage_width >= 0 && l.out_channels != stage_width)
      return fail(layer_text(l) + ": width " + std::to_string(l.out_channels) + ", but earlier blocks of stage " +
                  std::to_string(s) + " have " + std::to_string(stage_width) + "; the space gives a stage one width");
    stage_width = l.out_channels;
    return true;
  }

  // The choices found must rebuild the very same network.
  Location verify() {
    const Choices c = space_.canonical(c_);
    const arch_defs::Network rebuilt = arch_defs::build_network(to_architecture(space_, c, arch_.name));
    if (rebuilt.blocks.size() != net_.blocks.size())
      return {false, {}, "the space's nearest candidate has " + std::to_string(rebuilt.blocks.size()) + " blocks, not " +
                             std::to_string(net_.blocks.size())};
    for (size_t i = 0; i < net_.blocks.size(); ++i) {
      const std::string diff = first_difference(net_.blocks[i], rebuilt.blocks[i]);
      if (!diff.empty())
        return {false, {}, layer_text(net_.blocks[i]) + ": its " + diff + " differs from the space's nearest candidate, " +
                               rebuilt.blocks[i].source()};
    }
    return {true, c, ""};
  }

  const SearchSpace& space_;
  const SpaceSpec& sp_;
  const arch_defs::Architecture& arch_;
  const arch_defs::Network net_;
  Choices c_;
  std::string reason_;
};

}  // namespace

Location locate(const SearchSpace& space, const arch_defs::Architecture& arch) { return Locator(space, arch).run(); }

}  // namespace uibnas::searchspace
