// Block-string parser and printer: exact round trips and one clear error per malformed input.
#include <catch2/catch.hpp>

#include "arch_defs/block_spec.hpp"
#include "arch_defs/catalogue.hpp"
#include "common/error.hpp"

using namespace uibnas;

TEST_CASE("the baseline block kinds and options parse to their fields", "[block_string]") {
  const arch_defs::BlockSpec ir = arch_defs::parse_block_string("ir_r3_k5_s2_e3_c40_se0.25_nre");
  CHECK(ir.type == arch_defs::BlockType::InvertedResidual);
  CHECK(ir.repeat == 3);
  CHECK(ir.kernel == 5);
  CHECK(ir.stride == 2);
  CHECK(ir.expansion == 3.0);
  CHECK(ir.out_channels == 40);
  CHECK(ir.se_ratio == 0.25);
  CHECK(ir.act == arch_defs::Activation::ReLU);
  const arch_defs::BlockSpec ds = arch_defs::parse_block_string("ds_r1_k3_s1_e1_c16");
  CHECK(ds.type == arch_defs::BlockType::DepthwiseSeparable);
  CHECK_FALSE(ds.se_ratio);
  CHECK_FALSE(ds.act);
  CHECK(arch_defs::parse_block_string("dsa_r2_k3_s2_c128").type == arch_defs::BlockType::DepthwiseSeparableAct);
  CHECK(arch_defs::parse_block_string("ir_r1_k3_s1_e6_c32_nsw").act == arch_defs::Activation::SiLU);
  CHECK(arch_defs::parse_block_string("ir_r1_k3_s1_e6_c32_nr6").act == arch_defs::Activation::ReLU6);
  CHECK(arch_defs::parse_block_string("ir_r1_k3_s1_e6_c32_nhs").act == arch_defs::Activation::HardSwish);
  // Options in any order print in the canonical order timm's arch strings use.
  CHECK(arch_defs::to_block_string(arch_defs::parse_block_string("ir_nre_se0.25_c40_e3_s2_k5_r3")) ==
        "ir_r3_k5_s2_e3_c40_se0.25_nre");
}

TEST_CASE("every published block string round-trips exactly", "[block_string]") {
  int count = 0;
  for (const auto& arch : arch_defs::published_architectures())
    for (const auto& stage : arch.stages)
      for (const auto& block : stage) {
        const std::string s = arch_defs::to_block_string(block);
        CHECK(arch_defs::to_block_string(arch_defs::parse_block_string(s)) == s);
        CHECK(arch_defs::parse_block_string(s) == block);
        ++count;
      }
  CHECK(count > 200);
}

TEST_CASE("block strings parse to the fields timm reads", "[block_string]") {
  const arch_defs::BlockSpec u = arch_defs::parse_block_string("uir_r4_a5_k5_s2_e4_c512");
  CHECK(u.type == arch_defs::BlockType::UIB);
  CHECK(u.repeat == 4);
  CHECK(u.start_dw() == 5);
  CHECK(u.kernel == 5);
  CHECK(u.stride == 2);
  CHECK(*u.expansion == 4.0);
  CHECK(u.out_channels == 512);

  const arch_defs::BlockSpec m = arch_defs::parse_block_string("mqa_r1_k3_h4_s1_v2_d64_c160");
  CHECK(m.type == arch_defs::BlockType::MQA);
  CHECK(*m.heads == 4);
  CHECK(*m.head_dim == 64);
  CHECK(m.kv_down() == 2);
  CHECK(arch_defs::parse_block_string("mqa_r1_k3_h4_s1_d64_c256").kv_down() == 1);

  // Options may come in any order (timm splits on '_' and keys by prefix); printing is canonical.
  CHECK(arch_defs::to_block_string(arch_defs::parse_block_string("uir_c80_e4_s2_k5_a3_r1")) == "uir_r1_a3_k5_s2_e4_c80");
  // Fractional expansions print as the shortest exact decimal.
  CHECK(arch_defs::to_block_string(arch_defs::parse_block_string("uir_r1_a0_k3_s1_e2.5_c40")) == "uir_r1_a0_k3_s1_e2.5_c40");
  CHECK(arch_defs::to_block_string(arch_defs::parse_block_string("cn_r1_k1_s1_c960_skip")) == "cn_r1_k1_s1_c960_skip");
  CHECK(arch_defs::parse_block_string("uir_r1_a0_k3_s1_e4_c40_noskip").skip == false);
}

