// `profile --space` coverage: every part of every sampled candidate of each shipped space is among
// the enumerated signatures, so a table profiled for a space can estimate any of its candidates.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "latency/space_signatures.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/sampling.hpp"

using namespace uibnas;

TEST_CASE("the enumerated signatures of a space cover every sampled candidate", "[space_signatures]") {
  for (const auto& file : std::filesystem::directory_iterator(UIBNAS_SOURCE_DIR "/searchspace/spaces")) {
    const searchspace::SearchSpace sp = searchspace::load_search_space(file.path().string());
    INFO(file.path().filename().string());
    const auto sigs = latency::space_signatures(sp, 2);
    std::set<std::string> keys;
    for (const auto& s : sigs) CHECK(keys.insert(s.key()).second);  // distinct
    searchspace::Rng rng(11);
    for (int i = 0; i < 60; ++i) {
      const arch_defs::Architecture a = searchspace::to_architecture(sp, searchspace::sample(sp, rng));
      for (const auto& p : latency::network_parts(arch_defs::build_network(a), a.input_size, 2)) {
        INFO(a.name << ": " << p.signature.key());
        CHECK(keys.count(p.signature.key()));
      }
    }
    CHECK(sigs.size() < 20000);  // profiling a space must stay affordable
  }
}
