#include "runtime/compiled_model.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <stdexcept>


#include "arch_defs/error.hpp"
#include "runtime/arena_planner.hpp"
#include "runtime/step_scheduler.hpp"
#include "runtime/steps.hpp"
#include "runtime/kernels/dwconv.hpp"
#include "runtime/kernels/gemm.hpp"
#include "runtime/weight_pool.hpp"

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

// Keys looked up while building the current step (consumed afterwards when the caller moved its
// parameters in); null when not recording.
std::vector<std::string>* g_used_keys = nullptr;

const ParamTensor& param(const ParameterMap& params, const std::string& key) {
  auto it = params.find(key);
  if (it == params.end()) throw InputError("parameter '" + key + "' is missing");
  if (g_used_keys != nullptr) g_used_keys->push_back(key);
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
  std::vector<std::vector<int>> input_steps;  // per step, the step producing each of its inputs
  std::vector<std::pair<int, int>> stage_steps;  // (stage, step producing it)
  std::size_t logits_offset = 0;
  HugePageBuffer weight_pool;  // every step's packed weights, in step order
  HugePageBuffer arena_buffer;
  float* arena = nullptr;
  std::size_t arena_floats = 0;
  mutable std::vector<float> scratch;  // threads x max scratch
  std::size_t scratch_per_thread = 0;
  size_t chunks_per_thread = 2;  // chunks a large step is cut into, per thread (1 and 3 measured no better)

  int sole_consumer(const OperatorGraph& g, int op, OpKind kind, const std::vector<bool>& pinned) const {
    if (pinned[op]) return -1;
    const auto& cons = g.consumers(op);
    if (cons.size() != 1 || ops.ops[cons[0]].kind != kind) return -1;
    return cons[0];
  }

  // With `consume` (== &params), each operator's parameters are freed as soon as its step has
  // packed them, so the unpacked and packed weights never both exist in full (peak memory).
  void build(const OperatorGraph& graph, const ParameterMap& params, ParameterMap* consume) {
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
      const TensorShape in = ops.input;
      auto step = make_input_step(in);
      step->name = "input";
      step->kind = OpKind::Conv;
      add_step(std::move(step), -1, {}, {});
      infos.back().kind = OpKind::Add;  // reported as "other"
    }

    std::vector<std::string> used_keys;
    g_used_keys = consume != nullptr ? &used_keys : nullptr;
    struct Reset {
      ~Reset() { g_used_keys = nullptr; }
    } reset;
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
      if (consume != nullptr) {
        for (const std::string& key : used_keys) consume->erase(key);
        used_keys.clear();
      }
      add_step(std::move(step), value, std::move(inputs), std::move(fused));
    }

    // Lifetimes in step order, then one arena.
    std::vector<TensorLifetime> lifetimes(steps.size());
    for (size_t s = 0; s < steps.size(); ++s) {
      const int v = step_value[s];
      const TensorShape shape = v < 0 ? ops.input : ops.ops[v].out;
      lifetimes[s] = {static_cast<size_t>(shape.elements()), int(s), int(s)};
    }
    for (size_t s = 0; s < steps.size(); ++s)
      for (int v : step_inputs[s]) {
        auto it = value_step.find(v);
        if (it == value_step.end()) throw std::logic_error("step " + steps[s].get()->name + " reads an unplanned value");
        // One step past the last reader: with dependency scheduling a thread may write step s + 1's
        // output while the other still reads step s - 1's inputs (see StepScheduler).
        lifetimes[it->second].last_step = std::max(lifetimes[it->second].last_step, int(s) + 1);
      }
    lifetimes[value_step.at(ops.output)].last_step = int(steps.size());
    const ArenaPlan plan = plan_arena(lifetimes);
    arena_buffer = HugePageBuffer(plan.total_floats);
    arena = arena_buffer.allocate(plan.total_floats);
    arena_floats = plan.total_floats;
    for (size_t s = 0; s < steps.size(); ++s) {
      steps[s]->output = plan.offsets[s];
      for (int v : step_inputs[s]) steps[s]->inputs.push_back(plan.offsets[value_step.at(v)]);
      input_steps.emplace_back();
      for (int v : step_inputs[s]) input_steps.back().push_back(int(value_step.at(v)));
      scratch_per_thread = std::max(scratch_per_thread, (steps[s]->scratch_floats() + 15) / 16 * 16);
    }
    logits_offset = plan.offsets[value_step.at(ops.output)];
    for (size_t st = 0; st < ops.stage_outputs.size(); ++st)
      stage_steps.emplace_back(int(st), int(value_step.at(ops.stage_outputs[st])));
    scratch.assign(scratch_per_thread * threads, 0.0f);
  }

  // Floats the packed weights of every conv-like operator need (an upper bound with alignment).
  size_t packed_weight_floats() const {
    size_t total = 0;
    for (const Operator& op : ops.ops) {
      const TensorShape& in = op.in.empty() ? op.out : op.in.front();
      switch (op.kind) {
        case OpKind::PointwiseConv:
        case OpKind::Linear: total += kernels::gemm_packed_size(size_t(op.out.c), size_t(in.c)); break;
        case OpKind::Conv:
          total += kernels::gemm_packed_size(size_t(op.out.c), size_t(op.kernel) * op.kernel * size_t(in.c));
          break;
        case OpKind::DepthwiseConv: total += kernels::dwconv_packed_size(size_t(in.c), size_t(op.kernel)); break;
        case OpKind::BlurPool: total += kernels::dwconv_packed_size(size_t(in.c), 3); break;
        default: continue;
      }
      total += 16;
    }
    return total;
  }

  std::unique_ptr<Step> make_conv_step(const Operator& op, const Fusion& f, const ParameterMap& params) {
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
        return make_gemm_step(size_t(op.out.h) * op.out.w, in.c, out_c, weights, bias, act, f.add >= 0, threads, weight_pool);
      case OpKind::DepthwiseConv:
        return make_depthwise_step(in, op.out, op.kernel, op.stride, op.pad, weights, bias, act, weight_pool);
      default:
        return make_dense_conv_step(in, op.out, op.kernel, op.stride, op.pad, weights, bias, act, weight_pool);
    }
  }

  std::unique_ptr<Step> make_plain_step(const Operator& op, const ParameterMap& params) {
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
        return make_depthwise_step(in, op.out, 3, 2, 1, w, {}, kernels::Act::None, weight_pool);
      }
      case OpKind::GlobalAvgPool: return make_global_pool_step(in);
      case OpKind::Attention: {
        const TensorShape& k = op.in[1];
        return make_attention_step(size_t(op.out.h) * op.out.w, size_t(k.h) * k.w, op.heads, op.key_dim, op.value_dim);
      }
      default: throw std::logic_error(std::string("no step for operator kind ") + op_kind_name(op.kind));
    }
  }

  // ---- schedule ---------------------------------------------------------------------------------
  // A phase runs one step (split into chunks) or copies one stage output out of the arena.
  struct Phase {
    int step = -1;
    int stage = -1;  // >= 0: copy stage `stage` (one chunk)
  };
  struct Schedule {
    std::vector<Phase> phases;
    std::vector<std::uint32_t> base;  // chunk prefix sums, phases + 1
    StepScheduler::Deps deps;         // per chunk, the chunks of the phase before it reads
  };
  std::vector<std::uint32_t> step_chunks;
  Schedule full, full_stages, exec;
  std::unique_ptr<StepScheduler> scheduler;

  // Rough single-thread cost of a step in microseconds, for choosing how many chunks to cut.
  double estimate_us(size_t s) const {
    const Step& st = *steps[s];
    const int v = step_value[s];
    const double out_elems = double(v < 0 ? ops.input.elements() : ops.ops[v].out.elements());
    switch (st.kind) {
      case OpKind::PointwiseConv:
      case OpKind::Linear:
      case OpKind::Conv: return double(st.macs) / 70e3 + double(st.packed_floats()) * 4 / 15e3;
      case OpKind::DepthwiseConv:
      case OpKind::BlurPool: return double(st.macs) / 20e3 + out_elems * 8 / 30e3;
      case OpKind::Attention: return double(st.macs) / 30e3;
      default: return out_elems * 8 / 20e3;
    }
  }

  void build_schedules() {
    // Below about this much work per chunk a split costs more than it saves (2-3 were no better).
    const double min_chunk_us = 6.0;
    step_chunks.assign(steps.size(), 1);
    if (threads > 1)
      for (size_t s = 0; s < steps.size(); ++s) {
        const double us = estimate_us(s);
        size_t want = us < 2 * min_chunk_us ? 1 : size_t(threads) * chunks_per_thread;
        want = std::min<size_t>(want, std::max<size_t>(1, size_t(us / min_chunk_us)));
        step_chunks[s] = std::uint32_t(std::max<size_t>(1, std::min(want, steps[s]->units())));
      }
    auto make = [&](size_t first, bool with_stages) {
      Schedule sc;
      sc.base.push_back(0);
      size_t next_stage = 0;
      for (size_t s = first; s < steps.size(); ++s) {
        sc.phases.push_back({int(s), -1});
        sc.base.push_back(sc.base.back() + step_chunks[s]);
        while (with_stages && next_stage < stage_steps.size() && stage_steps[next_stage].second == int(s)) {
          sc.phases.push_back({-1, int(next_stage++)});
          sc.base.push_back(sc.base.back() + 1);
        }
      }
      return sc;
    };
    full = make(0, false);
    full_stages = make(0, true);
    exec = make(1, false);
    add_dependencies(full);
    add_dependencies(exec);
  }

  // Unit range of chunk c of n over `units` units.
  static std::pair<size_t, size_t> chunk_units(size_t units, std::uint32_t c, std::uint32_t n) {
    return {units * c / n, units * (c + 1) / n};
  }

  // For each chunk of a schedule of steps only, the chunks of the previous phase whose output
  // pixels it reads (contiguous: chunks split a step's output in pixel order).
  void add_dependencies(Schedule& sc) const {
    const std::uint32_t total = sc.base.back();
    sc.deps.begin.assign(total, 0);
    sc.deps.end.assign(total, 0);
    for (size_t p = 1; p < sc.phases.size(); ++p) {
      const size_t s = size_t(sc.phases[p].step), prev = size_t(sc.phases[p - 1].step);
      const Step& step = *steps[s];
      const Step& producer = *steps[prev];
      const std::uint32_t n = sc.base[p + 1] - sc.base[p], np = sc.base[p] - sc.base[p - 1];
      for (std::uint32_t c = 0; c < n; ++c) {
        const auto [ub, ue] = chunk_units(step.units(), c, n);
        std::uint32_t lo = np, hi = 0;  // producer chunks read: [lo, hi)
        for (size_t i = 0; i < input_steps[s].size(); ++i) {
          if (size_t(input_steps[s][i]) != prev) continue;
          const Step::PixelRange need = step.input_pixels(i, ub, ue);
          for (std::uint32_t d = 0; d < np; ++d) {
            const auto [pb, pe] = chunk_units(producer.units(), d, np);
            const Step::PixelRange out = producer.output_pixels(pb, pe);
            const bool all = need.end == Step::kAllPixels || out.end == Step::kAllPixels;
            if (all || (out.begin < need.end && need.begin < out.end && pb < pe)) {
              lo = std::min(lo, d);
              hi = std::max(hi, d + 1);
            }
          }
        }
        if (lo < hi) {
          sc.deps.begin[sc.base[p] + c] = sc.base[p - 1] + lo;
          sc.deps.end[sc.base[p] + c] = sc.base[p - 1] + hi;
        }
      }
    }
  }

  void run_chunk(const Step& step, std::uint32_t chunk, std::uint32_t chunks, int participant, const float* input) const {
    const size_t units = step.units();
    const size_t b = units * chunk / chunks, e = units * (chunk + 1) / chunks;
    if (b < e) step.run({arena, input, scratch.data() + size_t(participant) * scratch_per_thread}, b, e);
  }

  void copy_stage(size_t stage, std::vector<std::vector<float>>& out) const {
    const TensorShape shape = ops.ops[ops.stage_outputs[stage]].out;
    const float* src = arena + steps[stage_steps[stage].second]->output;
    auto& dst = out[stage];
    dst.resize(size_t(shape.elements()));
    const size_t hw = size_t(shape.h) * shape.w;
    for (size_t p = 0; p < hw; ++p)
      for (int c = 0; c < shape.c; ++c) dst[size_t(c) * hw + p] = src[p * shape.c + c];
  }

  // Runs a schedule; with `phase_end`, each phase's finishing time (ns since `t0`) is recorded.
  void run_schedule(const Schedule& sc, const float* input, std::vector<std::vector<float>>* stages,
                    std::atomic<std::int64_t>* phase_end, std::chrono::steady_clock::time_point t0) const {
    // Per-step timings and stage copy-outs need phases that end one after the other: barriers.
    const StepScheduler::Deps* deps = phase_end == nullptr && stages == nullptr ? &sc.deps : nullptr;
    scheduler->run(sc.base, deps, [&](size_t p, std::uint32_t chunk, int participant) {
      const Phase& ph = sc.phases[p];
      if (ph.stage >= 0)
        copy_stage(size_t(ph.stage), *stages);
      else
        run_chunk(*steps[size_t(ph.step)], chunk, step_chunks[size_t(ph.step)], participant, input);
      if (phase_end) {
        const std::int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count();
        std::int64_t prev = phase_end[p].load(std::memory_order_relaxed);
        while (prev < ns && !phase_end[p].compare_exchange_weak(prev, ns, std::memory_order_relaxed)) {
        }
      }
    });
  }
};

