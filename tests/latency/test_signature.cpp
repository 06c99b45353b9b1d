// Block signatures: equal signatures mean equal work; any parameter change means a new entry; and a
// part rebuilt from its signature alone is the same computation as the block inside its network.
#include <catch2/catch.hpp>

#include <set>

#include "arch_defs/catalogue.hpp"
#include "latency/latency_table.hpp"
#include "latency/signature.hpp"

using namespace uibnas;
using namespace uibnas::latency;

namespace {
// Per-operator fingerprint of a lowered part: kinds, shapes and costs, names stripped.
std::vector<std::string> op_profile(const arch_defs::OperatorList& ops) {
  std::vector<std::string> out;
  for (const auto& op : ops.ops) {
    std::string s = std::string(arch_defs::op_kind_name(op.kind)) + " " + std::to_string(op.out.c) + "x" + std::to_string(op.out.h) +
                    "x" + std::to_string(op.out.w) + " k" + std::to_string(op.kernel) + " s" + std::to_string(op.stride) +
                    " m" + std::to_string(op.cost.macs) + " p" + std::to_string(op.cost.params) + " wb" +
                    std::to_string(op.cost.weight_bytes) + " ab" + std::to_string(op.cost.activation_bytes) +
                    " bias" + std::to_string(int(op.bias));
    for (int i : op.inputs) s += " <" + std::to_string(i);
    if (op.kind == arch_defs::OpKind::Act) s += std::string(" ") + arch_defs::activation_name(op.act);
    out.push_back(s);
  }
  return out;
}
}  // namespace

TEST_CASE("a part rebuilt from its signature is the same computation as in its network", "[signature]") {
  std::set<std::string> families;
  int models = 0;
  for (const auto& arch : arch_defs::published_architectures()) {
    ++models;
    families.insert(arch.family);
    const arch_defs::Network net = arch_defs::build_network(arch);
    const auto parts = network_parts(net, arch.input_size, 1);
    REQUIRE(parts.size() == net.blocks.size() + 2);  // stem, every block, head
    for (const auto& part : parts) {
      INFO(arch.name << ": " << part.signature.key());
      const arch_defs::OperatorList inside = arch_defs::lower_network_part(net, part.ref.part, part.ref.block_index, part.ref.input);
      const StandalonePart alone = standalone_part(part.signature);
      const arch_defs::OperatorList rebuilt = arch_defs::lower_network_part(alone.net, alone.ref.part, alone.ref.block_index, alone.ref.input);
      CHECK(op_profile(rebuilt) == op_profile(inside));
      CHECK(rebuilt.total.macs == inside.total.macs);
      CHECK(rebuilt.total.weight_bytes == inside.total.weight_bytes);
      CHECK(rebuilt.total.activation_bytes == inside.total.activation_bytes);
    }
  }
  CHECK(models == 17);  // the 12 MobileNet-V4 variants and the 5 baselines
  CHECK(families.size() > 1);
}

TEST_CASE("blocks that cost the same share a signature, across models", "[signature]") {
  // conv_medium and hybrid_medium share their stem and first stage block exactly (same act, no layer scale there).
  const auto a = network_parts(arch_defs::build_network(arch_defs::resolve_architecture("conv_medium")), 256, 1);
  const auto b = network_parts(arch_defs::build_network(arch_defs::resolve_architecture("hybrid_medium")), 256, 1);
  CHECK(a[0].signature.key() == b[0].signature.key());  // stem
  CHECK(a[1].signature.key() == b[1].signature.key());  // blocks.0.0 er
  CHECK(a[2].signature.key() != b[2].signature.key());  // blocks.1.0: hybrid has layer scale
  // Repeated identical blocks inside one network share one entry: conv_large's 5x uir_a5_k3 in stage 2.
  std::set<std::string> keys;
  const auto large = network_parts(arch_defs::build_network(arch_defs::resolve_architecture("conv_large")), 384, 1);
  for (const auto& p : large) keys.insert(p.signature.key());
  CHECK(keys.size() < large.size());
  // The same network at the same resolution with other threads: no shared entries.
  for (const auto& p : network_parts(arch_defs::build_network(arch_defs::resolve_architecture("conv_large")), 384, 2))
    CHECK_FALSE(keys.count(p.signature.key()));
}

