// Cost arithmetic (params, MACs, bytes) on counts that come from input. The limits keep every single
// factor small, but their products and sums over a large network can still exceed 64 bits: such a
// count is an input error naming what overflowed, never a silent wrap to a negative number.
#pragma once
#include <cstdint>
#include <string>

#include "common/error.hpp"

namespace uibnas::common {

// Thrown by the helpers below; callers that know where (a block, a file) catch it and add that.
class CountOverflow : public InputError {
 public:
  explicit CountOverflow(const std::string& what) : InputError(what + " overflows int64") {}
};

inline std::int64_t checked_add(std::int64_t a, std::int64_t b, const char* what) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) throw CountOverflow(what);
  return sum;
}

inline std::int64_t checked_mul(std::int64_t a, std::int64_t b, const char* what) {
  std::int64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product)) throw CountOverflow(what);
  return product;
}

// a x b x c x ...; every step checked.
template <class... Rest>
std::int64_t checked_product(const char* what, std::int64_t first, Rest... rest) {
  std::int64_t product = first;
  ((product = checked_mul(product, std::int64_t(rest), what)), ...);
  return product;
}

}  // namespace uibnas::common
