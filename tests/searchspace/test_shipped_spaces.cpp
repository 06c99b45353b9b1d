// The shipped spaces: exact cardinalities, each published MNv4 variant located in its own space, and
// the paper's two-stage pair for conv-m holding what it should.
#include <catch2/catch.hpp>

#include "arch_defs/catalogue.hpp"
#include "arch_defs/network.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/encoding.hpp"
#include "searchspace/locate.hpp"
#include "space_test_support.hpp"

using namespace uibnas;
using namespace uibnas::searchspace;

namespace {

const arch_defs::Architecture& published(const std::string& name) {
  for (const auto& a : arch_defs::published_architectures())
    if (a.name == name) return a;
  FAIL("no published model " << name);
  throw;
}

// Every structural field of two expanded networks, block by block.
void check_same_network(const arch_defs::Network& x, const arch_defs::Network& y) {
  CHECK(x.stem_channels == y.stem_channels);
  CHECK(x.num_features == y.num_features);
  CHECK(x.stage_ends == y.stage_ends);
  REQUIRE(x.blocks.size() == y.blocks.size());
  for (size_t i = 0; i < x.blocks.size(); ++i) {
    const arch_defs::LayerConfig &a = x.blocks[i], &b = y.blocks[i];
    INFO(a.name << " " << a.source() << " vs " << b.source());
    CHECK(a.type == b.type);
    CHECK(a.in_channels == b.in_channels);
    CHECK(a.out_channels == b.out_channels);
    CHECK(a.mid_channels == b.mid_channels);
    CHECK(a.kernel == b.kernel);
    CHECK(a.start_kernel == b.start_kernel);
    CHECK(a.stride == b.stride);
    CHECK(a.heads == b.heads);
    CHECK(a.key_dim == b.key_dim);
    CHECK(a.kv_stride == b.kv_stride);
    CHECK(a.residual == b.residual);
    CHECK(a.layer_scale == b.layer_scale);
  }
}

// An architecture with one block string changed: stage s, string b.
arch_defs::Architecture with_block(arch_defs::Architecture a, size_t s, size_t b, const std::string& block) {
  a.stages.at(s).at(b) = arch_defs::parse_block_string(block);
  return a;
}

}  // namespace

TEST_CASE("shipped spaces have the cardinalities their ranges give", "[space][cardinality]") {
  // Computed independently: resolutions x stem widths x per stage (widths x sum over depths d of
  // first-slot choices x rest-slot choices^(d-1) x MQA choices). First UIB slot 3x2x4 = 24, later UIB
  // slots 3x3x4 = 36; MQA: 1 + 4 counts x heads x dims x strides.
  const std::map<std::string, std::string> expected = {
      {"conv-s", "6621709155651983205747835011072"},
      {"conv-m", "94548709804397851376985466964140163816874835968"},
      {"conv-l", "205811961396427584536947773862215882330152418118169788416"},
      {"hybrid-m", "227011452138968498076429639039768403873870657880064"},
      {"hybrid-l", "224129225960709639560736125735953095857535983330686899585024"},
      {"conv-m-stage1", "50644440"},            // 5 x 6 x (11 x 4) x (21 x 7) x (29 x 9)
      {"conv-m-stage2", "32420441224151810136"},  // (6 x 9) x (6 x 9^7) x (6 x 9^10)
  };
  for (const auto& [id, count] : expected) {
    INFO(id);
    const SearchSpace& sp = space_test::shipped(id);
    CHECK(sp.id() == id);
    CHECK(sp.cardinality().to_string() == count);
    CHECK(sp.cardinality().log10() == Approx(std::log10(std::stod(count))).margin(1e-9));
    if (id != "conv-m-stage1") CHECK(sp.cardinality().log10() > 19);  // the first stage only searches widths and depths
  }
  // Stage-level counts of conv-m: 3 widths x 2 kernels x 3 expansions, then 3 x (24 + 24x36 + 24x36^2 + 24x36^3).
  CHECK(space_test::shipped("conv-m").stage_cardinality(0).to_string() == "18");
  CHECK(space_test::shipped("conv-m").stage_cardinality(1).to_string() == std::to_string(3LL * 24 * (1 + 36 + 1296 + 46656)));
}

TEST_CASE("each published MNv4 variant is located in its own space", "[space][locate]") {
  const std::vector<std::pair<std::string, std::string>> homes = {
      {"mobilenetv4_conv_small", "conv-s"},     {"mobilenetv4_conv_medium", "conv-m"},
      {"mobilenetv4_conv_large", "conv-l"},     {"mobilenetv4_hybrid_medium", "hybrid-m"},
      {"mobilenetv4_hybrid_large", "hybrid-l"},
  };
  for (const auto& [model, id] : homes) {
    DYNAMIC_SECTION(model << " in " << id) {
      const SearchSpace& sp = space_test::shipped(id);
      const arch_defs::Architecture& arch = published(model);
      const Location loc = locate(sp, arch);
      INFO(loc.reason);
      REQUIRE(loc.inside);
      CHECK(loc.choices == sp.canonical(loc.choices));
      // Decoding the choices rebuilds exactly the published network, at its resolution.
      const arch_defs::Architecture decoded = to_architecture(sp, loc.choices);
      CHECK(decoded.input_size == arch.input_size);
      CHECK(decoded.name == encode(sp, loc.choices));
      check_same_network(arch_defs::build_network(decoded), arch_defs::build_network(arch));
      CHECK(decode(sp, encode(sp, loc.choices)) == loc.choices);
    }
  }
}

