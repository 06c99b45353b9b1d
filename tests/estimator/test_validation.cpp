// The pieces of `uibnas validate` that do not time anything: which networks.
#include <catch2/catch.hpp>

#include <set>

#include "arch_defs/catalogue.hpp"
#include "common/error.hpp"
#include "estimator/validation_run.hpp"
#include "estimator_test_support.hpp"

using namespace uibnas;
using namespace uibnas::estimator;

TEST_CASE("validation targets are reproducible by seed, space by space", "[validation]") {
  const std::vector<std::string> spaces = shipped_space_files();
  const std::vector<std::string> two{spaces[0], spaces[1]};
  const auto a = validation_targets(two, 5, 42, {});
  const auto b = validation_targets(two, 5, 42, {});
  const auto only_second = validation_targets({spaces[1]}, 5, 42, {});
  const auto calibration = validation_targets(two, 5, 42 + kCalibrationSeedOffset, {});
  REQUIRE(a.size() == 10);
  std::set<std::string> names;
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].name == b[i].name);
    CHECK(a[i].resolution == a[i].arch.input_size);
    names.insert(a[i].name);
  }
  for (size_t i = 0; i < 5; ++i) CHECK(a[5 + i].name == only_second[i].name);  // one generator per space
  int shared = 0;
  for (const auto& c : calibration) shared += names.count(c.name);
  CHECK(shared == 0);  // another seed, other candidates
  const auto with_models = validation_targets({}, 0, 0, arch_defs::published_architectures());
  REQUIRE(with_models.size() == arch_defs::published_architectures().size());
  CHECK(with_models[0].group == "published");
  CHECK_THROWS_AS(validation_targets(two, -1, 0, {}), common::InputError);
}
