#include "runtime/steps.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "runtime/kernels/attention.hpp"
#include "runtime/kernels/conv2d.hpp"
#include "runtime/kernels/dwconv.hpp"
#include "runtime/kernels/elementwise.hpp"
#include "runtime/kernels/gemm.hpp"
#include "runtime/kernels/pooling.hpp"

namespace uibnas::runtime {
namespace {

using std::size_t;

const float* bias_or_null(const std::vector<float>& b) { return b.empty() ? nullptr : b.data(); }



// Input rows a k x k, stride s, pad p window over output rows [oy0, oy1) reads, as pixels.
Step::PixelRange window_rows(size_t oy0, size_t oy1, size_t k, size_t s, size_t p, size_t in_h, size_t in_w) {
  if (oy0 >= oy1) return {0, 0};
  const size_t lo = oy0 * s > p ? oy0 * s - p : 0;
  const size_t hi = std::min(in_h, (oy1 - 1) * s + k > p ? (oy1 - 1) * s + k - p : 0);
  return {lo * in_w, std::max(lo, hi) * in_w};
}

class InputStep final : public Step {
 public:
  InputStep(StepBuffers b, const arch_defs::TensorShape& s) : Step(std::move(b)), s_(s) {}
  size_t units() const override { return size_t(s_.h); }
  PixelRange output_pixels(size_t b, size_t e) const override { return {b * s_.w, e * s_.w}; }
  void run(const StepIO& io, size_t begin, size_t end) const override {
    const size_t hw = size_t(s_.h) * s_.w, w = size_t(s_.w);
    float* out = io.arena + output;
    if (s_.c == 3) {  // RGB: three plane pointers, a loop the compiler vectorises with shuffles
      for (size_t y = begin; y < end; ++y) {
        const float* r = io.network_input + y * w;
        const float* g = r + hw;
        const float* b = g + hw;
        float* o = out + y * w * 3;
        for (size_t x = 0; x < w; ++x) {
          o[3 * x] = r[x];
          o[3 * x + 1] = g[x];
          o[3 * x + 2] = b[x];
        }
      }
      return;
    }
    for (size_t y = begin; y < end; ++y)
      for (size_t x = 0; x < w; ++x)
        for (size_t c = 0; c < size_t(s_.c); ++c) out[(y * w + x) * s_.c + c] = io.network_input[c * hw + y * w + x];
  }

 private:
  arch_defs::TensorShape s_;
};

class DenseConvStep final : public Step {
 public:
  DenseConvStep(StepBuffers buffers, const kernels::ConvGeometry& g, const std::vector<float>& w,
                const std::vector<float>& b, kernels::Act act, HugePageBuffer& pool)
      : Step(std::move(buffers)), g_(g), packed_size_(kernels::conv2d_packed_size(g)), packed_(pool.allocate(packed_size_)) {
    kernels::pack_conv2d_weights(g_, w.data(), bias_or_null(b), packed_);
    ep_.act = act;
  }
  size_t units() const override { return g_.out_h; }
  PixelRange output_pixels(size_t b, size_t e) const override { return {b * g_.out_w, e * g_.out_w}; }
  PixelRange input_pixels(size_t, size_t b, size_t e) const override {
    return window_rows(b, e, g_.kernel, g_.stride, g_.pad, g_.in_h, g_.in_w);
  }
  size_t scratch_floats() const override { return kernels::conv2d_scratch_size(g_, 1); }
  size_t packed_floats() const override { return packed_size_; }
  void run(const StepIO& io, size_t begin, size_t end) const override {
    kernels::conv2d_nhwc(g_, io.arena + inputs[0], packed_, io.arena + output, io.scratch, 1, begin, end, ep_);
  }

 private:
  kernels::ConvGeometry g_;
  size_t packed_size_;
  float* packed_;
  kernels::GemmEpilogue ep_;
};

class DepthwiseStep final : public Step {
 public:
  DepthwiseStep(StepBuffers buffers, const kernels::DwConvGeometry& g, const std::vector<float>& w,
                const std::vector<float>& b, kernels::Act act, HugePageBuffer& pool)
      : Step(std::move(buffers)), g_(g), act_(act), packed_size_(kernels::dwconv_packed_size(g.channels, g.kernel)),
        packed_(pool.allocate(packed_size_)) {
    kernels::pack_dwconv_weights(g.channels, g.kernel, w.data(), bias_or_null(b), packed_);
  }
  size_t units() const override { return g_.out_h; }
  PixelRange output_pixels(size_t b, size_t e) const override { return {b * g_.out_w, e * g_.out_w}; }
  PixelRange input_pixels(size_t, size_t b, size_t e) const override {
    return window_rows(b, e, g_.kernel, g_.stride, g_.pad, g_.in_h, g_.in_w);
  }
  size_t packed_floats() const override { return packed_size_; }
  void run(const StepIO& io, size_t begin, size_t end) const override {
    kernels::dwconv_nhwc(g_, io.arena + inputs[0], packed_, io.arena + output, begin, end, act_);
  }

