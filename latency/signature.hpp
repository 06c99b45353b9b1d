// The latency-table key: everything that changes what a network part costs to run. Two parts with
// equal signatures execute the same operators on the same shapes, so they share one table entry.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arch_defs/operators.hpp"

namespace uibnas::latency {

// The MobileNet-V4 head; the key names a head's style only when it is another.
inline constexpr const char* kDefaultHeadStyle = "pool_conv_bn_act";

struct BlockSignature {
  std::string kind;           // stem, cn, er, uir, mqa, ds, dsa, ir, head
  int in_c = 0, out_c = 0;
  int mid_c = 0;              // er/uir/ir expanded width; mqa: heads * key_dim; head: hidden width
  int kernel = 0, start_kernel = 0, end_kernel = 0, stride = 1;
  int heads = 0, key_dim = 0, value_dim = 0, kv_stride = 1;
  int classes = 0;            // head only
  std::string head_style = kDefaultHeadStyle;  // head only: arch_defs::head_style_name
  int se_c = 0;               // squeeze-excite reduced width; 0 = no SE (and se_act, se_gate empty)
  std::string se_act, se_gate;
  std::string act = "relu";   // stem and head: the network's; blocks: the block's own (its override)
  bool layer_scale = false;
  std::string aa = "none";
  bool residual = false;
  int in_h = 0, in_w = 0;
  int threads = 1;

  // Canonical text, e.g. "uir in=48 out=80 mid=192 a=3 k=5 p=0 s=2 act=relu ls=0 aa=none res=0 hw=64x64 t=1".
  // The SE (" se=24 se_act=relu gate=hard_sigmoid") and the head style (" style=pool") appear only
  // when present, so MobileNet-V4 keys read as they always have.
  std::string key() const;
  bool operator==(const BlockSignature&) const = default;
};

// A part of a network, ready to be lowered and timed alone.
struct NetworkPartRef {
  arch_defs::NetworkPart part = arch_defs::NetworkPart::Block;
  int block_index = -1;  // into Network::blocks for NetworkPart::Block
  arch_defs::TensorShape input;
};

struct SignedPart {
  BlockSignature signature;
  NetworkPartRef ref;
};

// The parts of `net` at `resolution` in execution order: stem, every block, head.
std::vector<SignedPart> network_parts(const arch_defs::Network& net, int resolution, int threads);

// A one-part network rebuilt from the signature alone: what the profiler times, so that a field
// missing from the signature could not silently share an entry.
struct StandalonePart {
  arch_defs::Network net;
  NetworkPartRef ref;
};
StandalonePart standalone_part(const BlockSignature& s);

nlohmann::json signature_to_json(const BlockSignature& s);
// Throws nlohmann::json::exception for a missing or mistyped field and std::invalid_argument, naming
// the key, for a size out of range (a zero stride or width, a negative kernel).
BlockSignature signature_from_json(const nlohmann::json& j);

}  // namespace uibnas::latency