TEST_CASE("any change of a parameter makes a new signature", "[signature]") {
  const auto parts = network_parts(arch_defs::build_network(arch_defs::resolve_architecture("hybrid_medium")), 256, 1);
  BlockSignature base;
  for (const auto& p : parts)
    if (p.signature.kind == "mqa" && p.signature.kv_stride == 2) base = p.signature;
  REQUIRE(base.kind == "mqa");
  const std::vector<std::function<void(BlockSignature&)>> edits = {
      [](BlockSignature& s) { s.in_c += 8; },        [](BlockSignature& s) { s.out_c += 8; },
      [](BlockSignature& s) { s.mid_c += 8; },       [](BlockSignature& s) { s.kernel = 5; },
      [](BlockSignature& s) { s.stride = 2; },       [](BlockSignature& s) { s.heads = 8; },
      [](BlockSignature& s) { s.key_dim = 48; },     [](BlockSignature& s) { s.value_dim = 48; },
      [](BlockSignature& s) { s.kv_stride = 1; },    [](BlockSignature& s) { s.act = "gelu"; },
      [](BlockSignature& s) { s.layer_scale = false; }, [](BlockSignature& s) { s.aa = "avg"; },
      [](BlockSignature& s) { s.residual = false; }, [](BlockSignature& s) { s.in_h = 15; },
      [](BlockSignature& s) { s.in_w = 15; },        [](BlockSignature& s) { s.threads = 2; },
      [](BlockSignature& s) { s.kind = "uir"; },
  };
  std::set<std::string> keys{base.key()};
  for (const auto& edit : edits) {
    BlockSignature s = base;
    edit(s);
    CHECK(keys.insert(s.key()).second);
  }
  // uir kernels and the head's classes are part of the key too.
  BlockSignature u;
  u.kind = "uir";
  const std::string k0 = u.key();
  u.start_kernel = 3;
  CHECK(u.key() != k0);
  u.end_kernel = 3;
  CHECK(u.key() != k0);
  BlockSignature h;
  h.kind = "head";
  const std::string h0 = h.key();
  h.classes = 10;
  CHECK(h.key() != h0);
}

TEST_CASE("signatures survive JSON", "[signature]") {
  for (const auto& p : network_parts(arch_defs::build_network(arch_defs::resolve_architecture("conv_blur_medium")), 224, 2))
    CHECK(signature_from_json(signature_to_json(p.signature)) == p.signature);
}

TEST_CASE("MobileNet-V4 keys are the ones the shipped table stores", "[signature]") {
  // Each end-to-end run of the shipped table lists its network's part keys as they were profiled.
  const LatencyTable table = load_table(std::string(UIBNAS_SOURCE_DIR) + "/latency/tables/xeon-vm-2vcpu-t1.json");
  int mnv4 = 0;
  for (const EndToEnd& e : table.end_to_end) {
    INFO(e.model << " @ " << e.resolution);
    const arch_defs::Architecture arch = arch_defs::resolve_architecture(e.model);
    std::vector<std::string> keys;
    for (const auto& p : network_parts(arch_defs::build_network(arch), e.resolution, table.threads))
      keys.push_back(p.signature.key());
    CHECK(keys == e.parts);
    for (const std::string& k : keys) CHECK(table.find(k));
    if (arch.family == "mobilenetv4") ++mnv4;
  }
  CHECK(mnv4 == 12);
}

