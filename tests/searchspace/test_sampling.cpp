// Sampling, mutation and crossover: reproducible by seed, uniform as documented (chi-square tests),
// and always buildable.
#include <catch2/catch.hpp>

#include <set>

#include "arch_defs/network.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/encoding.hpp"
#include "searchspace/locate.hpp"
#include "searchspace/sampling.hpp"
#include "space_test_support.hpp"

using namespace uibnas;
using namespace uibnas::searchspace;

namespace {

// Small enough to enumerate: 2 resolutions x 2 stems x 12 x 120 = 5760 candidates (see the test).
nlohmann::json tiny_space() {
  return nlohmann::json::parse(R"({
    "format": "uibnas-search-space", "version": 1, "id": "tiny", "resolutions": [160, 192],
    "stem": {"widths": [16, 24]},
    "stages": [
      {"stride": 2, "depth": {"min": 1, "max": 2}, "widths": [16, 24],
       "blocks": [{"type": "uir", "position": "first", "start_dw": [0, 3], "middle_dw": [3], "expansion": [2]},
                  {"type": "cn", "position": "rest", "kernel": [1, 3]}]},
      {"stride": 2, "depth": {"min": 2, "max": 3}, "widths": [32],
       "blocks": [{"type": "uir", "start_dw": [0], "middle_dw": [3, 5], "expansion": [4]},
                  {"type": "er", "position": "rest", "kernel": [3], "expansion": [2, 4]},
                  {"type": "mqa", "count": [0, 1], "heads": [2], "key_dim": [8, 16], "kv_stride": [1]}]}
    ]})");
}

// What a candidate builds, independent of how its choices are numbered.
std::string architecture_key(const arch_defs::Architecture& a) {
  std::string key = std::to_string(a.input_size) + "/" + std::to_string(a.stem_channels);
  for (const auto& stage : a.stages) {
    key += "|";
    for (const auto& b : stage) key += arch_defs::to_block_string(b) + ",";
  }
  return key;
}

// Every full choice vector of a space, odometer order.
std::vector<Choices> all_vectors(const SearchSpace& sp) {
  std::vector<Choices> out;
  Choices c(sp.decisions().size(), 0);
  while (true) {
    out.push_back(c);
    size_t i = 0;
    while (i < c.size() && ++c[i] == sp.decisions()[i].options()) c[i++] = 0;
    if (i == c.size()) return out;
  }
}

}  // namespace

TEST_CASE("sampling is reproducible by seed", "[space][sampling]") {
  for (const char* id : space_test::kShippedIds) {
    INFO(id);
    const SearchSpace& sp = space_test::shipped(id);
    Rng a(42), b(42), c(43);
    std::vector<Choices> first, again, other;
    for (int i = 0; i < 20; ++i) {
      first.push_back(sample(sp, a));
      again.push_back(sample(sp, b));
      other.push_back(sample(sp, c));
    }
    CHECK(first == again);
    CHECK(first != other);
    for (const Choices& ch : first) CHECK_NOTHROW(sp.check(ch));
  }
}

TEST_CASE("per-decision sampling is uniform over each decision's options where it is active", "[space][sampling]") {
  for (const char* id : {"conv-s", "hybrid-m", "hybrid-l"}) {
    const SearchSpace& sp = space_test::shipped(id);
    const auto& decisions = sp.decisions();
    std::vector<std::vector<long long>> counts(decisions.size());
    for (size_t i = 0; i < decisions.size(); ++i) counts[i].assign(decisions[i].options(), 0);
    Rng rng(1234);
    const int n = 4000;
    for (int k = 0; k < n; ++k) {
      const Choices c = sample(sp, rng);
      for (size_t i = 0; i < decisions.size(); ++i)
        if (sp.is_active(c, static_cast<int>(i))) ++counts[i][c[i]];
    }
    int tested = 0;
    for (size_t i = 0; i < decisions.size(); ++i) {
      long long active = 0;
      for (long long x : counts[i]) active += x;
      const int options = decisions[i].options();
      if (options < 2 || active < 5 * options) continue;  // chi-square needs about 5 expected per cell
      ++tested;
      INFO(id << " " << decisions[i].name << " active in " << active << " samples");
      CHECK(space_test::chi_square_uniform(counts[i]) < space_test::chi_square_critical(options - 1));
    }
    CHECK(tested > static_cast<int>(decisions.size()) * 3 / 4);
  }
}

TEST_CASE("the uniformity test has the power to see a bias", "[space][sampling]") {
  // Sampling uniformly over candidates puts nearly all mass on the deepest stages: per decision, that
  // is far from uniform, and the same chi-square test must say so.
  const SearchSpace& sp = space_test::shipped("conv-m");
  const int depth = sp.stages()[3].depth;
  std::vector<long long> counts(sp.decisions()[depth].options(), 0);
  Rng rng(5);
  for (int k = 0; k < 2000; ++k) ++counts[sample(sp, rng, SamplingMode::PerCandidate)[depth]];
  CHECK(space_test::chi_square_uniform(counts) > 100 * space_test::chi_square_critical(int(counts.size()) - 1));
  // 36 later-slot choices per extra block: the deepest option takes 35/36 of the mass.
  CHECK(counts.back() > 1900);
}