TEST_CASE("published variants lie outside the other sizes' spaces, with a reason", "[space][locate]") {
  const Location small_in_medium = locate(space_test::shipped("conv-m"), published("mobilenetv4_conv_small"));
  CHECK_FALSE(small_in_medium.inside);
  CHECK(small_in_medium.reason == "stage 0: 2 blocks, the space allows 1 to 1");
  const Location hybrid_in_conv = locate(space_test::shipped("conv-m"), published("mobilenetv4_hybrid_medium"));
  CHECK(hybrid_in_conv.reason == "layer scale 1e-05, the space has none");
  const Location large_in_medium = locate(space_test::shipped("conv-m"), published("mobilenetv4_conv_large"));
  CHECK(large_in_medium.reason == "input size 384 is not among the resolutions 192, 224, 256, 288");
  // Width-scaled and anti-aliased versions are not part of the size spaces.
  const Location half = locate(space_test::shipped("conv-s"), published("mobilenetv4_conv_small_050"));
  CHECK(half.reason == "the last stage must be the fixed head (a 1x1 cn to 960 channels), got blocks.4.0 "
                       "'cn_r1_k1_s1_c960' with 480 channels");
  CHECK(locate(space_test::shipped("conv-m"), published("mobilenetv4_conv_aa_medium")).reason ==
        "anti-aliasing 'avg' is not part of search spaces");
}

TEST_CASE("locate names the first block that breaks the space's rules", "[space][locate]") {
  const SearchSpace& hm = space_test::shipped("hybrid-m");
  const arch_defs::Architecture base = published("mobilenetv4_hybrid_medium");
  // Stage 2 (timm stage index 2) is: 4 UIBs, then (mqa, uir) x 4. An MQA moved one place earlier breaks
  // "one before each of the last blocks".
  arch_defs::Architecture moved = base;
  std::swap(moved.stages[2][3], moved.stages[2][4]);
  CHECK(locate(hm, moved).reason ==
        "stage 2: mqa blocks stand one before each of the last 4 blocks of a stage, not at blocks.2.3 "
        "'mqa_r1_k3_h4_s1_v2_d64_c160'");
  // One MQA with other heads: the space makes one choice per stage.
  const Location heads = locate(hm, with_block(base, 3, 9, "mqa_r1_k3_h8_s1_d64_c256"));
  CHECK(heads.reason.find("the space makes one heads, key/value dim and K/V stride choice per stage") != std::string::npos);
  // An even-kernel-free but out-of-list expansion.
  const Location expansion = locate(hm, with_block(base, 1, 1, "uir_r1_a3_k3_s1_e5_c80"));
  CHECK(expansion.reason == "blocks.1.1 'uir_r1_a3_k3_s1_e5_c80': 80 -> 400 mid channels, which none of the expansions "
                            "2, 3, 4, 6 gives");
  const Location kernel = locate(hm, with_block(base, 1, 1, "uir_r1_a7_k3_s1_e2_c80"));
  CHECK(kernel.reason == "blocks.1.1 'uir_r1_a7_k3_s1_e2_c80': start depthwise kernel 7 is not among 0, 3, 5");
  const Location width = locate(hm, with_block(base, 1, 1, "uir_r1_a3_k3_s1_e2_c88"));
  CHECK(width.reason == "blocks.1.1 'uir_r1_a3_k3_s1_e2_c88': width 88, but earlier blocks of stage 1 have 80; the "
                        "space gives a stage one width");
  const Location type = locate(hm, with_block(base, 1, 1, "er_r1_k3_s1_e2_c80"));
  CHECK(type.reason == "blocks.1.1 'er_r1_k3_s1_e2_c80': er blocks cannot stand at position 1 of stage 1 (allowed: uir)");
}

TEST_CASE("the two-stage pair for conv-m holds conv_medium's IB and expansion-4 versions", "[space][locate]") {
  const arch_defs::Architecture medium = published("mobilenetv4_conv_medium");
  // Stage 1 (coarse): every UIB an IB with expansion 4 and a 3x3 middle DW, widths and depths as conv_medium.
  arch_defs::Architecture ib = medium;
  for (size_t s = 1; s + 1 < ib.stages.size(); ++s)
    for (auto& b : ib.stages[s]) b.start_kernel = 0, b.kernel = 3, b.expansion = 4.0;
  const SearchSpace& coarse = space_test::shipped("conv-m-stage1");
  const Location in_coarse = locate(coarse, ib);
  INFO(in_coarse.reason);
  CHECK(in_coarse.inside);
  CHECK_FALSE(locate(coarse, medium).inside);

  // Stage 2 (fine): conv_medium's DW choices with every expansion 4.
  arch_defs::Architecture e4 = medium;
  for (size_t s = 1; s + 1 < e4.stages.size(); ++s)
    for (auto& b : e4.stages[s]) b.expansion = 4.0;
  const SearchSpace& fine = space_test::shipped("conv-m-stage2");
  const Location in_fine = locate(fine, e4);
  INFO(in_fine.reason);
  REQUIRE(in_fine.inside);
  check_same_network(arch_defs::build_network(to_architecture(fine, in_fine.choices)), arch_defs::build_network(e4));
  const Location medium_in_fine = locate(fine, medium);
  CHECK(medium_in_fine.reason ==
        "blocks.1.1 'uir_r1_a3_k3_s1_e2_c80': 80 -> 160 mid channels, which none of the expansions 4 gives");
  // Widths and depths are fixed in the fine stage: the IB version only differs in its DWs, which it may choose.
  CHECK(locate(fine, ib).inside);
}
