// uibnas run MODEL|FILE: compile and execute a network on the CPU; top-5 and latency statistics.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <numeric>
#include <random>
#include <thread>

#include "arch_defs/catalogue.hpp"
#include "arch_defs/error.hpp"
#include "cli/command.hpp"
#include "runtime/compiled_model.hpp"
#include "runtime/timing.hpp"
#include "runtime/weights/safetensors.hpp"

namespace uibnas::cli {
namespace {

std::vector<float> read_input(const std::string& path, int channels, int& resolution, bool resolution_given) {
  const auto file = weights::SafetensorsFile::open(path);
  const weights::TensorInfo* t = file.find("input");
  if (!t) throw InputError(path + ": no tensor named \"input\" (expected NCHW [1, " + std::to_string(channels) + ", H, W])");
  const auto& s = t->shape;
  if (s.size() != 4 || s[0] != 1 || s[1] != channels || s[2] != s[3])
    throw InputError(path + ": tensor \"input\" must be NCHW [1, " + std::to_string(channels) + ", N, N]");
  if (resolution_given && s[2] != resolution)
    throw InputError(path + ": input is " + std::to_string(s[2]) + " px but --resolution is " + std::to_string(resolution));
  resolution = int(s[2]);
  return file.read_f32("input");
}

}  // namespace

int run_run(const Args& args) {
  namespace po = boost::program_options;
  std::string model, weights_path, input_path, output_path;
  int resolution = 0, threads = 0, warmup = 0, repeat = 0;
  std::uint64_t seed = 0;
  po::options_description opts("options");
  opts.add_options()
      ("model", po::value(&model)->required(), "built-in model name or architecture JSON file")
      ("weights,w", po::value(&weights_path), "safetensors checkpoint with timm's state_dict names (default: random from --seed)")
      ("input,i", po::value(&input_path), "safetensors file whose tensor `input` is NCHW [1,3,N,N] (default: random from --seed)")
      ("resolution,r", po::value(&resolution), "input size in pixels (default: the input's, else the model's input_size)")
      ("threads,t", po::value(&threads)->default_value(int(std::max(1u, std::thread::hardware_concurrency()))),
       "threads (oneTBB task_arena size)")
      ("warmup", po::value(&warmup)->default_value(3), "untimed runs first")
      ("repeat", po::value(&repeat)->default_value(20), "timed runs")
      ("seed", po::value(&seed)->default_value(0), "seed of the random weights and input")
      ("output,o", po::value(&output_path), "write `logits` (and with --stages `stage0`...) to this safetensors file")
      ("stages", "also output each block stage's output (NCHW)")
      ("json", "print one JSON object");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse_command_line(args,
                          "usage: uibnas run MODEL|FILE [--weights W] [--input X] [--resolution N] [--threads N]\n"
                          "                 [--warmup W] [--repeat R] [--seed S] [--output OUT.safetensors] [--stages] [--json]\n\n"
                          "Compiles the network (BN folded, activations fused, weights packed), runs it, prints the top-5\n"
                          "classes and the latency over R runs (median, p10, p90, min).",
                          opts, pos, vm))
    return 0;
  if (threads < 1) throw InputError("--threads must be at least 1, got " + std::to_string(threads));
  if (repeat < 1) throw InputError("--repeat must be at least 1, got " + std::to_string(repeat));
  if (warmup < 0) throw InputError("--warmup must not be negative, got " + std::to_string(warmup));
  const bool want_stages = vm.count("stages") > 0;
  if (want_stages && output_path.empty()) throw InputError("--stages needs --output FILE to write the stage outputs to");

  const Architecture arch = resolve_architecture(model);
  const Network net = build_network(arch);
  const bool resolution_given = vm.count("resolution") > 0;
  if (!resolution_given) resolution = arch.input_size;
  std::vector<float> input;
  if (!input_path.empty()) input = read_input(input_path, net.in_channels, resolution, resolution_given);

  const runtime::OperatorGraph graph(lower_network(net, resolution));
  std::unique_ptr<runtime::CompiledModel> compiled;
  {
    // The unpacked parameters are freed as soon as they are packed.
    const runtime::ParameterMap params = weights_path.empty() ? runtime::random_parameters(graph.ops(), seed)
                                                              : runtime::load_parameters(weights_path, graph.ops());
    compiled = std::make_unique<runtime::CompiledModel>(graph, params, threads);
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
  const runtime::LatencyStats lat = runtime::summarize_latency(ms);

  std::vector<int> order(logits.size());
  std::iota(order.begin(), order.end(), 0);
  const size_t k = std::min<size_t>(5, order.size());
  std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) { return logits[a] > logits[b]; });
  order.resize(k);

  if (!output_path.empty()) {
    std::vector<weights::NamedTensor> tensors{{"logits", {1, std::int64_t(logits.size())}, logits.data()}};
    const OperatorList& ops = graph.ops();
    for (size_t s = 0; s < stages.size(); ++s) {
      const TensorShape& sh = ops.ops[ops.stage_outputs[s]].out;
      tensors.push_back({"stage" + std::to_string(s), {1, sh.c, sh.h, sh.w}, stages[s].data()});
    }
    weights::write_safetensors(output_path, tensors, {{"model", arch.name}, {"resolution", std::to_string(resolution)}});
  }

  if (vm.count("json")) {
    nlohmann::json j = {{"model", arch.name}, {"resolution", resolution}, {"threads", threads},
                        {"latency_ms", {{"median", lat.median}, {"p10", lat.p10}, {"p90", lat.p90}, {"min", lat.min}}},
                        {"top5", order}};
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
  return 0;
}

}  // namespace uibnas::cli
