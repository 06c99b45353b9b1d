// The roofline of Eq. 1 on a hand-made operator list, on the published networks (RP 0 is exactly
// their MACs) and against the paper-facts reference sweep where its conventions agree with ours.
#include <catch2/catch.hpp>

#include "arch_defs/catalogue.hpp"
#include "common/error.hpp"
#include "estimator/roofline.hpp"

using namespace uibnas;
using namespace uibnas::estimator;

namespace {

arch_defs::Operator op(arch_defs::OpKind kind, int block, std::int64_t macs, std::int64_t weight_bytes, std::int64_t activation_bytes,
            bool folds = false) {
  arch_defs::Operator o;
  o.kind = kind;
  o.block = block;
  o.folds_into_producer = folds;
  o.cost.macs = macs;
  o.cost.weight_bytes = weight_bytes;
  o.cost.activation_bytes = activation_bytes;
  return o;
}

arch_defs::OperatorList hand_made() {
  arch_defs::OperatorList l;
  l.blocks.resize(4);
  l.blocks[0].kind = "stem";
  l.blocks[1].kind = "uir";
  l.blocks[2].kind = "pool";
  l.blocks[3].kind = "linear";
  l.ops = {op(arch_defs::OpKind::Conv, 0, 1000, 400, 600),                 // 1000 MACs, 1000 bytes
           op(arch_defs::OpKind::BatchNorm, 0, 0, 8, 2000, true),          // folded: only its 8 weight bytes
           op(arch_defs::OpKind::Act, 0, 0, 0, 2000, true),                // folded: nothing
           op(arch_defs::OpKind::Add, 1, 0, 0, 300),                       // 0 MACs, 300 bytes
           op(arch_defs::OpKind::GlobalAvgPool, 2, 0, 0, 100),             // head part
           op(arch_defs::OpKind::Linear, 3, 500, 2000, 20)};               // head part
  return l;
}

}  // namespace

TEST_CASE("roofline terms follow the bytes convention and sum Eq. 1", "[roofline]") {
  const RooflineTerms t = roofline_terms(hand_made());
  REQUIRE(t.macs.size() == 5);  // the folded activation does no work at all
  CHECK(t.parts == 3);          // stem, one block, head (pool + linear)
  CHECK(t.part == std::vector<int>{0, 0, 1, 2, 2});
  CHECK(t.total_macs == 1500);
  CHECK(t.total_bytes == 1000 + 8 + 300 + 100 + 2020);
  CHECK(mac_equivalents(t, 0) == 1500);
  // RP 1: max(1000,1000) + max(0,8) + max(0,300) + max(0,100) + max(500,2020)
  CHECK(mac_equivalents(t, 1) == 1000 + 8 + 300 + 100 + 2020);
  // RP 0.5: 1000 + 4 + 150 + 50 + 1010
  CHECK(mac_equivalents(t, 0.5) == 2214);
  CHECK(part_mac_equivalents(t, 0.5) == std::vector<double>{1004, 150, 1060});
  const RooflineTerms int8 = roofline_terms(hand_made(), 1);
  CHECK(int8.total_bytes == Approx(t.total_bytes / 4));
  // 1000 MAC-equivalents at 2 GMAC/s = 0.0005 ms
  const Roofline peaks{2.0, 0.5};
  CHECK(peaks.bandwidth_gbs() == 4.0);
  CHECK(peaks.milliseconds(t) == Approx(2214 / 2e6));
}

TEST_CASE("roofline at RP 0 is every published network's MACs", "[roofline]") {
  for (const arch_defs::Architecture& a : arch_defs::published_architectures()) {
    const arch_defs::OperatorList ops = arch_defs::lower_network(arch_defs::build_network(a), a.input_size);
    const RooflineTerms t = roofline_terms(ops);
    CHECK(mac_equivalents(t, 0) == double(ops.total.macs));
    CHECK(t.parts == int(arch_defs::build_network(a).blocks.size()) + 2);
    // FP32 bytes are the operator list's: the block totals already drop folded activation traffic.
    CHECK(t.total_bytes == double(ops.total.weight_bytes + ops.total.activation_bytes));
  }
}

TEST_CASE("INT8 roofline reproduces the reference sweep of paper-facts.md for the conv models", "[roofline]") {
  // ../shared/reference/paper-facts.md, "Computed — reference sweep" (G MAC-equivalents). Its
  // conventions (BN folded, every conv/DW one layer, activation bytes = inputs + output, residual adds
  // and the global pool counted) are ours for conv models, except that we keep BN's per-channel
  // weights (a few kB). Hybrid models differ (the reference splits attention into matmuls and softmax).
  struct Row {
    const char* model;
    double values[9];
  };
  const double rps[9] = {0, 1, 10, 31.2, 39.7, 100, 347.3, 433.8, 500};
  const Row rows[] = {
      {"mobilenetv4_conv_small", {0.186, 0.186, 0.218, 0.313, 0.362, 0.822, 2.850, 3.560, 4.103}},
      {"mobilenetv4_conv_medium", {1.080, 1.082, 1.144, 1.365, 1.462, 2.703, 9.239, 11.540, 13.301}},
      {"mobilenetv4_conv_large", {6.376, 6.383, 6.558, 7.263, 7.568, 9.964, 32.694, 40.837, 47.069}},
  };
  for (const Row& r : rows) {
    const arch_defs::Architecture a = arch_defs::resolve_architecture(r.model);
    REQUIRE(a.input_size == (std::string(r.model).find("small") != std::string::npos ? 224
                             : std::string(r.model).find("medium") != std::string::npos ? 256 : 384));
    const RooflineTerms t = roofline_terms(arch_defs::lower_network(arch_defs::build_network(a), a.input_size), 1);
    for (int i = 0; i < 9; ++i) {
      INFO(r.model << " RP " << rps[i]);
      CHECK(mac_equivalents(t, rps[i]) / 1e9 == Approx(r.values[i]).epsilon(0.01));
    }
  }
}

TEST_CASE("a fingerprint without peaks for the thread count is an error naming the table", "[roofline]") {
  latency::HardwareInfo hw;
  hw.peaks = {{1, 50.0, 10.0}};
  CHECK(fingerprint_roofline(hw, 1, "t.json").ridge_point == Approx(5.0));
  try {
    fingerprint_roofline(hw, 2, "t.json");
    FAIL("expected an InputError");
  } catch (const common::InputError& e) {
    CHECK(std::string(e.what()).find("t.json") != std::string::npos);
  }
}
