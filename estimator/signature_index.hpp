// An open-addressing map from packed signature to table-entry index: one hash, usually one probe, no
// pointer chasing, so resolving a network's ~30 parts costs well under a microsecond.
#pragma once
#include <vector>

#include "estimator/packed_signature.hpp"

namespace uibnas::estimator {

class SignatureIndex {
 public:
  SignatureIndex() = default;
  // `keys[i]` maps to i; later duplicates of a key are ignored.
  explicit SignatureIndex(const std::vector<PackedSignature>& keys);
  int find(const PackedSignature& key) const;  // -1 when absent

 private:
  struct Slot {
    PackedSignature key;
    int value = -1;
  };
  std::vector<Slot> slots_;  // power-of-two size, at most half full
  std::uint64_t mask_ = 0;
};

}  // namespace uibnas::estimator
