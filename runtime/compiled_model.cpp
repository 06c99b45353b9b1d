#include "runtime/compiled_model.hpp"

#include <cmath>
#include <map>
#include <stdexcept>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include "arch_defs/error.hpp"
#include "runtime/arena_planner.hpp"
#include "runtime/steps.hpp"

namespace uibnas::runtime {
namespace {

constexpr double kBatchNormEps = 1e-5;  // PyTorch's default, as timm builds MNv4

kernels::Act to_kernel_act(Activation a) {
  switch (a) {
    case Activation::ReLU: return kernels::Act::ReLU;
    case Activation::ReLU6: return kernels::Act::ReLU6;
    case Activation::GELU: return kernels::Act::GELU;
    case Activation::HardSwish: return kernels::Act::HardSwish;
  }
  return kernels::Act::None;
}

const ParamTensor& param(const ParameterMap& params, const std::string& key) {
  auto it = params.find(key);
  if (it == params.end()) throw InputError("parameter '" + key + "' is missing");
  return it->second;
}

// BN at inference as y = x * scale + shift.
void batch_norm_affine(const ParameterMap& params, const std::string& bn, std::vector<double>& scale,
                       std::vector<double>& shift) {
  const auto& g = param(params, bn + ".weight").data;
  const auto& b = param(params, bn + ".bias").data;
  const auto& mean = param(params, bn + ".running_mean").data;
  const auto& var = param(params, bn + ".running_var").data;
  scale.resize(g.size());
  shift.resize(g.size());
  for (size_t c = 0; c < g.size(); ++c) {
    scale[c] = double(g[c]) / std::sqrt(double(var[c]) + kBatchNormEps);
    shift[c] = double(b[c]) - double(mean[c]) * scale[c];
  }
}

// One step's worth of operators: a conv-like primary op and what folds into it.
struct Fusion {
  int primary = -1;
  int batch_norm = -1, act = -1, layer_scale = -1, add = -1;
  int residual_value = -1;  // the Add's other input
  int last = -1;            // the op whose value the step produces
};

}  // namespace

struct CompiledModel::Impl {
  OperatorList ops;
  int threads = 1;
  std::vector<std::unique_ptr<Step>> steps;
  std::vector<StepInfo> infos;
  std::vector<int> step_value;  // op index each step produces (-1: the NHWC input)
  std::vector<std::pair<int, int>> stage_steps;  // (stage, step producing it)
  std::size_t logits_offset = 0;
  mutable std::vector<float> arena;
  mutable std::vector<float> scratch;  // threads x max scratch
  std::size_t scratch_per_thread = 0;
  std::unique_ptr<tbb::task_arena> task_arena;

  int sole_consumer(const OperatorGraph& g, int op, OpKind kind, const std::vector<bool>& pinned) const {
    if (pinned[op]) return -1;
    const auto& cons = g.consumers(op);
    if (cons.size() != 1 || ops.ops[cons[0]].kind != kind) return -1;
    return cons[0];
  }

