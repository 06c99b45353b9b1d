// Partial loads and stores of 1..4 floats for the NEON kernels' channel and value tails: NEON has no
// masked load, and a full q-register access there would read or write past the end of a row.
// Include only from *_neon.cpp files (UIBNAS_KERNELS_NEON).
#pragma once
#include <arm_neon.h>

#include <cstddef>

namespace uibnas::runtime::kernels::detail {

// The first n lanes (n >= 4: all four) from p, zeros in the others.
inline float32x4_t load_lanes(const float* p, std::size_t n) {
  if (n >= 4) return vld1q_f32(p);
  float32x4_t v = vdupq_n_f32(0.0f);
  v = vld1q_lane_f32(p, v, 0);
  if (n > 1) v = vld1q_lane_f32(p + 1, v, 1);
  if (n > 2) v = vld1q_lane_f32(p + 2, v, 2);
  return v;
}

// Stores the first n lanes (n >= 4: all four) of v to p.
inline void store_lanes(float* p, float32x4_t v, std::size_t n) {
  if (n >= 4) return vst1q_f32(p, v);
  vst1q_lane_f32(p, v, 0);
  if (n > 1) vst1q_lane_f32(p + 1, v, 1);
  if (n > 2) vst1q_lane_f32(p + 2, v, 2);
}

// v with lanes n..3 set to zero.
inline float32x4_t keep_lanes(float32x4_t v, std::size_t n) {
  const uint32_t idx[4] = {0, 1, 2, 3};
  const uint32x4_t keep = vcltq_u32(vld1q_u32(idx), vdupq_n_u32(static_cast<uint32_t>(n)));
  return vreinterpretq_f32_u32(vandq_u32(vreinterpretq_u32_f32(v), keep));
}

}  // namespace uibnas::runtime::kernels::detail
