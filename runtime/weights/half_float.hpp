// Exact IEEE binary16 (F16) and bfloat16 (BF16) <-> binary32 conversions, bit-level so they do
// not depend on compiler support for _Float16 or on the host's floating-point environment.
// Widening (f16/bf16 -> f32) is exact for every input, subnormals, infinities and NaN included;
// narrowing (f32 -> f16/bf16) rounds to nearest, ties to even, and keeps NaN a NaN.
#pragma once
#include <bit>
#include <cstdint>

namespace uibnas::runtime::weights {

// binary16: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits.
inline float f16_to_f32(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exp = (h >> 10) & 0x1Fu;
  const std::uint32_t mant = h & 0x3FFu;
  if (exp == 0) {
    // Zero or subnormal: mant * 2^-24; both factors are exact in binary32, so is the product.
    const float magnitude = static_cast<float>(mant) * 0x1p-24f;
    return std::bit_cast<float>(sign | std::bit_cast<std::uint32_t>(magnitude));
  }
  if (exp == 0x1F) {
    // Infinity (mant == 0) or NaN (payload kept in the top mantissa bits, so it stays a NaN).
    return std::bit_cast<float>(sign | 0x7F800000u | (mant << 13));
  }
  // Normal: rebias the exponent from 15 to 127.
  return std::bit_cast<float>(sign | ((exp + (127 - 15)) << 23) | (mant << 13));
}

// bfloat16 is the upper half of a binary32.
inline float bf16_to_f32(std::uint16_t b) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(b) << 16);
}

// Round-to-nearest-even float -> binary16 (values >= 65520 in magnitude become infinity).
inline std::uint16_t f32_to_f16(float f) {
  std::uint32_t x = std::bit_cast<std::uint32_t>(f);
  const std::uint16_t sign = static_cast<std::uint16_t>((x >> 16) & 0x8000u);
  x &= 0x7FFFFFFFu;
  if (x >= 0x7F800000u) {  // inf or NaN; a NaN gets the quiet bit so no payload truncates to inf
    return static_cast<std::uint16_t>(sign | 0x7C00u | (x > 0x7F800000u ? (0x200u | ((x >> 13) & 0x3FFu)) : 0u));
  }
  if (x >= 0x477FF000u) return static_cast<std::uint16_t>(sign | 0x7C00u);  // rounds past 65504
  if (x < 0x38800000u) {
    // Below the smallest normal half (2^-14): adding 0.5f aligns the binary point so the float
    // adder itself rounds to a multiple of 2^-24 (ties to even); the low bits are the result.
    const float aligned = std::bit_cast<float>(x) + 0.5f;
    return static_cast<std::uint16_t>(sign | (std::bit_cast<std::uint32_t>(aligned) - 0x3F000000u));
  }
  const std::uint32_t odd = (x >> 13) & 1u;
  x += 0xC8000FFFu + odd;  // rebias exponent (-112 << 23) and round the 13 dropped bits to even
  return static_cast<std::uint16_t>(sign | (x >> 13));
}

// Round-to-nearest-even float -> bfloat16.
inline std::uint16_t f32_to_bf16(float f) {
  std::uint32_t x = std::bit_cast<std::uint32_t>(f);
  if ((x & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<std::uint16_t>((x >> 16) | 0x40u);  // quiet NaN
  x += 0x7FFFu + ((x >> 16) & 1u);
  return static_cast<std::uint16_t>(x >> 16);
}

}  // namespace uibnas::runtime::weights
