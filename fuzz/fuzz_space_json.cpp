// Search-space JSON: parse and lay out the space, then decode its first candidate (all choices 0)
// into a network and check the encoding round trip.
#include "arch_defs/network.hpp"
#include "arch_defs/operators.hpp"
#include "common/json_file.hpp"
#include "fuzz/fuzz_support.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/encoding.hpp"
#include "searchspace/search_space.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace uibnas;
  fuzz::refusals_are_fine([&] {
    const auto j = common::parse_json_text(fuzz::as_text(data, size), "fuzz.json", "a search space");
    const searchspace::SearchSpace space(searchspace::read_space_spec(j, "fuzz.json"));
    const searchspace::Choices first = space.canonical(searchspace::Choices(space.decisions().size(), 0));
    space.check(first);
    fuzz::expect(searchspace::decode(space, searchspace::encode(space, first)) == first, "decode(encode(c)) == c");
    const arch_defs::Architecture arch = searchspace::to_architecture(space, first);
    arch_defs::network_params_macs(arch_defs::build_network(arch), arch.input_size);
  });
  return 0;
}
