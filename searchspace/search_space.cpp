#include "searchspace/search_space.hpp"

namespace uibnas::searchspace {
namespace {

std::vector<std::string> labels_of(const std::vector<int>& values) {
  std::vector<std::string> out;
  for (int v : values) out.push_back(std::to_string(v));
  return out;
}

std::vector<std::string> labels_of(const std::vector<double>& values) {
  std::vector<std::string> out;
  for (double v : values) out.push_back(arch_defs::format_number(v));
  return out;
}

// Candidates one block entry contributes at one slot: the product of its choice lists.
std::uint64_t entry_candidates(const BlockOptions& b) {
  std::uint64_t n = 1;
  for (size_t size : {b.kernels.size(), b.start_dw.size(), b.middle_dw.size(), b.expansions.size(), b.widths.size()})
    if (size) n *= size;
  return n;
}

}  // namespace

SearchSpace::SearchSpace(SpaceSpec spec) : spec_(std::move(spec)) {
  Decision res{"resolution", Field::Resolution, -1, -1, labels_of(spec_.resolutions), {}, {}};
  resolution_ = add(std::move(res));
  stem_ = add({"stem.width", Field::StemWidth, -1, -1, labels_of(spec_.stem_widths), {}, {}});
  cardinality_ = BigUint(spec_.resolutions.size()) * BigUint(spec_.stem_widths.size());
  for (size_t s = 0; s < spec_.stages.size(); ++s) {
    build_stage(static_cast<int>(s));
    cardinality_ *= stage_cardinality_.back();
  }
}

int SearchSpace::add(Decision d) {
  decisions_.push_back(std::move(d));
  return static_cast<int>(decisions_.size()) - 1;
}

void SearchSpace::build_stage(int s) {
  const StageSpec& st = spec_.stages[s];
  const std::string prefix = "stage" + std::to_string(s);
  StageDecisions sd;
  sd.width = add({prefix + ".width", Field::Width, s, -1, labels_of(st.widths), {}, {}});
  std::vector<int> depths;
  for (int d = st.min_depth; d <= st.max_depth; ++d) depths.push_back(d);
  sd.depth = add({prefix + ".depth", Field::Depth, s, -1, labels_of(depths), {}, {}});

  BigUint attention_candidates(1);
  if (st.attention) {
    const AttentionOptions& a = *st.attention;
    const std::uint64_t per_count = a.heads.size() * a.key_dims.size() * a.kv_strides.size();
    Decision count{prefix + ".mqa.count", Field::MqaCount, s, -1, labels_of(a.counts), {}, {}};
    attention_candidates = BigUint(0);
    int first_nonzero = static_cast<int>(a.counts.size());
    for (size_t i = 0; i < a.counts.size(); ++i) {
      count.completions.push_back(a.counts[i] == 0 ? 1.0 : double(per_count));
      attention_candidates += BigUint(a.counts[i] == 0 ? 1 : per_count);
      if (a.counts[i] > 0 && first_nonzero == static_cast<int>(a.counts.size())) first_nonzero = static_cast<int>(i);
    }
    sd.mqa_count = add(std::move(count));
    // Heads, dims and stride exist only when the stage has at least one MQA block.
    const Gate has_mqa{sd.mqa_count, first_nonzero, static_cast<int>(a.counts.size()) - 1};
    sd.mqa_heads = add({prefix + ".mqa.heads", Field::MqaHeads, s, -1, labels_of(a.heads), {}, {has_mqa, Gate{}}});
    sd.mqa_key_dim = add({prefix + ".mqa.key_dim", Field::MqaKeyDim, s, -1, labels_of(a.key_dims), {}, {has_mqa, Gate{}}});
    sd.mqa_kv_stride =
        add({prefix + ".mqa.kv_stride", Field::MqaKvStride, s, -1, labels_of(a.kv_strides), {}, {has_mqa, Gate{}}});
  }

  std::vector<std::uint64_t> slot_candidates;
  for (int j = 0; j < st.max_depth; ++j) {
    const std::string slot_prefix = prefix + ".block" + std::to_string(j);
    // Slot j exists when depth >= j + 1, i.e. from depth option index j + 1 - min on.
    const Gate exists = j + 1 > st.min_depth ? Gate{sd.depth, j + 1 - st.min_depth, st.max_depth - st.min_depth} : Gate{};
    SlotDecisions slot;
    std::vector<int> entry_indices;
    for (size_t e = 0; e < st.blocks.size(); ++e)
      if (st.blocks[e].applies_to(j)) entry_indices.push_back(static_cast<int>(e));
    std::uint64_t candidates = 0;
    if (entry_indices.size() > 1) {
      Decision type{slot_prefix + ".type", Field::BlockType, s, j, {}, {}, {exists, Gate{}}};
      for (int e : entry_indices) {
        type.labels.push_back(arch_defs::block_type_token(st.blocks[e].type));
        type.completions.push_back(double(entry_candidates(st.blocks[e])));
      }
      slot.type = add(std::move(type));
    }
    for (size_t i = 0; i < entry_indices.size(); ++i) {
      const BlockOptions& b = st.blocks[entry_indices[i]];
      const int k = static_cast<int>(i);
      const std::array<Gate, 2> gates = {exists, slot.type >= 0 ? Gate{slot.type, k, k} : Gate{}};
      EntryDecisions ed;
      ed.entry = entry_indices[i];
      auto field = [&](Field f, const char* name, std::vector<std::string> labels) {
        if (labels.empty()) return -1;
        const std::string entry_name = slot.type >= 0 ? std::string(".") + arch_defs::block_type_token(b.type) : "";
        return add({slot_prefix + entry_name + "." + name, f, s, j, std::move(labels), {}, gates});
      };
      ed.kernel = field(Field::Kernel, "kernel", labels_of(b.kernels));
      ed.start_dw = field(Field::StartDw, "start_dw", labels_of(b.start_dw));
      ed.middle_dw = field(Field::MiddleDw, "middle_dw", labels_of(b.middle_dw));
      ed.expansion = field(Field::Expansion, "expansion", labels_of(b.expansions));
      ed.width = field(Field::BlockWidth, "width", labels_of(b.widths));
      slot.entries.push_back(ed);
      candidates += entry_candidates(b);
    }
    slot_candidates.push_back(candidates);
    sd.slots.push_back(std::move(slot));
  }

  // A stage of depth d has prod_{j<d} slot_candidates[j] block sequences.
  Decision& depth = decisions_[sd.depth];
  BigUint sequences(0), prefix_product(1);
  double prefix_double = 1;
  for (int j = 0; j < st.max_depth; ++j) {
    prefix_product *= BigUint(slot_candidates[j]);
    prefix_double *= double(slot_candidates[j]);
    if (j + 1 >= st.min_depth) {
      sequences += prefix_product;
      depth.completions.push_back(prefix_double);
    }
  }
  stage_cardinality_.push_back(BigUint(st.widths.size()) * sequences * attention_candidates);
  stages_.push_back(std::move(sd));
}

bool SearchSpace::is_active(const Choices& c, int decision) const {
  for (const Gate& g : decisions_[decision].gates)
    if (g.decision >= 0 && (c[g.decision] < g.lo || c[g.decision] > g.hi)) return false;
  return true;
}

Choices SearchSpace::canonical(Choices c) const {
  for (size_t i = 0; i < c.size(); ++i)
    if (!is_active(c, static_cast<int>(i))) c[i] = 0;
  return c;
}

void SearchSpace::check(const Choices& c) const {
  if (c.size() != decisions_.size())
    throw common::InputError(id() + ": a choice vector has " + std::to_string(decisions_.size()) + " values, got " +
                     std::to_string(c.size()));
  for (size_t i = 0; i < c.size(); ++i)
    if (c[i] < 0 || c[i] >= decisions_[i].options())
      throw common::InputError(id() + ": " + decisions_[i].name + " = " + std::to_string(c[i]) + " is out of range [0, " +
                       std::to_string(decisions_[i].options() - 1) + "]");
}

SearchSpace load_search_space(const std::string& path) { return SearchSpace(load_space_spec(path)); }

}  // namespace uibnas::searchspace
