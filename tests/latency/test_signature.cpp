// Block signatures: equal signatures mean equal work; any parameter change means a new entry; and a
// part rebuilt from its signature alone is the same computation as the block inside its network.
#include <catch2/catch.hpp>

#include <set>

#include "arch_defs/catalogue.hpp"
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
                    " m" + std::to_string(op.cost.macs) + " p" + std::to_string(op.cost.params);
    if (op.kind == arch_defs::OpKind::Act) s += std::string(" ") + arch_defs::activation_name(op.act);
    out.push_back(s);
  }
  return out;
}
}  // namespace

TEST_CASE("a part rebuilt from its signature is the same computation as in its network", "[signature]") {
  for (const auto& arch : arch_defs::published_architectures()) {
    if (arch.family != "mobilenetv4") continue;  // the baselines' parts have no signature (next test)
    const arch_defs::Network net = arch_defs::build_network(arch);
    for (const auto& part : network_parts(net, arch.input_size, 1)) {
      INFO(arch.name << ": " << part.signature.key());
      const arch_defs::OperatorList inside = arch_defs::lower_network_part(net, part.ref.part, part.ref.block_index, part.ref.input);
      const StandalonePart alone = standalone_part(part.signature);
      const arch_defs::OperatorList rebuilt = arch_defs::lower_network_part(alone.net, alone.ref.part, alone.ref.block_index, alone.ref.input);
      CHECK(op_profile(rebuilt) == op_profile(inside));
    }
  }
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

TEST_CASE("a baseline's parts are refused rather than rebuilt as MNv4 blocks", "[signature]") {
  const arch_defs::Network b0 = arch_defs::build_network(arch_defs::resolve_architecture("efficientnet_b0"));
  CHECK_THROWS_WITH(network_parts(b0, 224, 1), Catch::Contains("only the MobileNet-V4 head has a latency part signature"));
}
