// Peak resident memory of compiling and running one network, against the bound the runtime
// promises: packed weights + activation arena + 30 MB. Compares passing the parameters by const
// reference (both copies of the weights alive while packing) with moving them in (each operator's
// parameters freed once packed). Run each mode in its own process, since the peak is per process:
//   bench_memory MODEL [const|move] [--weights FILE.safetensors]
#include <sys/resource.h>

#include <cstdio>
#include <string>
#include <vector>

#include "arch_defs/catalogue.hpp"
#include "runtime/compiled_model.hpp"

using namespace uibnas;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_memory MODEL [const|move] [--weights FILE]\n");
    return 2;
  }
  const std::string mode = argc > 2 ? argv[2] : "move";
  const std::string weights = argc > 4 && std::string(argv[3]) == "--weights" ? argv[4] : "";
  const arch_defs::Architecture arch = arch_defs::resolve_architecture(argv[1]);
  const arch_defs::Network net = arch_defs::build_network(arch);
  const runtime::OperatorGraph graph(arch_defs::lower_network(net, arch.input_size));
  auto load = [&] {
    return weights.empty() ? runtime::random_parameters(graph.ops(), 1) : runtime::load_parameters(weights, graph.ops());
  };
  std::unique_ptr<runtime::CompiledModel> model;
  if (mode == "const") {
    const runtime::ParameterMap params = load();
    model = std::make_unique<runtime::CompiledModel>(graph, params, 1);
  } else {
    model = std::make_unique<runtime::CompiledModel>(graph, load(), 1);
  }
  std::vector<float> input(size_t(net.in_channels) * arch.input_size * arch.input_size, 0.5f), logits(net.num_classes);
  for (int i = 0; i < 3; ++i) model->run(input.data(), logits.data());
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const double peak = u.ru_maxrss / 1024.0, packed = model->packed_weight_bytes() / 1e6 / 1.048576,
               arena = model->arena_bytes() / 1e6 / 1.048576;
  std::printf("%s %s: peak RSS %.1f MiB; packed %.1f + arena %.1f + 30 = %.1f MiB bound (%s)\n", arch.name.c_str(),
              mode.c_str(), peak, packed, arena, packed + arena + 30, peak <= packed + arena + 30 ? "ok" : "OVER");
  return 0;
}
