#include "runtime/compiled_model.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>

#include "common/error.hpp"
#include "runtime/buffer_plan.hpp"
#include "runtime/fusion.hpp"
#include "runtime/step_factory.hpp"
#include "runtime/step_scheduler.hpp"
#include "runtime/steps.hpp"
#include "runtime/weight_pool.hpp"

namespace uibnas::runtime {
namespace {

StepInfo step_info(const arch_defs::OperatorList& ops, const FusedStep& step) {
  // The input's layout change is reported with the elementwise steps ("other").
  if (step.primary < 0) return {"input", arch_defs::OpKind::Add, 0, {}};
  const arch_defs::Operator& op = ops.ops[step.primary];
  StepInfo info{op.name, op.kind, op.cost.macs, {}};
  for (int j : step.folded()) info.fused.push_back(ops.ops[j].name);
  return info;
}

}  // namespace

struct CompiledModel::Impl {
  arch_defs::OperatorList ops;
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
  size_t chunks_per_thread = 2;  // chunks a large step is cut into, per thread

  // Fusion, then the arena layout of the fused steps, then each step made with its buffers and
  // packed weights (with `consume`, freeing each operator's parameters once packed).
  void build(const OperatorGraph& graph, const ParameterMap& params, ParameterMap* consume) {
    const std::vector<FusedStep> fused = fuse_operators(graph);
    const BufferPlan plan = plan_buffers(ops, fused);
    StepFactory factory(ops, params, consume, threads, weight_pool);
    for (size_t s = 0; s < fused.size(); ++s) {
      steps.push_back(factory.make(fused[s], plan.buffers(s)));
      infos.push_back(step_info(ops, fused[s]));
      step_value.push_back(fused[s].value);
      scratch_per_thread = std::max(scratch_per_thread, (steps[s]->scratch_floats() + 15) / 16 * 16);
    }
    input_steps = plan.input_steps;
    arena_buffer = HugePageBuffer(plan.total_floats);
    arena = arena_buffer.allocate(plan.total_floats);
    arena_floats = plan.total_floats;
    logits_offset = plan.output[size_t(plan.step_of_value.at(ops.output))];
    for (size_t st = 0; st < ops.stage_outputs.size(); ++st)
      stage_steps.emplace_back(int(st), plan.step_of_value.at(ops.stage_outputs[st]));
    scratch.assign(scratch_per_thread * threads, 0.0f);
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
    const int v = step_value[s];
    if (v < 0) return 0.0;  // the input's layout change runs whole, as load_input runs it
    const StepInfo& info = infos[s];
    const double out_elems = double(ops.ops[v].out.elements());
    switch (info.kind) {
      case arch_defs::OpKind::PointwiseConv:
      case arch_defs::OpKind::Linear:
      case arch_defs::OpKind::Conv: return double(info.macs) / 70e3 + double(steps[s]->packed_floats()) * 4 / 15e3;
      case arch_defs::OpKind::DepthwiseConv:
      case arch_defs::OpKind::BlurPool: return double(info.macs) / 20e3 + out_elems * 8 / 30e3;
      case arch_defs::OpKind::Attention: return double(info.macs) / 30e3;
      default: return out_elems * 8 / 20e3;
    }
  }

  void build_schedules() {
    // Below about this much work per chunk a split costs more than it saves.
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
    const arch_defs::TensorShape shape = ops.ops[ops.stage_outputs[stage]].out;
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
  if (threads < 1) throw common::InputError("--threads must be at least 1, got " + std::to_string(threads));
  impl_->ops = graph.ops();
  impl_->threads = threads;
  impl_->scheduler = std::make_unique<StepScheduler>(threads);
  impl_->weight_pool = HugePageBuffer(packed_weight_floats(impl_->ops));
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

int CompiledModel::wake_threads() const { return impl_->scheduler->wake_helpers(); }

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
const arch_defs::OperatorList& CompiledModel::ops() const { return impl_->ops; }

}  // namespace uibnas::runtime
