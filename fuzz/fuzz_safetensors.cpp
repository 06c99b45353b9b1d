// Safetensors files (header and data): open validates everything up front, so reading every tensor
// of an accepted file stays inside it.
#include "fuzz/fuzz_support.hpp"
#include "runtime/weights/safetensors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace uibnas;
  const std::string path = fuzz::bytes_in_file(data, size, "weights.safetensors");
  fuzz::refusals_are_fine([&] {
    const auto file = runtime::weights::SafetensorsFile::open(path);
    for (const auto& t : file.tensors()) {
      fuzz::expect(file.bytes(t).size() == t.end - t.begin, "a tensor's bytes are its data_offsets range");
      if (file.is_float(t)) file.read_f32(t.name);
    }
  });
  return 0;
}