 private:
  kernels::DwConvGeometry g_;
  kernels::Act act_;
  size_t packed_size_;
  float* packed_;
};

// Work units: one for a single thread (the GEMM driver picks its own loop order). With several
// threads, MR-row tiles whenever each thread gets at least two: then every thread reads the rows
// its own core wrote in the step before (row splits run through the whole network), which on
// this machine beat splitting the weights by columns even for the weight-heavy 8x8 layers (a
// 64 KB tensor takes ~5 us to move between cores). Column panels only for a handful of rows
// (head, classifier: a GEMV), where each thread then streams half of the weights.
class GemmStep final : public Step {
 public:
  GemmStep(StepBuffers buffers, size_t m, size_t k, size_t n, const std::vector<float>& w, const std::vector<float>& b,
           kernels::Act act, bool residual, int threads, HugePageBuffer& pool)
      : Step(std::move(buffers)), m_(m), k_(k), n_(n), residual_(residual), packed_size_(kernels::gemm_packed_size(n, k)),
        packed_(pool.allocate(packed_size_)) {
    kernels::pack_gemm_weights(n, k, w.data(), bias_or_null(b), packed_);
    act_ = act;
    const size_t nr = kernels::gemm_nr(), panels = (n + nr - 1) / nr;
    if (threads <= 1) {
      units_ = 1;
    } else if (m < 2 * kRowTile * size_t(threads) && panels >= 2 * size_t(threads)) {
      by_cols_ = true;
      units_ = panels;
    } else {
      units_ = (m + kRowTile - 1) / kRowTile;
    }
  }
  size_t units() const override { return units_; }
  size_t packed_floats() const override { return packed_size_; }
  PixelRange output_pixels(size_t b, size_t e) const override { return rows(b, e); }
  PixelRange input_pixels(size_t, size_t b, size_t e) const override { return rows(b, e); }
  void run(const StepIO& io, size_t begin, size_t end) const override {
    kernels::GemmEpilogue ep;
    ep.act = act_;
    size_t r0 = 0, r1 = m_, c0 = 0, c1 = n_;
    if (units_ > 1 && by_cols_) {
      c0 = begin * kernels::gemm_nr();
      c1 = std::min(n_, end * kernels::gemm_nr());
    } else if (units_ > 1) {
      r0 = m_ * begin / units_;
      r1 = m_ * end / units_;
    }
    if (r0 >= r1 || c0 >= c1) return;
    if (residual_) {
      ep.residual = io.arena + inputs[1] + r0 * n_;
      ep.ldr = n_;
    }
    kernels::gemm(r1 - r0, n_, k_, io.arena + inputs[0] + r0 * k_, k_, packed_, io.arena + output + r0 * n_, n_,
                  ep, c0, c1);
  }

 private:
  // Row tile u covers rows [m u / units, m (u + 1) / units): about kRowTile rows each, balanced,
  // so two threads get equal halves (64 rows: 32 + 32, not 36 + 28 with 12-row tiles).
  PixelRange rows(size_t b, size_t e) const {
    if (units_ == 1 || by_cols_) return {};  // every chunk touches every row
    return {m_ * b / units_, m_ * e / units_};
  }
  static constexpr size_t kRowTile = 12;  // the AVX-512 microkernel's MR
  size_t m_, k_, n_;
  bool residual_;
  size_t packed_size_;
  float* packed_;
  kernels::Act act_ = kernels::Act::None;
  bool by_cols_ = false;
  size_t units_ = 1;
};

class AffineStep final : public Step {
 public:
  AffineStep(StepBuffers b, const arch_defs::TensorShape& s, std::vector<float> scale, std::vector<float> shift)
      : Step(std::move(b)), c_(s.c), pixels_(size_t(s.h) * s.w), scale_(std::move(scale)), shift_(std::move(shift)) {}
  size_t units() const override { return pixels_; }
  PixelRange output_pixels(size_t b, size_t e) const override { return {b, e}; }
  PixelRange input_pixels(size_t, size_t b, size_t e) const override { return {b, e}; }
  void run(const StepIO& io, size_t begin, size_t end) const override {
    kernels::channel_affine_nhwc(io.arena + inputs[0] + begin * c_, scale_.data(), shift_.data(),
                                 io.arena + output + begin * c_, end - begin, c_);
  }

