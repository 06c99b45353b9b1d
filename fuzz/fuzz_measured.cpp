// `uibnas validate`'s measured.json: load it as validate does (one thread), write it back and load
// that again: nothing accepted is lost on the way.
#include "estimator/measured_file.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace uibnas;
  const std::string path = fuzz::bytes_in_file(data, size, "measured.json");
  fuzz::refusals_are_fine([&] {
    const estimator::MeasuredFile file = estimator::load_measured(path, 1);
    const std::string copy = fuzz::scratch_path("measured-copy.json");
    estimator::save_measured(copy, 1, file, {});
    const estimator::MeasuredFile again = estimator::load_measured(copy, 1);
    fuzz::expect(again.networks.size() == file.networks.size(), "measured.json round trip keeps every network");
  });
  return 0;
}
