// The canonical short encoding: round trips, hand-computed values, and clear errors.
#include <catch2/catch.hpp>

#include "searchspace/encoding.hpp"
#include "searchspace/sampling.hpp"
#include "space_test_support.hpp"

using namespace uibnas;
using namespace uibnas::searchspace;

TEST_CASE("encodings round-trip to the canonical choice vector", "[space][encoding]") {
  for (const char* id : space_test::kShippedIds) {
    INFO(id);
    const SearchSpace& sp = space_test::shipped(id);
    Rng rng(8);
    for (int k = 0; k < 500; ++k) {
      const Choices c = sample(sp, rng, k % 2 ? SamplingMode::PerCandidate : SamplingMode::PerDecision);
      const std::string e = encode(sp, c);
      CHECK(e.rfind(std::string(id) + ":", 0) == 0);
      const Choices back = decode(sp, e);
      CHECK(back == sp.canonical(c));
      CHECK(encode(sp, back) == e);
    }
  }
}

TEST_CASE("encoding values by hand", "[space][encoding]") {
  const SearchSpace& sp = space_test::shipped("conv-m");
  // The first option everywhere is digit 0 in every place: the number 0.
  const Choices zeros(sp.decisions().size(), 0);
  CHECK(encode(sp, zeros) == "conv-m:0");
  // Decision 0 is the resolution (4 options), decision 1 the stem width (3 options): mixed radix with the
  // first decision least significant, so resolution 3 and stem 2 give 3 + 4 x 2 = 11 = "b".
  Choices c = zeros;
  c[sp.resolution_decision()] = 3;
  c[sp.stem_decision()] = 2;
  CHECK(encode(sp, c) == "conv-m:b");
  // The next decisions: stage 0 width (3), depth (1 option, no digit), er kernel (2): kernel 1 adds
  // 1 x 4 x 3 x 3 = 36, and 36 + 11 = 47 = 1 x 36 + 11 = "1b".
  c[sp.stages()[0].slots[0].entries[0].kernel] = 1;
  CHECK(encode(sp, c) == "conv-m:1b");
  CHECK(decode(sp, "conv-m:1b") == c);
  // A block beyond the stage's depth is inactive: its value takes no digit and decodes as 0.
  Choices hidden = zeros;
  hidden[sp.stages()[1].slots[3].entries[0].start_dw] = 2;
  CHECK(encode(sp, hidden) == "conv-m:0");
}

TEST_CASE("decoding rejects foreign, malformed and out-of-range encodings", "[space][encoding]") {
  const SearchSpace& sp = space_test::shipped("conv-m");
  CHECK_THROWS_WITH(decode(sp, "conv-s:1b"), "candidate 'conv-s:1b' belongs to space 'conv-s', not 'conv-m'");
  CHECK_THROWS_WITH(decode(sp, "1b"), "candidate '1b': expected SPACE:DIGITS, e.g. 'conv-m:1z4k'");
  CHECK_THROWS_WITH(decode(sp, "conv-m:1B"), "candidate 'conv-m:1B': '1B' is not a base-36 number (0-9, a-z)");
  CHECK_THROWS_WITH(decode(sp, "conv-m:"), "candidate 'conv-m:': '' is not a base-36 number (0-9, a-z)");
  CHECK_THROWS_WITH(decode(sp, "conv-m:01b"), "candidate 'conv-m:01b': leading zeros are not canonical");
  CHECK_THROWS_WITH(decode(sp, "conv-m:" + std::string(60, 'z')),
                    "candidate 'conv-m:" + std::string(60, 'z') + "': the number is larger than any candidate with these choices");
  Choices wrong(sp.decisions().size(), 0);
  wrong[0] = 4;
  CHECK_THROWS_WITH(encode(sp, wrong), "conv-m: resolution = 4 is out of range [0, 3]");
  CHECK_THROWS_AS(encode(sp, Choices(3, 0)), common::InputError);
}