TEST_CASE("a baseline part's key names its SE, its own activation and its head style", "[signature]") {
  // mobilenetv3_large_100 at 224: stem 16 @112 (hard_swish), ds 16->16 @112, blocks.1.x 24 @56; blocks.2.0 is
  // ir_r1_k5_s2_e3_c40_se0.25_nre: mid 24*3 = 72, SE width make_divisible(18) = 24 (16 < 0.9*18), ReLU inside.
  const auto v3 = network_parts(arch_defs::build_network(arch_defs::resolve_architecture("mobilenetv3_large_100")), 224, 1);
  CHECK(v3.front().signature.key() == "stem in=3 out=16 mid=0 k=3 s=2 act=hard_swish ls=0 aa=none res=0 hw=224x224 t=1");
  CHECK(v3[1].signature.key() == "ds in=16 out=16 mid=0 k=3 s=1 act=relu ls=0 aa=none res=1 hw=112x112 t=1");
  CHECK(v3[4].signature.key() ==
        "ir in=24 out=40 mid=72 k=5 se=24 se_act=relu gate=hard_sigmoid s=2 act=relu ls=0 aa=none res=0 hw=56x56 t=1");
  // pool -> conv_head 960 -> 1280 with bias -> hard_swish, on the 7x7 map of the final cn.
  CHECK(v3.back().signature.key() ==
        "head in=960 out=1000 mid=1280 classes=1000 style=pool_conv_bias_act s=1 act=hard_swish ls=0 aa=none res=0 hw=7x7 t=1");
  // efficientnet_b0: SiLU stem; conv_head 320 -> 1280 + BN + SiLU before the pool; ds SE width round(32/4) = 8.
  const auto b0 = network_parts(arch_defs::build_network(arch_defs::resolve_architecture("efficientnet_b0")), 224, 1);
  CHECK(b0.front().signature.act == "silu");
  CHECK(b0[1].signature.key() ==
        "ds in=32 out=16 mid=0 k=3 se=8 se_act=silu gate=sigmoid s=1 act=silu ls=0 aa=none res=0 hw=112x112 t=1");
  CHECK(b0.back().signature.key() ==
        "head in=320 out=1000 mid=1280 classes=1000 style=conv_bn_act_pool s=1 act=silu ls=0 aa=none res=0 hw=7x7 t=1");
  // mobilenetv1_100: dsa blocks, the classifier reads the 1024-wide pooled last stage.
  const auto v1 = network_parts(arch_defs::build_network(arch_defs::resolve_architecture("mobilenetv1_100")), 224, 1);
  CHECK(v1[1].signature.kind == "dsa");
  CHECK(v1.back().signature.key() ==
        "head in=1024 out=1000 mid=1024 classes=1000 style=pool s=1 act=relu6 ls=0 aa=none res=0 hw=7x7 t=1");
}

TEST_CASE("the SE fields and the head style make new signatures", "[signature]") {
  BlockSignature ir;
  ir.kind = "ir";
  ir.in_c = 24;
  ir.out_c = 40;
  ir.mid_c = 72;
  ir.se_c = 24;
  ir.se_act = "relu";
  ir.se_gate = "hard_sigmoid";
  const std::vector<std::function<void(BlockSignature&)>> edits = {
      [](BlockSignature& s) { s.se_c = 0; s.se_act.clear(); s.se_gate.clear(); },
      [](BlockSignature& s) { s.se_c = 16; },
      [](BlockSignature& s) { s.se_act = "silu"; },
      [](BlockSignature& s) { s.se_gate = "sigmoid"; },
      [](BlockSignature& s) { s.act = "hard_swish"; },
      [](BlockSignature& s) { s.kind = "ds"; },
      [](BlockSignature& s) { s.kind = "dsa"; },
  };
  std::set<std::string> keys{ir.key()};
  for (const auto& edit : edits) {
    BlockSignature s = ir;
    edit(s);
    CHECK(keys.insert(s.key()).second);
  }
  BlockSignature h;
  h.kind = "head";
  std::set<std::string> heads;
  for (const char* style : {"pool_conv_bn_act", "pool_conv_bias_act", "conv_bn_act_pool", "pool"}) {
    h.head_style = style;
    CHECK(heads.insert(h.key()).second);
  }
}

TEST_CASE("baseline signatures survive JSON, MobileNet-V4 ones write no new fields", "[signature]") {
  for (const char* model : {"mobilenetv3_small_100", "efficientnet_b0", "mobilenetv1_100"})
    for (const auto& p : network_parts(arch_defs::build_network(arch_defs::resolve_architecture(model)), 224, 1)) {
      INFO(p.signature.key());
      CHECK(signature_from_json(signature_to_json(p.signature)) == p.signature);
    }
  for (const auto& p : network_parts(arch_defs::build_network(arch_defs::resolve_architecture("conv_small")), 224, 1)) {
    const nlohmann::json j = signature_to_json(p.signature);
    CHECK(j.size() == 20);
    CHECK_FALSE(j.contains("se_c"));
    CHECK_FALSE(j.contains("head_style"));
  }
}

TEST_CASE("a signature with an unknown activation or head style is refused when rebuilt", "[signature]") {
  BlockSignature s;
  s.kind = "head";
  s.in_c = 8;
  s.mid_c = 8;
  s.classes = 10;
  s.in_h = s.in_w = 1;
  s.head_style = "pool_twice";
  CHECK_THROWS_WITH(standalone_part(s), Catch::Contains("unknown head style 'pool_twice'"));
  s.head_style = "pool";
  s.act = "swishy";
  CHECK_THROWS_WITH(standalone_part(s), Catch::Contains("unknown activation 'swishy'"));
}
