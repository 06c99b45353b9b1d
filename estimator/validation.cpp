#include "estimator/validation.hpp"

#include "arch_defs/error.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/encoding.hpp"
#include "searchspace/sampling.hpp"

namespace uibnas::estimator {

std::vector<ValidationTarget> validation_targets(const std::vector<std::string>& space_files, int samples,
                                                 std::uint64_t seed, const std::vector<Architecture>& models) {
  if (samples < 0) throw InputError("--samples must not be negative");
  std::vector<ValidationTarget> targets;
  for (const std::string& file : space_files) {
    const space::SearchSpace sp = space::load_search_space(file);
    space::Rng rng(seed);
    for (int i = 0; i < samples; ++i) {
      const space::Choices c = space::sample(sp, rng);
      Architecture a = space::to_architecture(sp, c);
      targets.push_back({a.name, sp.id(), a, a.input_size});
    }
  }
  for (const Architecture& a : models) targets.push_back({a.name, "published", a, a.input_size});
  return targets;
}

}  // namespace uibnas::estimator
