// Execution steps: one operator after fusion (conv + BN + act + layer scale + residual). A step is
// created once with its packed weights and shapes, and run over sub-ranges of its work units by
// whatever thread the plan gives it (create -> run, as XNNPACK operators do). Kernels do the math.
#pragma once
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "arch_defs/operators.hpp"
#include "runtime/kernels/activation.hpp"
#include "runtime/weight_pool.hpp"

namespace uibnas::runtime {

// Where a step's tensors live: arena offsets in floats, from the buffer plan.
struct StepBuffers {
  std::vector<std::size_t> inputs;
  std::size_t output = 0;
};

struct StepIO {
  float* arena = nullptr;
  const float* network_input = nullptr;  // NCHW, only the input step reads it
  float* scratch = nullptr;              // this thread's scratch (Step::scratch_floats)
};

class Step {
 public:
  explicit Step(StepBuffers buffers) : inputs(std::move(buffers.inputs)), output(buffers.output) {}
  virtual ~Step() = default;
  // Work units (rows, tiles) the plan may split across threads; run computes units [begin, end).
  virtual std::size_t units() const = 0;
  virtual void run(const StepIO& io, std::size_t begin, std::size_t end) const = 0;
  virtual std::size_t scratch_floats() const { return 0; }
  virtual std::size_t packed_floats() const { return 0; }

  // Data flow of a unit range, in pixels (NHWC rows of the tensor, y * width + x), for scheduling
  // chunks against the chunks of the step before without a full barrier: the output pixels units
  // [begin, end) write, and the pixels of input `input` they read. kAllPixels: the whole tensor
  // (the default; e.g. a column split writes some channels of every pixel).
  static constexpr std::size_t kAllPixels = ~std::size_t(0);
  struct PixelRange {
    std::size_t begin = 0, end = kAllPixels;
  };
  virtual PixelRange output_pixels(std::size_t /*begin*/, std::size_t /*end*/) const { return {}; }
  virtual PixelRange input_pixels(std::size_t /*input*/, std::size_t /*begin*/, std::size_t /*end*/) const {
    return {};
  }

  const std::vector<std::size_t> inputs;  // arena offsets (floats)
  const std::size_t output;
};

// x: NHWC [pixels][channels] tensors in the arena. Weights are OIHW / [out][in] as in PyTorch, already
// folded (BN, layer scale) by the plan; bias may be empty (zero).
std::unique_ptr<Step> make_input_step(StepBuffers buffers, const arch_defs::TensorShape& shape);  // NCHW input -> NHWC
// Packed weights go into `pool` (kept alive by the caller as long as the step).
std::unique_ptr<Step> make_dense_conv_step(StepBuffers buffers, const arch_defs::TensorShape& in, const arch_defs::TensorShape& out, int kernel,
                                           int stride, int pad, const std::vector<float>& w,
                                           const std::vector<float>& bias, kernels::Act act, HugePageBuffer& pool);
std::unique_ptr<Step> make_depthwise_step(StepBuffers buffers, const arch_defs::TensorShape& in, const arch_defs::TensorShape& out, int kernel,
                                          int stride, int pad, const std::vector<float>& w,
                                          const std::vector<float>& bias, kernels::Act act, HugePageBuffer& pool);
// 1x1 conv or linear as GEMM [pixels x in] * [in x out]; `residual` adds a tensor of the output's shape.
std::unique_ptr<Step> make_gemm_step(StepBuffers buffers, std::size_t pixels, std::size_t in_c, std::size_t out_c,
                                     const std::vector<float>& w, const std::vector<float>& bias, kernels::Act act,
                                     bool residual, int threads, HugePageBuffer& pool);
std::unique_ptr<Step> make_affine_step(StepBuffers buffers, const arch_defs::TensorShape& shape, std::vector<float> scale,
                                       std::vector<float> shift);
std::unique_ptr<Step> make_activation_step(StepBuffers buffers, const arch_defs::TensorShape& shape, kernels::Act act);
std::unique_ptr<Step> make_add_step(StepBuffers buffers, const arch_defs::TensorShape& shape);
std::unique_ptr<Step> make_avgpool_step(StepBuffers buffers, const arch_defs::TensorShape& in, const arch_defs::TensorShape& out);
std::unique_ptr<Step> make_global_pool_step(StepBuffers buffers, const arch_defs::TensorShape& in);
// out[p][c] = x[p][c] * s[c]: inputs x (the tensor) and s (one value per channel).
std::unique_ptr<Step> make_channel_scale_step(StepBuffers buffers, const arch_defs::TensorShape& shape);
std::unique_ptr<Step> make_attention_step(StepBuffers buffers, std::size_t queries, std::size_t keys, int heads,
                                          int key_dim, int value_dim);

}  // namespace uibnas::runtime
