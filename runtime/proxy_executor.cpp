#include "runtime/proxy_executor.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/error.hpp"
#include "runtime/kernels/attention.hpp"
#include "runtime/kernels/conv2d.hpp"
#include "runtime/kernels/dwconv.hpp"
#include "runtime/kernels/elementwise.hpp"
#include "runtime/kernels/gemm.hpp"
#include "runtime/kernels/isa.hpp"
#include "runtime/kernels/pooling.hpp"
#include "runtime/step_factory.hpp"
#include "runtime/weight_pool.hpp"

namespace uibnas::runtime {
namespace {

using arch_defs::OpKind;
using std::size_t;

size_t pixels(const arch_defs::TensorShape& s) { return size_t(s.h) * s.w; }

// What one op needs besides its inputs, prepared once: packed weights, or BN's affine parameters.
struct OpPlan {
  const float* packed = nullptr;
  std::vector<float> gamma, beta;             // BN weight and bias; layer scale's gamma
  std::vector<double> mean, variance;         // BN: the last run's batch statistics
  int last_use = -1;                          // the last op that reads this op's output
  int activation = -1;                        // BN: the activation op applied to its output
};


// Tensors freed by their last reader go back to a pool, so a run faults in fresh pages only for its
// working set, not for every op's output.
class BufferPool {
 public:
  std::vector<float> take(size_t floats) {
    auto best = free_.end();
    for (auto it = free_.begin(); it != free_.end(); ++it)
      if (it->capacity() >= floats && (best == free_.end() || it->capacity() < best->capacity())) best = it;
    std::vector<float> v;
    if (best != free_.end()) {
      v = std::move(*best);
      free_.erase(best);
    }
    v.resize(floats);
    return v;
  }
  void give(std::vector<float>&& v) {
    if (v.capacity() > 0) free_.push_back(std::move(v));
    v = {};
  }
  // Keeps the `count` largest buffers, so that a pool handed from network to network stays bounded.
  void keep_largest(size_t count) {
    if (free_.size() <= count) return;
    std::sort(free_.begin(), free_.end(), [](const auto& a, const auto& b) { return a.capacity() > b.capacity(); });
    free_.resize(count);
  }

 private:
  std::vector<std::vector<float>> free_;
};

// What an executor leaves to the next one on its thread: scoring candidates one after another
// then faults in (and has the kernel zero) pages only for a network larger than any before it.
struct ReusableMemory {
  HugePageBuffer weights;
  BufferPool pool;
};
thread_local ReusableMemory t_spare_memory;

}  // namespace

struct ProxyExecutor::Plan {
  arch_defs::OperatorList ops;
  std::vector<OpPlan> op_plans;
  HugePageBuffer weights;
  std::vector<float> conv_scratch, attention_scratch;
  std::vector<float> input;                  // the network input, NHWC
  std::vector<std::vector<float>> values;    // op outputs, NHWC; empty once dead
  BufferPool pool;

