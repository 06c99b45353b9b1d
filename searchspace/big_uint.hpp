// A small arbitrary-precision unsigned integer: exactly what search-space cardinalities and the
// candidate encoding need (sums, products, division by small radices, decimal and base-36 text).
// Spaces reach 10^40 and more, past unsigned __int128, so the counts stay exact here.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace uibnas::searchspace {

class BigUint {
 public:
  BigUint(std::uint64_t v = 0);

  BigUint& operator+=(const BigUint& o);
  BigUint& operator*=(const BigUint& o);
  BigUint& operator*=(std::uint32_t m);
  BigUint& operator+=(std::uint32_t a) { return *this += BigUint(a); }
  // Divides in place by d > 0 and returns the remainder.
  std::uint32_t divide(std::uint32_t d);

  bool is_zero() const { return limbs_.empty(); }
  bool operator==(const BigUint&) const = default;

  // Digits in `base` (2..36), most significant first, lower-case letters above 9; "0" for zero.
  std::string to_string(std::uint32_t base = 10) const;
  // Reads digits in `base`; returns false on an empty string or a character that is not a digit there.
  static bool parse(std::string_view text, std::uint32_t base, BigUint& out);
  double log10() const;  // -inf for zero
  double to_double() const;

 private:
  void trim();
  std::vector<std::uint32_t> limbs_;  // little-endian base 2^32, no leading zero limbs
};

inline BigUint operator*(BigUint a, const BigUint& b) { return a *= b; }
inline BigUint operator+(BigUint a, const BigUint& b) { return a += b; }

}  // namespace uibnas::searchspace
