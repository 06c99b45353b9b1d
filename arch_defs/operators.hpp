// A network lowered to operators at one input resolution: the op list in topological order, with
// shapes from general conv arithmetic and per-op costs (params, MACs, bytes). The runtime builds its
// graph and execution plan from this; the estimators and `uibnas show` read the costs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "arch_defs/network.hpp"
#include "common/checked_math.hpp"

namespace uibnas::arch_defs {

enum class OpKind {
  Conv,           // dense k x k (groups = 1), k > 1
  PointwiseConv,  // 1 x 1, groups = 1
  DepthwiseConv,  // k x k, groups = channels
  BatchNorm,      // inference affine per channel
  Act,            // activation (Operator::act)
  LayerScale,     // per-channel gamma
  Add,            // residual
  AvgPool,        // anti-aliasing 'avg': 2x2 stride 2, floor
  BlurPool,       // anti-aliasing 'blurpc': fixed 3x3 binomial depthwise, stride 2, zero pad 1
  GlobalAvgPool,
  Linear,         // classifier, with bias
  Attention,      // multi-query softmax(q k^T / sqrt(kd)) v; inputs q, k, v
  ChannelScale,   // x * s per channel; inputs x [C,H,W] and s [C,1,1] (the squeeze-excite multiply)
};

const char* op_kind_name(OpKind k);

struct TensorShape {
  int c = 0, h = 0, w = 0;
  std::int64_t elements() const { return std::int64_t(c) * h * w; }
  bool operator==(const TensorShape&) const = default;
};

struct OpCost {
  std::int64_t params = 0;
  std::int64_t macs = 0;
  std::int64_t weight_bytes = 0;      // FP32 bytes of the op's parameters
  std::int64_t activation_bytes = 0;  // FP32 bytes of all inputs read + the output written
  // Throws common::CountOverflow when a sum does not fit in 64 bits.
  OpCost& operator+=(const OpCost& o) {
    params = common::checked_add(params, o.params, "parameter count");
    macs = common::checked_add(macs, o.macs, "MAC count");
    weight_bytes = common::checked_add(weight_bytes, o.weight_bytes, "weight byte count");
    activation_bytes = common::checked_add(activation_bytes, o.activation_bytes, "activation byte count");
    return *this;
  }
};

struct Operator {
  OpKind kind = OpKind::Conv;
  std::string name;            // state_dict prefix: "blocks.1.0.dw_mid.conv" reads "<name>.weight"
  int block = 0;               // index into OperatorList::blocks
  std::vector<int> inputs;     // producer op indices; -1 is the network input
  std::vector<TensorShape> in;
  TensorShape out;
  int kernel = 1, stride = 1, pad = 0;
  Activation act = Activation::ReLU;      // OpKind::Act
  bool bias = false;                      // Conv/PointwiseConv with a bias ("<name>.bias"); Linear always has one
  int heads = 0, key_dim = 0, value_dim = 0;  // OpKind::Attention
  // BN, activation and layer scale fold into the op that produces their input when the network runs,
  // so they move no activation bytes of their own in the block totals.
  bool folds_into_producer = false;
  OpCost cost;
};

struct BlockInfo {
  std::string name;   // conv_stem, blocks.S.I, global_pool, conv_head, classifier
  std::string kind;   // stem, cn, er, uir, mqa, ds, dsa, ir, pool, head, linear
  std::string detail; // uir variant (ExtraDW/IB/ConvNeXt/FFN), the block string, ...
  int stage = -1;     // -1 outside the block stages
  TensorShape in, out;
  int first_op = 0, end_op = 0;
  OpCost cost;        // activation bytes exclude ops that fold into their producer
};

struct OperatorList {
  int resolution = 0;
  TensorShape input;               // the shape of operator -1
  std::vector<Operator> ops;
  std::vector<BlockInfo> blocks;
  OpCost total;
  std::vector<int> stage_outputs;  // op index of each block stage's output (stage0..stageN)
  int output = -1;                 // op index of the logits
};

// Lowers at an input of resolution x resolution; throws InputError when a feature map would vanish or
// a cost does not fit in 64 bits ("MAC count overflows int64 at block blocks.3.1").
OperatorList lower_network(const Network& net, int resolution);

// lower_network(net, resolution).total's params and MACs by the same arithmetic, without building the
// operator list (no names, no per-op records): the fast path for scoring many search candidates.
// (Every block type and head style; a squeeze-excite counts its two biased 1x1 convs.)
struct ParamsMacs {
  std::int64_t params = 0, macs = 0;
};
ParamsMacs network_params_macs(const Network& net, int resolution);

// One part of a network lowered on its own (the profiler times parts): its input is operator -1 of
// shape `input`, its output is OperatorList::output. Head = conv_head, global pool and classifier, in
// the order of the network's head style.
enum class NetworkPart { Stem, Block, Head };
OperatorList lower_network_part(const Network& net, NetworkPart part, int block_index, const TensorShape& input);

}  // namespace uibnas::arch_defs