  ~Plan() {
    // Hand the memory on; a larger arena already there is kept instead.
    if (weights.capacity_floats() >= t_spare_memory.weights.capacity_floats()) t_spare_memory.weights = std::move(weights);
    for (std::vector<float>& v : values) pool.give(std::move(v));
    pool.keep_largest(8);
    t_spare_memory.pool = std::move(pool);
  }
  void prepare(const ParameterSource& parameter);
  void pack(int i, const ParameterSource& parameter);
  const float* input_of(const arch_defs::Operator& op, size_t j) const {
    return op.inputs[j] < 0 ? input.data() : values[op.inputs[j]].data();
  }
  std::vector<float>& output_for(int i, int batch, bool in_place);
  void run_op(int i, int batch);
  void run_conv_like(int i, int batch);
  void run_batch_norm(int i, int batch);
  void run_attention(int i, int batch);
  void release_inputs(int i);
};

void ProxyExecutor::Plan::prepare(const ParameterSource& parameter) {
  op_plans.assign(ops.ops.size(), {});
  const size_t weight_floats = packed_weight_floats(ops);
  if (t_spare_memory.weights.capacity_floats() >= weight_floats) {
    weights = std::move(t_spare_memory.weights);
    weights.clear();  // every pack routine writes all of its block, padding included
  } else {
    weights = HugePageBuffer(weight_floats);
  }
  pool = std::move(t_spare_memory.pool);
  size_t conv_scratch_floats = 0, attention_scratch_floats = 0;
  for (size_t i = 0; i < ops.ops.size(); ++i) {
    const arch_defs::Operator& op = ops.ops[i];
    for (int in : op.inputs)
      if (in >= 0) op_plans[in].last_use = int(i);
    pack(int(i), parameter);
    if (op.kind == OpKind::BatchNorm && i + 1 < ops.ops.size() && ops.ops[i + 1].kind == OpKind::Act &&
        ops.ops[i + 1].inputs == std::vector<int>{int(i)})
      op_plans[i].activation = int(i + 1);
    const arch_defs::TensorShape& in = op.in.front();
    if (op.kind == OpKind::Conv)
      conv_scratch_floats = std::max(conv_scratch_floats, kernels::conv2d_scratch_size(
          {size_t(in.h), size_t(in.w), size_t(in.c), size_t(op.out.h), size_t(op.out.w), size_t(op.out.c),
           size_t(op.kernel), size_t(op.stride), size_t(op.pad)}, 1));
    if (op.kind == OpKind::Attention)
      attention_scratch_floats = std::max(attention_scratch_floats, kernels::attention_scratch_size(
          pixels(op.in[1]), size_t(op.key_dim), size_t(op.value_dim)));
  }
  if (ops.output >= 0) op_plans[ops.output].last_use = int(ops.ops.size());  // the caller reads it
  conv_scratch.assign(conv_scratch_floats, 0.0f);
  attention_scratch.assign(attention_scratch_floats, 0.0f);
}

// Each tensor the source returns is used (packed or copied) before the next one is asked for.
void ProxyExecutor::Plan::pack(int i, const ParameterSource& parameter) {
  const arch_defs::Operator& op = ops.ops[i];
  OpPlan& p = op_plans[i];
  const arch_defs::TensorShape& in = op.in.front();
  const size_t out_c = size_t(op.out.c), k = size_t(op.kernel);
  switch (op.kind) {
    case OpKind::PointwiseConv: {
      float* packed = weights.allocate(kernels::gemm_packed_size(out_c, size_t(in.c)));
      const std::vector<float> bias = op.bias ? parameter(op.name + ".bias") : std::vector<float>{};
      kernels::pack_gemm_weights(out_c, size_t(in.c), parameter(op.name + ".weight").data(),
                                 bias.empty() ? nullptr : bias.data(), packed);
      p.packed = packed;
      break;
    }
    case OpKind::Linear: {
      float* packed = weights.allocate(kernels::gemm_packed_size(out_c, size_t(in.c)));
      const std::vector<float> bias = parameter(op.name + ".bias");
      kernels::pack_gemm_weights(out_c, size_t(in.c), parameter(op.name + ".weight").data(), bias.data(), packed);
      p.packed = packed;
      break;
    }
    case OpKind::Conv: {
      const kernels::ConvGeometry g{size_t(in.h), size_t(in.w), size_t(in.c), size_t(op.out.h), size_t(op.out.w),
                                    out_c, k, size_t(op.stride), size_t(op.pad)};
      float* packed = weights.allocate(kernels::conv2d_packed_size(g));
      kernels::pack_conv2d_weights(g, parameter(op.name + ".weight").data(), nullptr, packed);
      p.packed = packed;
      break;
    }
    case OpKind::DepthwiseConv:
    case OpKind::BlurPool: {
      const size_t kernel = op.kind == OpKind::BlurPool ? 3 : k;
      float* packed = weights.allocate(kernels::dwconv_packed_size(out_c, kernel));
      const std::vector<float> w =
          op.kind == OpKind::BlurPool ? blur_weights(op.out.c) : parameter(op.name + ".weight");
      kernels::pack_dwconv_weights(out_c, kernel, w.data(), nullptr, packed);
      p.packed = packed;
      break;
    }
    case OpKind::BatchNorm:
      p.gamma = parameter(op.name + ".weight");
      p.beta = parameter(op.name + ".bias");
      break;
    case OpKind::LayerScale: p.gamma = parameter(op.name + ".gamma"); break;
    default: break;
  }
}

// Elementwise ops write over their first input when nothing reads it later.
std::vector<float>& ProxyExecutor::Plan::output_for(int i, int batch, bool in_place) {
  const arch_defs::Operator& op = ops.ops[i];
  const int first = op.inputs.front();
  if (in_place && first >= 0 && op_plans[first].last_use == i && op.in.front() == op.out) {
    values[i] = std::move(values[first]);  // leaves values[first] empty: release_inputs skips it
  } else {
    values[i] = pool.take(size_t(batch) * size_t(op.out.elements()));
  }
  return values[i];
}

void ProxyExecutor::Plan::run_conv_like(int i, int batch) {
  const arch_defs::Operator& op = ops.ops[i];
  const arch_defs::TensorShape& in = op.in.front();
  const size_t in_size = size_t(in.elements()), out_size = size_t(op.out.elements());
  const float* x = input_of(op, 0);
  float* y = output_for(i, batch, false).data();
  const float* packed = op_plans[i].packed;
  const kernels::GemmEpilogue none;
  switch (op.kind) {
    case OpKind::PointwiseConv:
    case OpKind::Linear: {  // one GEMM over every sample's pixels
      const size_t rows = size_t(batch) * pixels(op.out);
      kernels::gemm(rows, size_t(op.out.c), size_t(in.c), x, size_t(in.c), packed, y, size_t(op.out.c), none, 0,
                    size_t(op.out.c));
      return;
    }
    case OpKind::Conv: {
      const kernels::ConvGeometry g{size_t(in.h), size_t(in.w), size_t(in.c), size_t(op.out.h), size_t(op.out.w),
                                    size_t(op.out.c), size_t(op.kernel), size_t(op.stride), size_t(op.pad)};
      for (int s = 0; s < batch; ++s)
        kernels::conv2d_nhwc(g, x + s * in_size, packed, y + s * out_size, conv_scratch.data(), 1, 0, g.out_h, none);
      return;
    }
    default: {  // depthwise and blur pool
      const bool blur = op.kind == OpKind::BlurPool;
      const kernels::DwConvGeometry g{size_t(in.h), size_t(in.w), size_t(in.c), size_t(op.out.h), size_t(op.out.w),
                                      size_t(blur ? 3 : op.kernel), size_t(blur ? 2 : op.stride),
                                      size_t(blur ? 1 : op.pad)};
      for (int s = 0; s < batch; ++s)
        kernels::dwconv_nhwc(g, x + s * in_size, packed, y + s * out_size, 0, g.out_h, kernels::Act::None);
      return;
    }
  }
}

namespace {

// Per-channel mean and biased variance of x[rows][c], in double, two passes so that a large mean
// does not cancel the variance. Near-constant channels (which BN then amplifies) need the double
// sums. The loops run across channels, so vectorising keeps each channel's order of summation.
UIBNAS_WIDEST_VECTORS
void channel_statistics(const float* x, size_t rows, size_t c, double* mean, double* variance) {
  std::fill_n(mean, c, 0.0);
  std::fill_n(variance, c, 0.0);
  for (size_t r = 0; r < rows; ++r)
    for (size_t j = 0; j < c; ++j) mean[j] += double(x[r * c + j]);
  for (size_t j = 0; j < c; ++j) mean[j] /= double(rows);
  for (size_t r = 0; r < rows; ++r)
    for (size_t j = 0; j < c; ++j) {
      const double d = double(x[r * c + j]) - mean[j];
      variance[j] += d * d;
    }
  for (size_t j = 0; j < c; ++j) variance[j] /= double(rows);
}

}  // namespace

// Train-mode BN: normalises with the minibatch's per-channel statistics over batch * h * w.
void ProxyExecutor::Plan::run_batch_norm(int i, int batch) {
  const arch_defs::Operator& op = ops.ops[i];
  OpPlan& p = op_plans[i];
  const size_t c = size_t(op.out.c), rows = size_t(batch) * pixels(op.out);
  const float* x = input_of(op, 0);
  p.mean.resize(c);
  p.variance.resize(c);
  channel_statistics(x, rows, c, p.mean.data(), p.variance.data());
  std::vector<float> scale(c), shift(c);
  for (size_t j = 0; j < c; ++j) {
    const double s = double(p.gamma[j]) / std::sqrt(p.variance[j] + kBatchNormEps);
    scale[j] = float(s);
    shift[j] = float(double(p.beta[j]) - p.mean[j] * s);
  }
  float* y = output_for(i, batch, true).data();
  kernels::channel_affine_nhwc(y == x ? y : x, scale.data(), shift.data(), y, rows, c);
}

void ProxyExecutor::Plan::run_attention(int i, int batch) {
  const arch_defs::Operator& op = ops.ops[i];
  const size_t n = pixels(op.out), m = pixels(op.in[1]);
  const size_t kd = size_t(op.key_dim), vd = size_t(op.value_dim), heads = size_t(op.heads);
  const float *q = input_of(op, 0), *k = input_of(op, 1), *v = input_of(op, 2);
  float* y = output_for(i, batch, false).data();
  const float scale = 1.0f / std::sqrt(float(kd));
  for (int s = 0; s < batch; ++s)
    kernels::mqa_attention(n, m, heads, kd, vd, scale, q + s * n * heads * kd, heads * kd, k + s * m * kd,
                           v + s * m * vd, y + s * n * heads * vd, heads * vd, attention_scratch.data(), 0, n);
}

void ProxyExecutor::Plan::run_op(int i, int batch) {
  const arch_defs::Operator& op = ops.ops[i];
  const size_t elements = size_t(batch) * size_t(op.out.elements());
  switch (op.kind) {
    case OpKind::Conv:
    case OpKind::PointwiseConv:
    case OpKind::DepthwiseConv:
    case OpKind::BlurPool:
    case OpKind::Linear: run_conv_like(i, batch); return;
    case OpKind::BatchNorm: run_batch_norm(i, batch); return;
    case OpKind::Attention: run_attention(i, batch); return;
    case OpKind::Act: {
      const float* x = input_of(op, 0);
      float* y = output_for(i, batch, true).data();
      if (y != x) std::copy_n(x, elements, y);
      kernels::activation_inplace(to_kernel_act(op.act), y, elements);
      return;
    }
    case OpKind::LayerScale: {
      const float* x = input_of(op, 0);
      const std::vector<float> zero(size_t(op.out.c), 0.0f);
      float* y = output_for(i, batch, true).data();
      kernels::channel_affine_nhwc(x, op_plans[i].gamma.data(), zero.data(), y, size_t(batch) * pixels(op.out),
                                   size_t(op.out.c));
      return;
    }
    case OpKind::ChannelScale: {  // every sample has its own scale vector
      const float* x = input_of(op, 0);
      const float* scale = input_of(op, 1);
      float* y = output_for(i, batch, true).data();
      const std::vector<float> zero(size_t(op.out.c), 0.0f);
      for (int s = 0; s < batch; ++s)
        kernels::channel_affine_nhwc(x + s * size_t(op.out.elements()), scale + s * size_t(op.out.c), zero.data(),
                                     y + s * size_t(op.out.elements()), pixels(op.out), size_t(op.out.c));
      return;
    }
    case OpKind::Add: {
      const float* b = input_of(op, 1);
      const float* a = input_of(op, 0);
      float* y = output_for(i, batch, true).data();
      kernels::add(a, b, y, elements);
      return;
    }
    case OpKind::AvgPool:
    case OpKind::GlobalAvgPool: {
      const arch_defs::TensorShape& in = op.in.front();
      const float* x = input_of(op, 0);
      float* y = output_for(i, batch, false).data();
      for (int s = 0; s < batch; ++s) {
        const float* xs = x + s * size_t(in.elements());
        float* ys = y + s * size_t(op.out.elements());
        if (op.kind == OpKind::AvgPool) kernels::avgpool2x2_nhwc(in.h, in.w, in.c, xs, ys, 0, op.out.h);
        else kernels::global_avgpool_nhwc(pixels(in), in.c, xs, ys);
      }
      return;
    }
  }
  throw std::logic_error(std::string("proxy executor: no rule for ") + arch_defs::op_kind_name(op.kind));
}

void ProxyExecutor::Plan::release_inputs(int i) {
  for (int in : ops.ops[i].inputs)
    if (in >= 0 && op_plans[in].last_use == i) pool.give(std::move(values[in]));
}

ProxyExecutor::ProxyExecutor(const arch_defs::OperatorList& ops, const ParameterSource& parameter, int batch)
    : batch_(batch), plan_(std::make_unique<Plan>()) {
  if (batch < 1) throw common::InputError("proxy executor: batch must be at least 1, got " + std::to_string(batch));
  plan_->ops = ops;
  plan_->prepare(parameter);
}

ProxyExecutor::ProxyExecutor(const arch_defs::OperatorList& ops, const ParameterMap& params, int batch)
    : ProxyExecutor(ops, [&params](const std::string& key) -> const std::vector<float>& {
        auto it = params.find(key);
        if (it == params.end()) throw common::InputError("parameter '" + key + "' is missing");
        return it->second.data;
      }, batch) {}

ProxyExecutor::~ProxyExecutor() = default;

const std::vector<float>& ProxyExecutor::run(const std::vector<float>& input_nchw, const BatchNormLayerVisitor& visit) {
  Plan& p = *plan_;
  const arch_defs::TensorShape& s = p.ops.input;
  const size_t hw = pixels(s), image = size_t(s.elements());
  if (input_nchw.size() != size_t(batch_) * image)
    throw std::invalid_argument("proxy executor: input holds " + std::to_string(input_nchw.size()) + " floats, expected " +
                                std::to_string(size_t(batch_) * image));
  p.input.resize(input_nchw.size());
  for (int n = 0; n < batch_; ++n)
    for (int c = 0; c < s.c; ++c)
      for (size_t q = 0; q < hw; ++q) p.input[n * image + q * s.c + c] = input_nchw[n * image + c * hw + q];
  p.values.resize(p.ops.ops.size());
  for (std::vector<float>& v : p.values) p.pool.give(std::move(v));  // the last run's output
  for (size_t i = 0; i < p.ops.ops.size(); ++i) {
    p.run_op(int(i), batch_);
    const arch_defs::Operator& op = p.ops.ops[i];
    const int bn = op.kind == OpKind::BatchNorm && p.op_plans[i].activation < 0 ? int(i)
                   : op.kind == OpKind::Act && op.inputs.front() >= 0 &&
                           p.op_plans[op.inputs.front()].activation == int(i) ? op.inputs.front() : -1;
    if (bn >= 0 && visit) {
      const OpPlan& b = p.op_plans[bn];
      visit({bn, b.activation, b.activation >= 0 ? op.act : arch_defs::Activation::ReLU, op.out, batch_,
             p.values[i].data(), &b.mean, &b.variance});
    }
    p.release_inputs(int(i));
  }
  return p.values[p.ops.output];
}

}  // namespace uibnas::runtime
