// uibnas run MODEL|FILE: compile and execute a network on the CPU; top-5 and latency statistics.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <numeric>
#include <random>
#include <thread>

#include <unistd.h>

#include "arch_defs/catalogue.hpp"
#include "common/error.hpp"
#include "cli/command.hpp"
#include "cli/cpu_list_option.hpp"
#include "cli/thread_option.hpp"
#include "common/statistics.hpp"
#include "runtime/compiled_model.hpp"
#include "runtime/timing.hpp"
#include "latency/hardware.hpp"
#include "runtime/weights/safetensors.hpp"

namespace uibnas::cli {
namespace {

std::vector<float> read_input(const std::string& path, int channels, int& resolution, bool resolution_given) {
  const auto file = runtime::weights::SafetensorsFile::open(path);
  const runtime::weights::TensorInfo* t = file.find("input");
  if (!t) throw common::InputError(path + ": no tensor named \"input\" (expected NCHW [1, " + std::to_string(channels) + ", H, W])");
  const auto& s = t->shape;
  if (s.size() != 4 || s[0] != 1 || s[1] != channels || s[2] != s[3])
    throw common::InputError(path + ": tensor \"input\" must be NCHW [1, " + std::to_string(channels) + ", N, N]");
  if (resolution_given && s[2] != resolution)
    throw common::InputError(path + ": input is " + std::to_string(s[2]) + " px but --resolution is " + std::to_string(resolution));
  resolution = int(s[2]);
  return file.read_f32("input");
}

const char* kind_group(arch_defs::OpKind k) {
  switch (k) {
    case arch_defs::OpKind::PointwiseConv: return "pointwise";
    case arch_defs::OpKind::Linear: return "pointwise";
    case arch_defs::OpKind::DepthwiseConv: return "depthwise";
    case arch_defs::OpKind::BlurPool: return "depthwise";
    case arch_defs::OpKind::Conv: return "dense conv";
    case arch_defs::OpKind::Attention: return "attention";
    default: return "other";
  }
}

// Per-step medians over `repeat` profiled runs, printed per operator and per kind.
void print_profile(const runtime::CompiledModel& model, const std::vector<float>& input, std::vector<float>& logits,
                   int repeat, int threads) {
  const auto& steps = model.steps();
  std::vector<std::vector<double>> samples(steps.size());
  std::vector<double> step_ms;
  for (int r = 0; r < repeat; ++r) {
    model.run(input.data(), logits.data(), nullptr, &step_ms);
    for (size_t s = 0; s < steps.size(); ++s) samples[s].push_back(step_ms[s]);
  }
  const double peak = latency::measure_fma_gmacs(threads, 0.1);
  auto gmacs = [](double macs, double ms) { return ms > 0 ? macs / (ms * 1e6) : 0.0; };
  std::printf("\nper operator (median of %d runs; peak = %.1f GMAC/s measured FMA at %d thread%s)\n", repeat, peak, threads,
              threads == 1 ? "" : "s");
  std::printf("%4s  %-40s %-11s %9s %12s %8s %7s\n", "#", "operator (+ fused)", "kind", "ms", "MACs", "GMAC/s", "%peak");
  std::map<std::string, std::pair<double, double>> by_kind;  // ms, MACs
  double total = 0;
  for (size_t s = 0; s < steps.size(); ++s) {
    const double ms = common::median(samples[s]);
    const char* group = s == 0 ? "other" : kind_group(steps[s].kind);
    by_kind[group].first += ms;
    by_kind[group].second += double(steps[s].macs);
    total += ms;
    std::string name = s == 0 ? "input (NCHW -> NHWC)" : steps[s].name;
    if (!steps[s].fused.empty()) name += " +" + std::to_string(steps[s].fused.size());
    std::printf("%4zu  %-40s %-11s %9.4f %12lld %8.1f %6.0f%%\n", s, name.c_str(), group, ms, (long long)steps[s].macs,
                gmacs(double(steps[s].macs), ms), 100 * gmacs(double(steps[s].macs), ms) / peak);
  }
  std::printf("\nper kind\n%-11s %9s %7s %14s %8s %7s\n", "kind", "ms", "share", "MACs", "GMAC/s", "%peak");
  for (const auto& [group, v] : by_kind)
    std::printf("%-11s %9.3f %6.1f%% %14.0f %8.1f %6.0f%%\n", group.c_str(), v.first, 100 * v.first / total, v.second,
                gmacs(v.second, v.first), 100 * gmacs(v.second, v.first) / peak);
  std::printf("%-11s %9.3f\n", "sum", total);
}

// Refuses, before allocating anything, a network whose weights and largest activation alone exceed
// this machine's memory (a lower bound of what it needs: the arena holds several activations).
void check_fits_in_memory(const arch_defs::OperatorList& ops, const std::string& model) {
  std::int64_t largest = ops.input.elements();
  for (const arch_defs::Operator& op : ops.ops) largest = std::max(largest, op.out.elements());
  const double need_gb = 4.0 * (double(ops.total.params) + double(largest)) / 1e9;
  const double have_gb = double(::sysconf(_SC_PHYS_PAGES)) * double(::sysconf(_SC_PAGESIZE)) / 1e9;
  if (have_gb > 0 && need_gb > have_gb) {
    char text[160];
    std::snprintf(text, sizeof text,
                  " at %d px needs at least %.1f GB (weights and its largest activation), more than the %.1f GB of memory here",
                  ops.resolution, need_gb, have_gb);
    throw common::InputError(model + text);
  }
}

void check_run_counts(int threads, int warmup, int repeat, const boost::program_options::variables_map& vm) {
  check_thread_options(threads, vm);
  if (repeat < 1) throw common::InputError("--repeat must be at least 1, got " + std::to_string(repeat));
  if (warmup < 0) throw common::InputError("--warmup must not be negative, got " + std::to_string(warmup));
  check_at_most("--repeat", repeat, kMaxRuns);
  check_at_most("--warmup", warmup, kMaxRuns);
}

}  // namespace

int run_run(const Args& args) {
  namespace po = boost::program_options;
  std::string model, weights_path, input_path, output_path, cpus;
  int resolution = 0, threads = 0, warmup = 0, repeat = 0;
  std::uint64_t seed = 0;
  po::options_description opts("options");
  opts.add_options()
      ("model", po::value(&model)->required(), "built-in model name or architecture JSON file")
      ("weights,w", po::value(&weights_path), "safetensors checkpoint with timm's state_dict names (default: random from --seed)")
      ("input,i", po::value(&input_path), "safetensors file whose tensor `input` is NCHW [1,3,N,N] (default: random from --seed)")
      ("resolution,r", po::value(&resolution), "input size in pixels (default: the input's, else the model's input_size)");
  add_thread_options(opts, threads, int(std::max(1u, std::thread::hardware_concurrency())), "threads (oneTBB task_arena size)");
  add_cpu_list_option(opts, cpus);
  opts.add_options()
      ("warmup", po::value(&warmup)->default_value(3), "untimed runs first")
      ("repeat", po::value(&repeat)->default_value(20), "timed runs")
      ("seed", po::value(&seed)->default_value(0), "seed of the random weights and input")
      ("output,o", po::value(&output_path), "write `logits` (and with --stages `stage0`...) to this safetensors file")
      ("stages", "also output each block stage's output (NCHW)")
      ("profile", "time every operator: per operator and per kind, GMAC/s and % of the measured FMA peak")
      ("json", "print one JSON object");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse_command_line(args,
                          "usage: uibnas run MODEL|FILE [--weights W] [--input X] [--resolution N] [--threads N] [--cpus LIST]\n"
                          "                 [--warmup W] [--repeat R] [--seed S] [--output OUT.safetensors] [--stages] [--json]\n\n"
                          "Compiles the network (BN folded, activations fused, weights packed), runs it, prints the top-5\n"
                          "classes and the latency over R runs (median, p10, p90, min).",
                          opts, pos, vm))
    return 0;
  check_run_counts(threads, warmup, repeat, vm);
  const std::vector<int> pinned = apply_cpu_list_option(cpus, threads, vm);
  const bool want_stages = vm.count("stages") > 0;
  if (want_stages && output_path.empty()) throw common::InputError("--stages needs --output FILE to write the stage outputs to");

