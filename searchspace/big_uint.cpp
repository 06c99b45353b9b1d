#include "searchspace/big_uint.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace uibnas::searchspace {

BigUint::BigUint(std::uint64_t v) {
  while (v) {
    limbs_.push_back(static_cast<std::uint32_t>(v));
    v >>= 32;
  }
}

void BigUint::trim() {
  while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
}

BigUint& BigUint::operator+=(const BigUint& o) {
  if (limbs_.size() < o.limbs_.size()) limbs_.resize(o.limbs_.size(), 0);
  std::uint64_t carry = 0;
  for (size_t i = 0; i < limbs_.size(); ++i) {
    const std::uint64_t sum = std::uint64_t(limbs_[i]) + (i < o.limbs_.size() ? o.limbs_[i] : 0) + carry;
    limbs_[i] = static_cast<std::uint32_t>(sum);
    carry = sum >> 32;
  }
  if (carry) limbs_.push_back(static_cast<std::uint32_t>(carry));
  return *this;
}

BigUint& BigUint::operator*=(std::uint32_t m) {
  std::uint64_t carry = 0;
  for (auto& limb : limbs_) {
    const std::uint64_t p = std::uint64_t(limb) * m + carry;
    limb = static_cast<std::uint32_t>(p);
    carry = p >> 32;
  }
  if (carry) limbs_.push_back(static_cast<std::uint32_t>(carry));
  trim();
  return *this;
}

BigUint& BigUint::operator*=(const BigUint& o) {
  std::vector<std::uint32_t> out(limbs_.size() + o.limbs_.size(), 0);
  for (size_t i = 0; i < limbs_.size(); ++i) {
    std::uint64_t carry = 0;
    for (size_t j = 0; j < o.limbs_.size(); ++j) {
      const std::uint64_t p = std::uint64_t(limbs_[i]) * o.limbs_[j] + out[i + j] + carry;
      out[i + j] = static_cast<std::uint32_t>(p);
      carry = p >> 32;
    }
    for (size_t k = i + o.limbs_.size(); carry; ++k) {
      const std::uint64_t s = std::uint64_t(out[k]) + carry;
      out[k] = static_cast<std::uint32_t>(s);
      carry = s >> 32;
    }
  }
  limbs_ = std::move(out);
  trim();
  return *this;
}

std::uint32_t BigUint::divide(std::uint32_t d) {
  std::uint64_t rem = 0;
  for (size_t i = limbs_.size(); i-- > 0;) {
    const std::uint64_t cur = (rem << 32) | limbs_[i];
    limbs_[i] = static_cast<std::uint32_t>(cur / d);
    rem = cur % d;
  }
  trim();
  return static_cast<std::uint32_t>(rem);
}

std::string BigUint::to_string(std::uint32_t base) const {
  static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  if (is_zero()) return "0";
  BigUint v = *this;
  std::string out;
  while (!v.is_zero()) out.push_back(digits[v.divide(base)]);
  std::reverse(out.begin(), out.end());
  return out;
}

bool BigUint::parse(std::string_view text, std::uint32_t base, BigUint& out) {
  if (text.empty()) return false;
  BigUint v;
  for (char ch : text) {
    std::uint32_t d = 0;
    if (ch >= '0' && ch <= '9') d = ch - '0';
    else if (ch >= 'a' && ch <= 'z') d = ch - 'a' + 10;
    else return false;
    if (d >= base) return false;
    v *= base;
    v += d;
  }
  out = std::move(v);
  return true;
}

double BigUint::to_double() const {
  double v = 0;
  for (size_t i = limbs_.size(); i-- > 0;) v = v * 4294967296.0 + limbs_[i];
  return v;
}

double BigUint::log10() const {
  if (is_zero()) return -std::numeric_limits<double>::infinity();
  // The top two limbs carry ~64 significant bits; the rest only shift the exponent.
  const size_t n = limbs_.size();
  double top = limbs_[n - 1];
  if (n >= 2) top = top * 4294967296.0 + limbs_[n - 2];
  const size_t shifted = n >= 2 ? n - 2 : 0;
  return std::log10(top) + double(shifted) * 32.0 * std::log10(2.0);
}

}  // namespace uibnas::searchspace
