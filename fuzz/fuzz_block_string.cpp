// Block strings (`uir_r1_a3_k5_s2_e4_c80`): parse, and an accepted string prints to a canonical form
// that parses back to the same block.
#include "arch_defs/block_spec.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace uibnas;
  fuzz::refusals_are_fine([&] {
    const arch_defs::BlockSpec spec = arch_defs::parse_block_string(fuzz::as_text(data, size));
    const std::string canonical = arch_defs::to_block_string(spec);
    fuzz::expect(arch_defs::parse_block_string(canonical) == spec, "parse(print(block)) == block");
  });
  return 0;
}