  void build(const OperatorGraph& graph, const ParameterMap& params) {
    const int n = static_cast<int>(ops.ops.size());
    std::vector<bool> pinned(n, false);  // values that must exist on their own: stage outputs, logits
    for (int s : ops.stage_outputs) pinned[s] = true;
    pinned[ops.output] = true;

    std::vector<bool> absorbed(n, false);
    std::map<int, size_t> value_step;  // op value -> producing step
    std::vector<std::vector<int>> step_inputs;
    auto add_step = [&](std::unique_ptr<Step> step, int value, std::vector<int> inputs, std::vector<std::string> fused) {
      infos.push_back({step->name, step->kind, step->macs, std::move(fused)});
      value_step[value] = steps.size();
      steps.push_back(std::move(step));
      step_value.push_back(value);
      step_inputs.push_back(std::move(inputs));
    };

    {
      const TensorShape in{ops.ops.front().in.front()};
      auto step = make_input_step(in);
      step->name = "input";
      step->kind = OpKind::Conv;
      add_step(std::move(step), -1, {}, {});
      infos.back().kind = OpKind::Add;  // reported as "other"
    }

    for (int i : graph.topological_order()) {
      if (absorbed[i]) continue;
      const Operator& op = ops.ops[i];
      const int src = op.inputs.empty() ? -1 : op.inputs[0];
      std::unique_ptr<Step> step;
      std::vector<std::string> fused;
      int value = i;
      std::vector<int> inputs(op.inputs.begin(), op.inputs.end());
      const bool conv_like = op.kind == OpKind::Conv || op.kind == OpKind::PointwiseConv ||
                             op.kind == OpKind::DepthwiseConv || op.kind == OpKind::Linear;
      if (conv_like) {
        Fusion f;
        f.primary = f.last = i;
        if (op.kind != OpKind::Linear) {
          if ((f.batch_norm = sole_consumer(graph, f.last, OpKind::BatchNorm, pinned)) >= 0) f.last = f.batch_norm;
          if ((f.act = sole_consumer(graph, f.last, OpKind::Act, pinned)) >= 0) f.last = f.act;
          // gamma * act(x) is not a weight scaling, so layer scale folds only without an activation.
          if (f.act < 0 && (f.layer_scale = sole_consumer(graph, f.last, OpKind::LayerScale, pinned)) >= 0)
            f.last = f.layer_scale;
          if (op.kind == OpKind::PointwiseConv && (f.add = sole_consumer(graph, f.last, OpKind::Add, pinned)) >= 0) {
            const auto& add_in = ops.ops[f.add].inputs;
            f.residual_value = add_in[0] == f.last ? add_in[1] : add_in[0];
            f.last = f.add;
          }
        }
        for (int j : {f.batch_norm, f.act, f.layer_scale, f.add})
          if (j >= 0) {
            absorbed[j] = true;
            fused.push_back(ops.ops[j].name);
          }
        value = f.last;
        step = make_conv_step(op, f, params);
        if (f.residual_value != -2 && f.add >= 0) inputs.push_back(f.residual_value);
      } else {
        step = make_plain_step(op, params);
      }
      step->name = op.name;
      step->kind = op.kind;
      step->macs = op.cost.macs;
      (void)src;
      add_step(std::move(step), value, std::move(inputs), std::move(fused));
    }

    // Lifetimes in step order, then one arena.
    std::vector<TensorLifetime> lifetimes(steps.size());
    for (size_t s = 0; s < steps.size(); ++s) {
      const int v = step_value[s];
      const TensorShape shape = v < 0 ? ops.ops.front().in.front() : ops.ops[v].out;
      lifetimes[s] = {static_cast<size_t>(shape.elements()), int(s), int(s)};
    }
    for (size_t s = 0; s < steps.size(); ++s)
      for (int v : step_inputs[s]) {
        auto it = value_step.find(v);
        if (it == value_step.end()) throw std::logic_error("step " + steps[s].get()->name + " reads an unplanned value");
        lifetimes[it->second].last_step = std::max(lifetimes[it->second].last_step, int(s));
      }
    lifetimes[value_step.at(ops.output)].last_step = int(steps.size());
    const ArenaPlan plan = plan_arena(lifetimes);
    arena.assign(plan.total_floats, 0.0f);
    for (size_t s = 0; s < steps.size(); ++s) {
      steps[s]->output = plan.offsets[s];
      for (int v : step_inputs[s]) steps[s]->inputs.push_back(plan.offsets[value_step.at(v)]);
      scratch_per_thread = std::max(scratch_per_thread, (steps[s]->scratch_floats() + 15) / 16 * 16);
    }
    logits_offset = plan.offsets[value_step.at(ops.output)];
    for (size_t st = 0; st < ops.stage_outputs.size(); ++st)
      stage_steps.emplace_back(int(st), int(value_step.at(ops.stage_outputs[st])));
    scratch.assign(scratch_per_thread * threads, 0.0f);
  }

  std::unique_ptr<Step> make_conv_step(const Operator& op, const Fusion& f, const ParameterMap& params) const {
    const int out_c = op.out.c;
    const ParamTensor& w = param(params, op.name + ".weight");
    std::vector<double> scale(out_c, 1.0), shift(out_c, 0.0);
    if (op.kind == OpKind::Linear) {
      const auto& b = param(params, op.name + ".bias").data;
      for (int c = 0; c < out_c; ++c) shift[c] = b[c];
    }
    if (f.batch_norm >= 0) batch_norm_affine(params, ops.ops[f.batch_norm].name, scale, shift);
    if (f.layer_scale >= 0) {
      const auto& gamma = param(params, ops.ops[f.layer_scale].name + ".gamma").data;
      for (int c = 0; c < out_c; ++c) {
        scale[c] *= gamma[c];
        shift[c] *= gamma[c];
      }
    }
    std::vector<float> weights(w.data.size());
    const size_t per_out = w.data.size() / out_c;
    for (int c = 0; c < out_c; ++c)
      for (size_t j = 0; j < per_out; ++j) weights[c * per_out + j] = float(w.data[c * per_out + j] * scale[c]);
    std::vector<float> bias(shift.begin(), shift.end());
    const kernels::Act act = f.act >= 0 ? to_kernel_act(ops.ops[f.act].act) : kernels::Act::None;
    const TensorShape& in = op.in.front();
    switch (op.kind) {
      case OpKind::PointwiseConv:
      case OpKind::Linear:
        return make_gemm_step(size_t(op.out.h) * op.out.w, in.c, out_c, weights, bias, act, f.add >= 0, threads);
      case OpKind::DepthwiseConv:
        return make_depthwise_step(in, op.out, op.kernel, op.stride, op.pad, weights, bias, act);
      default:
        return make_dense_conv_step(in, op.out, op.kernel, op.stride, op.pad, weights, bias, act);
    }
  }

