#include "runtime/step_factory.hpp"

#include <cmath>
#include <stdexcept>

#include "common/error.hpp"
#include "runtime/kernels/dwconv.hpp"
#include "runtime/kernels/gemm.hpp"

namespace uibnas::runtime {

kernels::Act to_kernel_act(arch_defs::Activation a) {
  switch (a) {
    case arch_defs::Activation::ReLU: return kernels::Act::ReLU;
    case arch_defs::Activation::ReLU6: return kernels::Act::ReLU6;
    case arch_defs::Activation::GELU: return kernels::Act::GELU;
    case arch_defs::Activation::HardSwish: return kernels::Act::HardSwish;
    case arch_defs::Activation::SiLU: return kernels::Act::SiLU;
    case arch_defs::Activation::Sigmoid: return kernels::Act::Sigmoid;
    case arch_defs::Activation::HardSigmoid: return kernels::Act::HardSigmoid;
  }
  return kernels::Act::None;
}

std::vector<float> blur_weights(int channels) {
  static const float taps[9] = {1, 2, 1, 2, 4, 2, 1, 2, 1};
  std::vector<float> w(size_t(channels) * 9);
  for (size_t i = 0; i < w.size(); ++i) w[i] = taps[i % 9] / 16.0f;
  return w;
}

StepFactory::StepFactory(const arch_defs::OperatorList& ops, const ParameterMap& params, ParameterMap* consume, int threads,
                         HugePageBuffer& weight_pool)
    : ops_(ops), params_(params), consume_(consume), threads_(threads), weight_pool_(weight_pool) {}

std::unique_ptr<Step> StepFactory::make(const FusedStep& step, StepBuffers buffers) {
  std::unique_ptr<Step> made;
  if (step.primary < 0) {
    made = make_input_step(std::move(buffers), ops_.input);
  } else {
    const arch_defs::Operator& op = ops_.ops[step.primary];
    made = is_conv_like(op.kind) ? make_conv(step, std::move(buffers)) : make_plain(op, std::move(buffers));
  }
  if (consume_ != nullptr)
    for (const std::string& key : used_keys_) consume_->erase(key);
  used_keys_.clear();
  return made;
}

const ParamTensor& StepFactory::param(const std::string& key) {
  auto it = params_.find(key);
  if (it == params_.end()) throw common::InputError("parameter '" + key + "' is missing");
  used_keys_.push_back(key);
  return it->second;
}

// BN at inference as y = x * scale + shift.
void StepFactory::batch_norm_affine(const std::string& bn, std::vector<double>& scale, std::vector<double>& shift) {
  const auto& g = param(bn + ".weight").data;
  const auto& b = param(bn + ".bias").data;
  const auto& mean = param(bn + ".running_mean").data;
  const auto& var = param(bn + ".running_var").data;
  scale.resize(g.size());
  shift.resize(g.size());
  for (size_t c = 0; c < g.size(); ++c) {
    scale[c] = double(g[c]) / std::sqrt(double(var[c]) + kBatchNormEps);
    shift[c] = double(b[c]) - double(mean[c]) * scale[c];
  }
}

std::unique_ptr<Step> StepFactory::make_conv(const FusedStep& step, StepBuffers buffers) {
  const arch_defs::Operator& op = ops_.ops[step.primary];
  const int out_c = op.out.c;
  const ParamTensor& w = param(op.name + ".weight");
  std::vector<double> scale(out_c, 1.0), shift(out_c, 0.0);
  if (op.kind == arch_defs::OpKind::Linear || op.bias) {
    const auto& b = param(op.name + ".bias").data;
    for (int c = 0; c < out_c; ++c) shift[c] = b[c];
  }
  if (step.batch_norm >= 0) batch_norm_affine(ops_.ops[step.batch_norm].name, scale, shift);
  if (step.layer_scale >= 0) {
    const auto& gamma = param(ops_.ops[step.layer_scale].name + ".gamma").data;
    for (int c = 0; c < out_c; ++c) {
      scale[c] *= gamma[c];
      shift[c] *= gamma[c];
    }
  }
  std::vector<float> weights(w.data.size());
  const size_t per_out = w.data.size() / out_c;
  for (int c = 0; c < out_c; ++c)
    for (size_t j = 0; j < per_out; ++j) weights[c * per_out + j] = float(w.data[c * per_out + j] * scale[c]);
  const std::vector<float> bias(shift.begin(), shift.end());
  const kernels::Act act = step.act >= 0 ? to_kernel_act(ops_.ops[step.act].act) : kernels::Act::None;
  const arch_defs::TensorShape& in = op.in.front();
  switch (op.kind) {
    case arch_defs::OpKind::PointwiseConv:
    case arch_defs::OpKind::Linear:
      return make_gemm_step(std::move(buffers), size_t(op.out.h) * op.out.w, in.c, out_c, weights, bias, act,
                            step.add >= 0, threads_, weight_pool_);
    case arch_defs::OpKind::DepthwiseConv:
      return make_depthwise_step(std::move(buffers), in, op.out, op.kernel, op.stride, op.pad, weights, bias, act,
                                 weight_pool_);
    default:
      return make_dense_conv_step(std::move(buffers), in, op.out, op.kernel, op.stride, op.pad, weights, bias, act,
                                  weight_pool_);
  }
}

std::unique_ptr<Step> StepFactory::make_plain(const arch_defs::Operator& op, StepBuffers buffers) {
  const arch_defs::TensorShape& in = op.in.front();
  switch (op.kind) {
    case arch_defs::OpKind::BatchNorm: {
      std::vector<double> scale, shift;
      batch_norm_affine(op.name, scale, shift);
      return make_affine_step(std::move(buffers), op.out, std::vector<float>(scale.begin(), scale.end()),
                              std::vector<float>(shift.begin(), shift.end()));
    }
    case arch_defs::OpKind::LayerScale:
      return make_affine_step(std::move(buffers), op.out, param(op.name + ".gamma").data,
                              std::vector<float>(op.out.c, 0.0f));
    case arch_defs::OpKind::Act: return make_activation_step(std::move(buffers), op.out, to_kernel_act(op.act));
    case arch_defs::OpKind::Add: return make_add_step(std::move(buffers), op.out);
    case arch_defs::OpKind::AvgPool: return make_avgpool_step(std::move(buffers), in, op.out);
    case arch_defs::OpKind::BlurPool:  // a fixed depthwise 3x3, stride 2, zero padding 1
      return make_depthwise_step(std::move(buffers), in, op.out, 3, 2, 1, blur_weights(in.c), {}, kernels::Act::None,
                                 weight_pool_);
    case arch_defs::OpKind::GlobalAvgPool: return make_global_pool_step(std::move(buffers), in);
    case arch_defs::OpKind::ChannelScale: return make_channel_scale_step(std::move(buffers), op.out);
    case arch_defs::OpKind::Attention: {
      const arch_defs::TensorShape& k = op.in[1];
      return make_attention_step(std::move(buffers), size_t(op.out.h) * op.out.w, size_t(k.h) * k.w, op.heads,
                                 op.key_dim, op.value_dim);
    }
    default: throw std::logic_error(std::string("no step for operator kind ") + arch_defs::op_kind_name(op.kind));
  }
}

std::size_t packed_weight_floats(const arch_defs::OperatorList& ops) {
  size_t total = 0;
  for (const arch_defs::Operator& op : ops.ops) {
    const arch_defs::TensorShape& in = op.in.empty() ? op.out : op.in.front();
    switch (op.kind) {
      case arch_defs::OpKind::PointwiseConv:
      case arch_defs::OpKind::Linear: total += kernels::gemm_packed_size(size_t(op.out.c), size_t(in.c)); break;
      case arch_defs::OpKind::Conv:
        total += kernels::gemm_packed_size(size_t(op.out.c), size_t(op.kernel) * op.kernel * size_t(in.c));
        break;
      case arch_defs::OpKind::DepthwiseConv: total += kernels::dwconv_packed_size(size_t(in.c), size_t(op.kernel)); break;
      case arch_defs::OpKind::BlurPool: total += kernels::dwconv_packed_size(size_t(in.c), 3); break;
      default: continue;
    }
    total += 16;
  }
  return total;
}

}  // namespace uibnas::runtime