 private:
  size_t c_, pixels_;
  std::vector<float> scale_, shift_;
};

class ActivationStep final : public Step {
 public:
  ActivationStep(StepBuffers b, const arch_defs::TensorShape& s, kernels::Act act)
      : Step(std::move(b)), c_(s.c), pixels_(size_t(s.h) * s.w), act_(act) {}
  size_t units() const override { return pixels_; }
  PixelRange output_pixels(size_t b, size_t e) const override { return {b, e}; }
  PixelRange input_pixels(size_t, size_t b, size_t e) const override { return {b, e}; }
  void run(const StepIO& io, size_t begin, size_t end) const override {
    float* out = io.arena + output + begin * c_;
    std::copy_n(io.arena + inputs[0] + begin * c_, (end - begin) * c_, out);
    kernels::activation_inplace(act_, out, (end - begin) * c_);
  }

 private:
  size_t c_, pixels_;
  kernels::Act act_;
};

class AddStep final : public Step {
 public:
  AddStep(StepBuffers b, const arch_defs::TensorShape& s) : Step(std::move(b)), c_(s.c), pixels_(size_t(s.h) * s.w) {}
  size_t units() const override { return pixels_; }
  PixelRange output_pixels(size_t b, size_t e) const override { return {b, e}; }
  PixelRange input_pixels(size_t, size_t b, size_t e) const override { return {b, e}; }
  void run(const StepIO& io, size_t begin, size_t end) const override {
    kernels::add(io.arena + inputs[0] + begin * c_, io.arena + inputs[1] + begin * c_, io.arena + output + begin * c_,
                 (end - begin) * c_);
  }

 private:
  size_t c_, pixels_;
};

class AvgPoolStep final : public Step {
 public:
  AvgPoolStep(StepBuffers b, const arch_defs::TensorShape& in, const arch_defs::TensorShape& out) : Step(std::move(b)), in_(in), out_(out) {}
  size_t units() const override { return size_t(out_.h); }
  PixelRange output_pixels(size_t b, size_t e) const override { return {b * out_.w, e * out_.w}; }
  PixelRange input_pixels(size_t, size_t b, size_t e) const override { return {2 * b * in_.w, 2 * e * in_.w}; }
  void run(const StepIO& io, size_t begin, size_t end) const override {
    kernels::avgpool2x2_nhwc(in_.h, in_.w, in_.c, io.arena + inputs[0], io.arena + output, begin, end);
  }

 private:
  arch_defs::TensorShape in_, out_;
};

class GlobalPoolStep final : public Step {
 public:
  GlobalPoolStep(StepBuffers b, const arch_defs::TensorShape& in) : Step(std::move(b)), in_(in) {}
  size_t units() const override { return 1; }
  void run(const StepIO& io, size_t begin, size_t end) const override {
    if (begin < end) kernels::global_avgpool_nhwc(size_t(in_.h) * in_.w, in_.c, io.arena + inputs[0], io.arena + output);
  }

 private:
  arch_defs::TensorShape in_;
};

// The squeeze-excite multiply, as a per-channel affine with the scale read from the arena and no shift.
class ChannelScaleStep final : public Step {
 public:
  ChannelScaleStep(StepBuffers b, const arch_defs::TensorShape& s)
      : Step(std::move(b)), c_(s.c), pixels_(size_t(s.h) * s.w), zeros_(c_, 0.0f) {}
  size_t units() const override { return pixels_; }
  PixelRange output_pixels(size_t b, size_t e) const override { return {b, e}; }
  PixelRange input_pixels(size_t input, size_t b, size_t e) const override {
    if (input == 1) return {0, 1};  // the scale vector: one pixel
    return {b, e};
  }
  void run(const StepIO& io, size_t begin, size_t end) const override {
    kernels::channel_affine_nhwc(io.arena + inputs[0] + begin * c_, io.arena + inputs[1], zeros_.data(),
                                 io.arena + output + begin * c_, end - begin, c_);
  }

