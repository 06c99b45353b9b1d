#include "estimator/signature_index.hpp"

namespace uibnas::estimator {

SignatureIndex::SignatureIndex(const std::vector<PackedSignature>& keys) {
  size_t size = 16;
  while (size < 2 * keys.size()) size *= 2;
  slots_.resize(size);
  mask_ = size - 1;
  for (size_t i = 0; i < keys.size(); ++i) {
    std::uint64_t at = keys[i].hash() & mask_;
    while (slots_[at].value >= 0 && !(slots_[at].key == keys[i])) at = (at + 1) & mask_;
    if (slots_[at].value < 0) slots_[at] = {keys[i], int(i)};
  }
}

int SignatureIndex::find(const PackedSignature& key) const {
  if (slots_.empty()) return -1;
  for (std::uint64_t at = key.hash() & mask_;; at = (at + 1) & mask_) {
    const Slot& s = slots_[at];
    if (s.value < 0) return -1;
    if (s.key == key) return s.value;
  }
}

}  // namespace uibnas::estimator