  std::unique_ptr<Step> make_plain_step(const Operator& op, const ParameterMap& params) const {
    const TensorShape& in = op.in.front();
    switch (op.kind) {
      case OpKind::BatchNorm: {
        std::vector<double> scale, shift;
        batch_norm_affine(params, op.name, scale, shift);
        return make_affine_step(op.out, std::vector<float>(scale.begin(), scale.end()),
                                std::vector<float>(shift.begin(), shift.end()));
      }
      case OpKind::LayerScale:
        return make_affine_step(op.out, param(params, op.name + ".gamma").data, std::vector<float>(op.out.c, 0.0f));
      case OpKind::Act: return make_activation_step(op.out, to_kernel_act(op.act));
      case OpKind::Add: return make_add_step(op.out);
      case OpKind::AvgPool: return make_avgpool_step(in, op.out);
      case OpKind::BlurPool: {
        // timm's BlurPool2d 'blurpc': the binomial [1,2,1]/4 outer product on every channel, zero padding.
        static const float taps[9] = {1, 2, 1, 2, 4, 2, 1, 2, 1};
        std::vector<float> w(size_t(in.c) * 9);
        for (size_t i = 0; i < w.size(); ++i) w[i] = taps[i % 9] / 16.0f;
        return make_depthwise_step(in, op.out, 3, 2, 1, w, {}, kernels::Act::None);
      }
      case OpKind::GlobalAvgPool: return make_global_pool_step(in);
      case OpKind::Attention: {
        const TensorShape& k = op.in[1];
        return make_attention_step(size_t(op.out.h) * op.out.w, size_t(k.h) * k.w, op.heads, op.key_dim, op.value_dim);
      }
      default: throw std::logic_error(std::string("no step for operator kind ") + op_kind_name(op.kind));
    }
  }

  void run_step(const Step& step, const float* input) const {
    const size_t units = step.units();
    if (threads == 1 || units == 1) {
      step.run({arena.data(), input, scratch.data()}, 0, units);
      return;
    }
    tbb::parallel_for(
        tbb::blocked_range<size_t>(0, units),
        [&](const tbb::blocked_range<size_t>& r) {
          const int slot = std::max(0, tbb::this_task_arena::current_thread_index());
          step.run({arena.data(), input, scratch.data() + size_t(slot) * scratch_per_thread}, r.begin(), r.end());
        },
        tbb::static_partitioner());
  }
};

CompiledModel::CompiledModel(const OperatorGraph& graph, const ParameterMap& params, int threads)
    : impl_(std::make_unique<Impl>()) {
  if (threads < 1) throw InputError("--threads must be at least 1, got " + std::to_string(threads));
  impl_->ops = graph.ops();
  impl_->threads = threads;
  impl_->task_arena = std::make_unique<tbb::task_arena>(threads);
  impl_->build(graph, params);
}

CompiledModel::~CompiledModel() = default;
CompiledModel::CompiledModel(CompiledModel&&) noexcept = default;

void CompiledModel::run(const float* input, float* logits, std::vector<std::vector<float>>* stages) const {
  Impl& m = *impl_;
  if (stages) stages->assign(m.ops.stage_outputs.size(), {});
  m.task_arena->execute([&] {
    size_t next_stage = 0;
    for (size_t s = 0; s < m.steps.size(); ++s) {
      m.run_step(*m.steps[s], input);
      while (stages && next_stage < m.stage_steps.size() && m.stage_steps[next_stage].second == int(s)) {
        const TensorShape shape = m.ops.ops[m.ops.stage_outputs[next_stage]].out;
        const float* src = m.arena.data() + m.steps[s]->output;
        auto& dst = (*stages)[next_stage];
        dst.resize(size_t(shape.elements()));
        const size_t hw = size_t(shape.h) * shape.w;
        for (size_t p = 0; p < hw; ++p)
          for (int c = 0; c < shape.c; ++c) dst[size_t(c) * hw + p] = src[p * shape.c + c];
        ++next_stage;
      }
    }
  });
  std::copy_n(m.arena.data() + m.logits_offset, m.ops.ops[m.ops.output].out.c, logits);
}

int CompiledModel::threads() const { return impl_->threads; }
std::size_t CompiledModel::arena_bytes() const { return impl_->arena.size() * sizeof(float); }
std::size_t CompiledModel::packed_weight_bytes() const {
  size_t floats = 0;
  for (const auto& s : impl_->steps) floats += s->packed_floats();
  return floats * sizeof(float);
}
const std::vector<StepInfo>& CompiledModel::steps() const { return impl_->infos; }
const OperatorList& CompiledModel::ops() const { return impl_->ops; }

}  // namespace uibnas::runtime