TEST_CASE("a tiny space: exact cardinality by enumeration, and per-candidate sampling uniform over it", "[space][sampling]") {
  const SearchSpace sp = space_test::space_from(tiny_space());
  // By hand: stage 0: 2 widths x (d=1: 2 start DWs; d=2: 2 x 2 cn kernels) = 12. Stage 1: slot 0 has 2
  // middle DWs, later slots uir 2 + er 2 = 4: d=2: 8, d=3: 32, so 40, x MQA (none, or 1 with 2 dims) = 3.
  CHECK(sp.cardinality().to_string() == std::to_string(2 * 2 * 12 * (40 * 3)));

  // Enumerate every full choice vector: the distinct architectures they build are the candidates.
  std::set<std::string> built;
  std::set<Choices> canonical;
  std::map<std::string, std::string> key_of_encoding;
  for (const Choices& c : all_vectors(sp)) {
    const arch_defs::Architecture a = to_architecture(sp, c, "x");
    built.insert(architecture_key(a));
    canonical.insert(sp.canonical(c));
    key_of_encoding[encode(sp, c)] = architecture_key(a);
  }
  CHECK(built.size() == 5760);
  CHECK(canonical.size() == 5760);
  CHECK(key_of_encoding.size() == 5760);

  // Uniform over candidates: each of the 5760 about 10 times in 57,600 draws.
  auto chi_square_over_candidates = [&](SamplingMode mode) {
    std::map<std::string, long long> seen;
    for (const auto& [enc, key] : key_of_encoding) seen[key] = 0;
    Rng rng(99);
    for (int k = 0; k < 57600; ++k) ++seen.at(architecture_key(to_architecture(sp, sample(sp, rng, mode), "x")));
    std::vector<long long> counts;
    for (const auto& [key, n] : seen) counts.push_back(n);
    return space_test::chi_square_uniform(counts);
  };
  const double critical = space_test::chi_square_critical(5759);
  CHECK(chi_square_over_candidates(SamplingMode::PerCandidate) < critical);
  // Per-decision sampling gives depth 2 and 3 of stage 1 the same chance although depth 3 has 4 times
  // the candidates: clearly not uniform over candidates.
  CHECK(chi_square_over_candidates(SamplingMode::PerDecision) > 2 * critical);
}

TEST_CASE("mutation changes exactly one active choice", "[space][mutation]") {
  for (const char* id : space_test::kShippedIds) {
    INFO(id);
    const SearchSpace& sp = space_test::shipped(id);
    Rng rng(77);
    std::set<int> mutated;
    for (int k = 0; k < 300; ++k) {
      const Choices parent = sample(sp, rng);
      const Choices child = mutate(sp, parent, rng);
      std::vector<int> changed;
      for (size_t i = 0; i < parent.size(); ++i)
        if (parent[i] != child[i]) changed.push_back(static_cast<int>(i));
      REQUIRE(changed.size() == 1);
      CHECK(sp.is_active(parent, changed[0]));
      CHECK(sp.decisions()[changed[0]].options() > 1);
      CHECK(sp.canonical(child) != sp.canonical(parent));
      CHECK_NOTHROW(sp.check(child));
      mutated.insert(changed[0]);
    }
    size_t choosing = 0;
    for (const auto& d : sp.decisions()) choosing += d.options() > 1;
    CHECK(mutated.size() >= std::min<size_t>(20, choosing));  // spread over many decisions, not stuck on one
  }
  // A space with one candidate has nothing to mutate.
  nlohmann::json one = tiny_space();
  one["resolutions"] = {160};
  one["stem"]["widths"] = {16};
  one["stages"] = nlohmann::json::array({one["stages"][0]});
  one["stages"][0]["depth"] = {{"min", 1}, {"max", 1}};
  one["stages"][0]["widths"] = {16};
  one["stages"][0]["blocks"] = nlohmann::json::array(
      {{{"type", "uir"}, {"start_dw", {0}}, {"middle_dw", {3}}, {"expansion", {2}}}});
  const SearchSpace single = space_test::space_from(one);
  CHECK(single.cardinality().to_string() == "1");
  Rng rng(1);
  CHECK_THROWS_WITH(mutate(single, sample(single, rng), rng), "tiny: the space has one candidate; nothing to mutate");
}

TEST_CASE("crossover takes every choice from one of the parents", "[space][crossover]") {
  const SearchSpace& sp = space_test::shipped("hybrid-l");
  Rng rng(3);
  for (int k = 0; k < 50; ++k) {
    const Choices a = sample(sp, rng), b = sample(sp, rng);
    const Choices child = crossover(sp, a, b, rng);
    int from_a_only = 0, from_b_only = 0;
    for (size_t i = 0; i < child.size(); ++i) {
      REQUIRE((child[i] == a[i] || child[i] == b[i]));
      from_a_only += child[i] == a[i] && a[i] != b[i];
      from_b_only += child[i] == b[i] && a[i] != b[i];
    }
    CHECK(from_a_only > 0);
    CHECK(from_b_only > 0);
    CHECK_NOTHROW(arch_defs::build_network(to_architecture(sp, child)));
  }
}

TEST_CASE("sampled candidates locate back to their own choices", "[space][locate]") {
  for (const char* id : space_test::kShippedIds) {
    INFO(id);
    const SearchSpace& sp = space_test::shipped(id);
    Rng rng(11);
    for (int k = 0; k < 60; ++k) {
      const Choices c = sample(sp, rng);
      const Location loc = locate(sp, to_architecture(sp, c));
      INFO(loc.reason);
      REQUIRE(loc.inside);
      CHECK(loc.choices == sp.canonical(c));
    }
  }
}
