// The training-free proxies as search objectives: named in the registry, maximised unless told
// otherwise, and worth exactly what proxy_score gives for the candidate's architecture.
#include <catch2/catch.hpp>

#include "search/objective_registry.hpp"
#include "search/proxy.hpp"
#include "search_test_support.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/sampling.hpp"

using namespace uibnas;
using namespace uibnas::search;

TEST_CASE("naswot, zen and meco are objectives that score a candidate with proxy_score", "[search][proxy]") {
  const searchspace::SearchSpace space = searchspace::load_search_space(search_test::tiny_space_file());
  searchspace::Rng rng(11);
  const searchspace::Choices choices = space.canonical(searchspace::sample(space, rng));
  ObjectiveContext context;
  context.space = &space;
  context.proxy.seed = 3;
  for (ProxyKind kind : proxy_kinds()) {
    INFO(proxy_name(kind));
    const ChosenObjective chosen = make_objective(proxy_name(kind), context);
    CHECK(chosen.direction == Direction::Maximise);
    CHECK(chosen.label() == proxy_name(kind));
    const Candidate candidate(space, choices);
    const double expected = proxy_score(kind, searchspace::to_architecture(space, choices), context.proxy);
    CHECK(chosen.objective->value(candidate) == expected);
  }
  CHECK(make_objective("naswot:min", context).direction == Direction::Minimise);
  CHECK_THROWS_WITH(make_objective("zen:3", context), Catch::Contains("takes no argument"));
}

TEST_CASE("a proxy objective refuses settings the proxies cannot use", "[search][proxy]") {
  ObjectiveContext context;
  context.proxy.data = "";
  CHECK_THROWS_AS(make_objective("meco", context), common::InputError);
}