TEST_CASE("malformed block strings give one clear error each", "[block_string][errors]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty block string"},
      {"xx_r1_k3_s1_c8", "unknown block type 'xx'"},
      {"mha_r1_k3_h4_s1_d64_c160", "block type 'mha' is timm's but not supported"},
      {"ir_r1_k3_s1_c32", "missing expansion (e)"},
      {"ds_r1_k4_s1_c16", "depthwise kernel must be odd, got k4"},
      {"ir_r1_k3_s1_e6_c32_se0", "squeeze-excite ratio must be a number in (0, 1], got se0"},
      {"ir_r1_k3_s1_e6_c32_nre_nhs", "two activation overrides"},
      {"ir_r1_k3_s1_e6_c32_nmi", "the mish override 'nmi' is not supported"},
      {"mqa_r1_k3_h4_s1_d64_c160_nre", "an mqa block has no activation to override"},
      {"uir_r1_a4_k3_s1_e4_c96", "start depthwise kernel must be 0 (none) or odd, got a4"},
      {"uir_r1_a3_k4_s1_e4_c96", "middle depthwise kernel must be 0 (none) or odd, got k4"},
      {"uir_r1_a3_k3_s3_e4_c96", "stride must be 1 or 2, got s3"},
      {"uir_r1_a3_k3_s1_c96", "missing expansion (e)"},
      {"uir_r1_a3_k3_s1_e4", "missing output channels (c)"},
      {"uir_a3_k3_s1_e4_c96", "missing repeat count (r)"},
      {"uir_r1_a3_k3_e4_c96", "missing stride (s)"},
      {"uir_r1_a3_s1_e4_c96", "missing kernel (k)"},
      {"uir_r0_a3_k3_s1_e4_c96", "repeat must be in [1, 64], got r0"},
      {"uir_r1_a3_k3_s1_e0_c96", "expansion must be in (0, 16], got e0"},
      {"uir_r1_a3_k3_s1_ex_c96", "option 'ex' has no value"},
      {"uir_r1_a3_k3_s1_e4_c96_c8", "option 'c' given twice"},
      {"uir_r1_a3_k3_s1_e4_c9x6", "output channels 'c9x6' is not an integer"},
      {"uir_r1_a3_k3_s1_e4.5.5_c96", "expansion 'e4.5.5' is not a number"},
      {"uir_r1__k3_s1_e4_c96", "empty option"},
      {"uir_r1_a3_k3_s1_e4_c96_", "empty option"},
      {"uir_r1_a3_k3_s1_e4_c0", "output channels must be in [1, 16384], got c0"},
      {"uir_r1_a0_k0_s2_e4_c96", "a stride-2 uir block needs a depthwise conv"},
      {"uir_r1_a3_k3_s1_e4_c96_se0.25", "squeeze-excite (se) is only supported on ds, dsa and ir blocks"},
      {"uir_r1_a3_k3_s1_e4_c96_q7", "unknown option 'q'"},
      {"cn_r1_k2_s1_c32", "conv kernel must be odd, got k2"},
      {"cn_r1_a3_k3_s1_c32", "start depthwise kernel (a) is only for uir blocks"},
      {"er_r1_k3_s2_c48", "missing expansion (e)"},
      {"mqa_r1_k3_s1_d64_c160", "missing number of heads (h)"},
      {"mqa_r1_k3_h4_s1_c160", "missing key/value dim (d)"},
      {"mqa_r1_k3_h4_s1_v9_d64_c160", "K/V stride must be in [1, 8], got v9"},
      {"uir_r1_a3_k3_s1_e4_c96_h4", "heads (h), key/value dim (d) and K/V stride (v) are only for mqa blocks"},
      {"uir_r1_a3_k3_s1_e4_c96_skip", "'skip' only applies to cn blocks"},
      {"uir_r1_a3_k3 s1_e4_c96", "contains a space"},
      {"uir_r1_a3_k3_s1_e4_c99999999999", "is not an integer"},
      {"uir_r1_a3_k3_s1_e4_c96_nre1", "unknown option 'nre'"},
  };
  for (const auto& [text, expected] : cases) {
    INFO("input: '" << text << "'");
    REQUIRE_THROWS_AS(arch_defs::parse_block_string(text), common::InputError);
    REQUIRE_THROWS_WITH(arch_defs::parse_block_string(text), Catch::Contains(expected) && Catch::StartsWith("block '" + text + "'"));
  }
  CHECK(cases.size() >= 30);
}
