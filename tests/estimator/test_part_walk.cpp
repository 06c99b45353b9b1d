// The fast part walk gives exactly latency::network_parts' signatures, and packing keeps keys apart.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "common/error.hpp"
#include "estimator/part_walk.hpp"
#include "estimator_test_support.hpp"

using namespace uibnas;
using namespace uibnas::estimator;

TEST_CASE("the walk's signatures are network_parts' for published variants and sampled candidates", "[walk]") {
  std::vector<PackedSignature> walked;
  std::map<std::array<std::uint64_t, 4>, std::string> key_of;
  int checked = 0;
  for (const TestNetwork& n : test_networks(20)) {
    std::vector<int> resolutions{n.resolution};
    const bool published = n.arch.name.rfind("mobilenetv4", 0) == 0 || n.arch.family != "mobilenetv4";
    if (published) resolutions = {n.resolution, 160, 240, 255};  // odd sizes too
    for (int res : resolutions)
      for (int threads : {1, 3}) {
        INFO(n.arch.name << " @ " << res << " t=" << threads);
        const auto parts = latency::network_parts(n.net, res, threads);
        packed_network_parts(n.net, res, threads, walked);
        REQUIRE(walked.size() == parts.size());
        for (size_t i = 0; i < parts.size(); ++i) {
          INFO(parts[i].signature.key());
          CHECK(walked[i] == pack(parts[i].signature));
          // packing is one-to-one on every key seen
          const auto [it, fresh] = key_of.emplace(walked[i].words, parts[i].signature.key());
          CHECK(it->second == parts[i].signature.key());
          ++checked;
        }
      }
  }
  CHECK(checked > 5000);
}

TEST_CASE("the walk refuses a resolution at which a feature map vanishes", "[walk]") {
  // Anti-aliasing's 2x2 average pool halves a 1x1 map to nothing.
  const arch_defs::Network net = arch_defs::build_network(arch_defs::resolve_architecture("conv_aa_medium"));
  std::vector<PackedSignature> out;
  for (int res : {16, 24}) {
    CHECK_THROWS_AS(arch_defs::lower_network(net, res), common::InputError);
    CHECK_THROWS_AS(packed_network_parts(net, res, 1, out), common::InputError);
  }
  CHECK_NOTHROW(packed_network_parts(net, 32, 1, out));
}

TEST_CASE("a field too wide for the packed key is an error naming it", "[walk]") {
  SignatureFields f;
  f.kind = kUirPart;
  f.act = 1;
  f.aa = 1;
  f.in_c = 1 << 21;
  try {
    pack(f);
    FAIL("expected an InputError");
  } catch (const common::InputError& e) {
    CHECK(std::string(e.what()).find("in_c") != std::string::npos);
  }
  latency::BlockSignature s;
  s.kind = "transformer";
  CHECK_THROWS_AS(pack(s), common::InputError);
}
