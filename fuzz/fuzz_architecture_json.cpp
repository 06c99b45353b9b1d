// Architecture JSON: parse, lower to operators and count params and MACs at the input size, and the
// JSON form written back reads as the same architecture.
#include "arch_defs/architecture.hpp"
#include "arch_defs/network.hpp"
#include "arch_defs/operators.hpp"
#include "common/json_file.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace uibnas;
  fuzz::refusals_are_fine([&] {
    const auto j = common::parse_json_text(fuzz::as_text(data, size), "fuzz.json", "an architecture");
    const arch_defs::Architecture arch = arch_defs::architecture_from_json(j, "fuzz.json");
    fuzz::expect(arch_defs::architecture_from_json(arch_defs::architecture_to_json(arch), "again") == arch,
                 "architecture JSON round trip");
    const arch_defs::Network net = arch_defs::build_network(arch);
    const arch_defs::ParamsMacs counted = arch_defs::network_params_macs(net, arch.input_size);
    fuzz::expect(counted.params >= 0 && counted.macs >= 0, "params and MACs are not negative");
    arch_defs::lower_network(net, arch.input_size);
  });
  return 0;
}
