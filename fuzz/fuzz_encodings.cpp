// Candidate encodings ("<space id>:<base 36>") of the shipped spaces: the first byte picks the space,
// the rest is the encoding (the space's id is prefixed when it names none). An accepted encoding is
// canonical (encode(decode(s)) == s) and decodes to a network whose costs can be counted.
#include <filesystem>
#include <vector>

#include "arch_defs/network.hpp"
#include "arch_defs/operators.hpp"
#include "fuzz/fuzz_support.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/encoding.hpp"
#include "searchspace/search_space.hpp"

namespace {

const std::vector<uibnas::searchspace::SearchSpace>& shipped_spaces() {
  static const std::vector<uibnas::searchspace::SearchSpace> spaces = [] {
    std::vector<uibnas::searchspace::SearchSpace> out;
    for (const auto& f : std::filesystem::directory_iterator(UIBNAS_SOURCE_DIR "/searchspace/spaces"))
      out.push_back(uibnas::searchspace::load_search_space(f.path().string()));
    return out;
  }();
  return spaces;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace uibnas;
  if (size == 0) return 0;
  const auto& spaces = shipped_spaces();
  const searchspace::SearchSpace& space = spaces[data[0] % spaces.size()];
  std::string text = fuzz::as_text(data + 1, size - 1);
  if (text.find(':') == std::string::npos) text = space.id() + ":" + text;
  fuzz::refusals_are_fine([&] {
    const searchspace::Choices choices = searchspace::decode(space, text);
    fuzz::expect(searchspace::encode(space, choices) == text, "encode(decode(s)) == s");
    const arch_defs::Architecture arch = searchspace::to_architecture(space, choices);
    arch_defs::network_params_macs(arch_defs::build_network(arch), arch.input_size);
  });
  return 0;
}