 private:
  size_t c_, pixels_;
  std::vector<float> zeros_;
};

class AttentionStep final : public Step {
 public:
  AttentionStep(StepBuffers b, size_t n, size_t m, int heads, int kd, int vd)
      : Step(std::move(b)), n_(n), m_(m), heads_(heads), kd_(kd), vd_(vd), scale_(1.0f / std::sqrt(float(kd))) {}
  size_t units() const override { return n_; }
  size_t scratch_floats() const override { return kernels::attention_scratch_size(m_, kd_, vd_); }
  void run(const StepIO& io, size_t begin, size_t end) const override {
    kernels::mqa_attention(n_, m_, heads_, kd_, vd_, scale_, io.arena + inputs[0], heads_ * kd_, io.arena + inputs[1],
                           io.arena + inputs[2], io.arena + output, heads_ * vd_, io.scratch, begin, end);
  }

 private:
  size_t n_, m_, heads_, kd_, vd_;
  float scale_;
};

}  // namespace

std::unique_ptr<Step> make_input_step(StepBuffers buffers, const arch_defs::TensorShape& shape) {
  return std::make_unique<InputStep>(std::move(buffers), shape);
}

std::unique_ptr<Step> make_dense_conv_step(StepBuffers buffers, const arch_defs::TensorShape& in, const arch_defs::TensorShape& out, int kernel,
                                           int stride, int pad, const std::vector<float>& w,
                                           const std::vector<float>& bias, kernels::Act act, HugePageBuffer& pool) {
  const kernels::ConvGeometry g{size_t(in.h), size_t(in.w), size_t(in.c), size_t(out.h), size_t(out.w), size_t(out.c),
                                size_t(kernel), size_t(stride), size_t(pad)};
  return std::make_unique<DenseConvStep>(std::move(buffers), g, w, bias, act, pool);
}

std::unique_ptr<Step> make_depthwise_step(StepBuffers buffers, const arch_defs::TensorShape& in, const arch_defs::TensorShape& out, int kernel,
                                          int stride, int pad, const std::vector<float>& w,
                                          const std::vector<float>& bias, kernels::Act act, HugePageBuffer& pool) {
  const kernels::DwConvGeometry g{size_t(in.h), size_t(in.w), size_t(in.c), size_t(out.h), size_t(out.w),
                                  size_t(kernel), size_t(stride), size_t(pad)};
  return std::make_unique<DepthwiseStep>(std::move(buffers), g, w, bias, act, pool);
}

std::unique_ptr<Step> make_gemm_step(StepBuffers buffers, size_t pixels, size_t in_c, size_t out_c,
                                     const std::vector<float>& w, const std::vector<float>& bias, kernels::Act act,
                                     bool residual, int threads, HugePageBuffer& pool) {
  return std::make_unique<GemmStep>(std::move(buffers), pixels, in_c, out_c, w, bias, act, residual, threads, pool);
}

std::unique_ptr<Step> make_affine_step(StepBuffers buffers, const arch_defs::TensorShape& shape, std::vector<float> scale,
                                       std::vector<float> shift) {
  return std::make_unique<AffineStep>(std::move(buffers), shape, std::move(scale), std::move(shift));
}

std::unique_ptr<Step> make_activation_step(StepBuffers buffers, const arch_defs::TensorShape& shape, kernels::Act act) {
  return std::make_unique<ActivationStep>(std::move(buffers), shape, act);
}

std::unique_ptr<Step> make_add_step(StepBuffers buffers, const arch_defs::TensorShape& shape) {
  return std::make_unique<AddStep>(std::move(buffers), shape);
}

std::unique_ptr<Step> make_avgpool_step(StepBuffers buffers, const arch_defs::TensorShape& in, const arch_defs::TensorShape& out) {
  return std::make_unique<AvgPoolStep>(std::move(buffers), in, out);
}

std::unique_ptr<Step> make_global_pool_step(StepBuffers buffers, const arch_defs::TensorShape& in) {
  return std::make_unique<GlobalPoolStep>(std::move(buffers), in);
}

std::unique_ptr<Step> make_channel_scale_step(StepBuffers buffers, const arch_defs::TensorShape& shape) {
  return std::make_unique<ChannelScaleStep>(std::move(buffers), shape);
}

std::unique_ptr<Step> make_attention_step(StepBuffers buffers, size_t queries, size_t keys, int heads, int key_dim,
                                          int value_dim) {
  return std::make_unique<AttentionStep>(std::move(buffers), queries, keys, heads, key_dim, value_dim);
}

}  // namespace uibnas::runtime