  const arch_defs::Architecture arch = arch_defs::resolve_architecture(model);
  const arch_defs::Network net = arch_defs::build_network(arch);
  const bool resolution_given = vm.count("resolution") > 0;
  if (!resolution_given) resolution = arch.input_size;
  std::vector<float> input;
  if (!input_path.empty()) input = read_input(input_path, net.in_channels, resolution, resolution_given);

  arch_defs::OperatorList lowered = arch_defs::lower_network(net, resolution);
  check_fits_in_memory(lowered, model);
  const runtime::OperatorGraph graph(std::move(lowered));
  std::unique_ptr<runtime::CompiledModel> compiled;
  {
    // The unpacked parameters are freed as soon as they are packed.
    runtime::ParameterMap params = weights_path.empty() ? runtime::random_parameters(graph.ops(), seed)
                                                        : runtime::load_parameters(weights_path, graph.ops());
    compiled = std::make_unique<runtime::CompiledModel>(graph, std::move(params), threads);
  }
  if (input.empty()) {
    input.resize(size_t(net.in_channels) * resolution * resolution);
    std::mt19937_64 rng(seed + 1);
    std::normal_distribution<float> normal;
    for (float& v : input) v = normal(rng);
  }

  std::vector<float> logits(size_t(net.num_classes));
  std::vector<std::vector<float>> stages;
  for (int i = 0; i < warmup; ++i) compiled->run(input.data(), logits.data());
  std::vector<double> ms;
  for (int i = 0; i < repeat; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    compiled->run(input.data(), logits.data());
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  if (want_stages) compiled->run(input.data(), logits.data(), &stages);
  const bool want_profile = vm.count("profile") > 0;
  const runtime::LatencyStats lat = runtime::summarize_latency(ms);

  std::vector<int> order(logits.size());
  std::iota(order.begin(), order.end(), 0);
  const size_t k = std::min<size_t>(5, order.size());
  std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) { return logits[a] > logits[b]; });
  order.resize(k);

  if (!output_path.empty()) {
    std::vector<runtime::weights::NamedTensor> tensors{{"logits", {1, std::int64_t(logits.size())}, logits.data()}};
    const arch_defs::OperatorList& ops = graph.ops();
    for (size_t s = 0; s < stages.size(); ++s) {
      const arch_defs::TensorShape& sh = ops.ops[ops.stage_outputs[s]].out;
      tensors.push_back({"stage" + std::to_string(s), {1, sh.c, sh.h, sh.w}, stages[s].data()});
    }
    runtime::weights::write_safetensors(output_path, tensors, {{"model", arch.name}, {"resolution", std::to_string(resolution)}});
  }

  if (vm.count("json")) {
    nlohmann::json j = {{"model", arch.name}, {"resolution", resolution}, {"threads", threads},
                        {"latency_ms", {{"median", lat.median}, {"p10", lat.p10}, {"p90", lat.p90}, {"min", lat.min}}},
                        {"top5", order},
                        {"runs_ms", ms},
                        {"memory_bytes", {{"packed_weights", compiled->packed_weight_bytes()}, {"arena", compiled->arena_bytes()}}}};
    if (!pinned.empty()) j["cpus"] = pinned;
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::printf("%s @ %dx%d, %d thread%s, weights: %s\n", arch.name.c_str(), resolution, resolution, threads,
              threads == 1 ? "" : "s", weights_path.empty() ? ("random (seed " + std::to_string(seed) + ")").c_str() : weights_path.c_str());
  std::printf("top-5:");
  for (int c : order) std::printf("  %d (%.4f)", c, logits[c]);
  std::printf("\nlatency over %d runs (after %d warm-up): median %.3f ms, p10 %.3f, p90 %.3f, min %.3f\n", repeat, warmup,
              lat.median, lat.p10, lat.p90, lat.min);
  std::printf("packed weights %.1f MB, activation arena %.1f MB\n", compiled->packed_weight_bytes() / 1e6,
              compiled->arena_bytes() / 1e6);
  if (!output_path.empty()) std::printf("wrote %s\n", output_path.c_str());
  if (want_profile) print_profile(*compiled, input, logits, repeat, threads);
  return 0;
}

}  // namespace uibnas::cli
