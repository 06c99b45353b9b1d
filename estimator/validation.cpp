#include "estimator/validation.hpp"

#include "common/error.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/encoding.hpp"
#include "searchspace/sampling.hpp"

namespace uibnas::estimator {

std::vector<ValidationTarget> validation_targets(const std::vector<std::string>& space_files, int samples,
                                                 std::uint64_t seed, const std::vector<arch_defs::Architecture>& models) {
  if (samples < 0) throw common::InputError("--samples must not be negative");
  std::vector<ValidationTarget> targets;
  for (const std::string& file : space_files) {
    const searchspace::SearchSpace sp = searchspace::load_search_space(file);
    searchspace::Rng rng(seed);
    for (int i = 0; i < samples; ++i) {
      const searchspace::Choices c = searchspace::sample(sp, rng);
      arch_defs::Architecture a = searchspace::to_architecture(sp, c);
      targets.push_back({a.name, sp.id(), a, a.input_size});
    }
  }
  for (const arch_defs::Architecture& a : models) targets.push_back({a.name, "published", a, a.input_size});
  return targets;
}

}  // namespace uibnas::estimator