CompiledModel::CompiledModel(const OperatorGraph& graph, const ParameterMap& params, int threads)
    : impl_(std::make_unique<Impl>()) {
  init(graph, params, nullptr, threads);
}

CompiledModel::CompiledModel(const OperatorGraph& graph, ParameterMap&& params, int threads)
    : impl_(std::make_unique<Impl>()) {
  init(graph, params, &params, threads);
}

void CompiledModel::init(const OperatorGraph& graph, const ParameterMap& params, ParameterMap* consume, int threads) {
  if (threads < 1) throw InputError("--threads must be at least 1, got " + std::to_string(threads));
  impl_->ops = graph.ops();
  impl_->threads = threads;
  impl_->scheduler = std::make_unique<StepScheduler>(threads);
  impl_->weight_pool = HugePageBuffer(impl_->packed_weight_floats());
  impl_->build(graph, params, consume);
  impl_->build_schedules();
}

CompiledModel::~CompiledModel() = default;
CompiledModel::CompiledModel(CompiledModel&&) noexcept = default;

void CompiledModel::run(const float* input, float* logits, std::vector<std::vector<float>>* stages,
                        std::vector<double>* step_ms) const {
  Impl& m = *impl_;
  if (stages) stages->assign(m.ops.stage_outputs.size(), {});
  const Impl::Schedule& sc = stages ? m.full_stages : m.full;
  const auto t0 = std::chrono::steady_clock::now();
  if (!step_ms) {
    m.run_schedule(sc, input, stages, nullptr, t0);
  } else {
    std::unique_ptr<std::atomic<std::int64_t>[]> end(new std::atomic<std::int64_t>[sc.phases.size()]);
    for (size_t p = 0; p < sc.phases.size(); ++p) end[p].store(0, std::memory_order_relaxed);
    m.run_schedule(sc, input, stages, end.get(), t0);
    step_ms->assign(m.steps.size(), 0.0);
    std::int64_t prev = 0;
    for (size_t p = 0; p < sc.phases.size(); ++p) {
      const std::int64_t e = std::max(prev, end[p].load(std::memory_order_relaxed));
      if (sc.phases[p].step >= 0) (*step_ms)[size_t(sc.phases[p].step)] = double(e - prev) * 1e-6;
      prev = e;
    }
  }
  std::copy_n(m.arena + m.logits_offset, m.ops.ops[m.ops.output].out.c, logits);
}

void CompiledModel::load_input(const float* input) const {
  const Impl& m = *impl_;
  m.run_chunk(*m.steps.front(), 0, 1, 0, input);
}

void CompiledModel::execute() const {
  impl_->run_schedule(impl_->exec, nullptr, nullptr, nullptr, std::chrono::steady_clock::now());
}

int CompiledModel::threads() const { return impl_->threads; }
std::size_t CompiledModel::arena_bytes() const { return impl_->arena_floats * sizeof(float); }
std::size_t CompiledModel::packed_weight_bytes() const {
  size_t floats = 0;
  for (const auto& s : impl_->steps) floats += s->packed_floats();
  return floats * sizeof(float);
}
const std::vector<StepInfo>& CompiledModel::steps() const { return impl_->infos; }
const OperatorList& CompiledModel::ops() const { return impl_->ops; }

}  // namespace uibnas::runtime
