// Multi-query attention core (MobileNet-V4 hybrid blocks): one K and one V head shared by all query heads.
#pragma once
#include <cstddef>

#include "runtime/kernels/isa.hpp"

namespace uibnas::runtime::kernels {

// Floats of scratch mqa_attention needs (per concurrent call).
std::size_t attention_scratch_size(std::size_t m, std::size_t kd, std::size_t vd);

// q: n rows with stride q_stride; head h occupies columns [h*kd, (h+1)*kd). k: [m][kd], v: [m][vd]
// (contiguous). out: n rows with stride out_stride; head h writes columns [h*vd, (h+1)*vd).
// out_h = softmax(q_h k^T * scale) v, softmax over the m keys with the row max subtracted first.
// Computes query rows [row_begin, row_end) for every head. out must not overlap q, k, v or scratch.
void mqa_attention(std::size_t n, std::size_t m, std::size_t heads, std::size_t kd, std::size_t vd, float scale,
                   const float* q, std::size_t q_stride, const float* k, const float* v, float* out,
                   std::size_t out_stride, float* scratch, std::size_t row_begin, std::size_t row_end);

// An attention kernel (same contract as mqa_attention); the one that runs comes from kernel_config.hpp.
using AttentionFn = void (*)(std::size_t n, std::size_t m, std::size_t heads, std::size_t kd, std::size_t vd,
                             float scale, const float* q, std::size_t q_stride, const float* k, const float* v,
                             float* out, std::size_t out_stride, float* scratch, std::size_t row_begin,
                             std::size_t row_end);

namespace detail {

// Named implementations, exposed so tests can check each one.
void f32_mqa_attention__generic(std::size_t n, std::size_t m, std::size_t heads, std::size_t kd, std::size_t vd,
                                float scale, const float* q, std::size_t q_stride, const float* k, const float* v,
                                float* out, std::size_t out_stride, float* scratch, std::size_t row_begin,
                                std::size_t row_end);
#if UIBNAS_KERNELS_X86
// Call only when cpu_runs_avx512_kernels() (kernel_config.hpp).
void f32_mqa_attention_4x64__avx512f(std::size_t n, std::size_t m, std::size_t heads, std::size_t kd,
                                     std::size_t vd, float scale, const float* q, std::size_t q_stride,
                                     const float* k, const float* v, float* out, std::size_t out_stride,
                                     float* scratch, std::size_t row_begin, std::size_t row_end);
#endif
#if UIBNAS_KERNELS_NEON
// Call only when cpu_runs_neon_kernels() (kernel_config.hpp).
void f32_mqa_attention_4x16__neonfma(std::size_t n, std::size_t m, std::size_t heads, std::size_t kd,
                                     std::size_t vd, float scale, const float* q, std::size_t q_stride,
                                     const float* k, const float* v, float* out, std::size_t out_stride,
                                     float* scratch, std::size_t row_begin, std::size_t row_end);
#endif

}  // namespace detail
}  // namespace uibnas::runtime::kernels
