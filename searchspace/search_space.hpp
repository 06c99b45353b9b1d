// A validated space as a flat list of decisions. A candidate is a choice vector: one option index per
// decision. Some decisions only matter when others allow them (a block's kernels exist only when the
// stage is deep enough and the block has that type); those are "inactive" otherwise and their values
// are ignored. Every vector in the product of the option ranges is a valid candidate, so sampling,
// mutation and crossover never build anything unbuildable.
#pragma once
#include <array>
#include <string>
#include <vector>

#include "searchspace/big_uint.hpp"
#include "searchspace/space_spec.hpp"

namespace uibnas::searchspace {

using Choices = std::vector<int>;

enum class Field {
  Resolution, StemWidth,                         // network
  Width, Depth, MqaCount, MqaHeads, MqaKeyDim, MqaKvStride,  // stage
  BlockType, Kernel, StartDw, MiddleDw, Expansion, BlockWidth  // one block slot of a stage
};

// choices[decision] must lie in [lo, hi] for the gated decision to be active.
struct Gate {
  int decision = -1;  // -1: no gate
  int lo = 0, hi = 0;
};

struct Decision {
  std::string name;                 // "resolution", "stage2.depth", "stage2.block3.start_dw"
  Field field = Field::Resolution;
  int stage = -1, slot = -1;        // -1 where it does not apply
  std::vector<std::string> labels;  // one per option: "3", "uir", "6"
  // Candidates that each option leads to, relative (empty: all options lead to equally many). Sampling
  // uniformly over candidates weights the options by these.
  std::vector<double> completions;
  std::array<Gate, 2> gates;

  int options() const { return static_cast<int>(labels.size()); }
};

// Where one block entry's decisions sit in the choice vector for one slot (-1: the entry has no such field).
struct EntryDecisions {
  int entry = -1;  // index into StageSpec::blocks
  int kernel = -1, start_dw = -1, middle_dw = -1, expansion = -1, width = -1;
};

struct SlotDecisions {
  int type = -1;                        // chooses among `entries`; -1 when only one entry stands here
  std::vector<EntryDecisions> entries;  // the stage's entries that may stand at this slot, in file order
};

struct StageDecisions {
  int width = -1, depth = -1;
  int mqa_count = -1, mqa_heads = -1, mqa_key_dim = -1, mqa_kv_stride = -1;  // -1 without an mqa entry
  std::vector<SlotDecisions> slots;  // depth.max slots
};

class SearchSpace {
 public:
  explicit SearchSpace(SpaceSpec spec);

  const SpaceSpec& spec() const { return spec_; }
  const std::string& id() const { return spec_.id; }
  const std::vector<Decision>& decisions() const { return decisions_; }
  int resolution_decision() const { return resolution_; }
  int stem_decision() const { return stem_; }
  const std::vector<StageDecisions>& stages() const { return stages_; }

  // The exact number of distinct candidates (distinct canonical choice vectors), and per stage.
  const BigUint& cardinality() const { return cardinality_; }
  const BigUint& stage_cardinality(int stage) const { return stage_cardinality_[stage]; }

  bool is_active(const Choices& c, int decision) const;
  // Inactive decisions set to 0: two candidates are the same iff their canonical vectors are equal.
  Choices canonical(Choices c) const;
  // Throws InputError unless `c` has one in-range value per decision.
  void check(const Choices& c) const;

 private:
  int add(Decision d);
  void build_stage(int s);

  SpaceSpec spec_;
  std::vector<Decision> decisions_;
  int resolution_ = -1, stem_ = -1;
  std::vector<StageDecisions> stages_;
  std::vector<BigUint> stage_cardinality_;
  BigUint cardinality_;
};

// Reads, validates and lays out a space file (SpaceFormatError lists every problem).
SearchSpace load_search_space(const std::string& path);

}  // namespace uibnas::searchspace
