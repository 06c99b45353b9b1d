#include "arch_defs/operators.hpp"

#include "common/error.hpp"
#include "arch_defs/feature_map.hpp"
#include "arch_defs/limits.hpp"

namespace uibnas::arch_defs {
namespace {

class Lowering {
 public:
  Lowering(const Network& net, const TensorShape& input) : net_(net), input_(input) {
    list_.resolution = input.h;
    list_.input = input;
  }

  OperatorList run() {
    try {
      return run_network();
    } catch (const common::CountOverflow& e) {
      throw common::InputError(std::string(e.what()) + " at block " + list_.blocks.back().name);
    }
  }

  OperatorList run_part(NetworkPart part, int block_index) {
    try {
      return lower_part(part, block_index);
    } catch (const common::CountOverflow& e) {
      throw common::InputError(std::string(e.what()) + " at block " + list_.blocks.back().name);
    }
  }

 private:
  OperatorList run_network() {
    int x = stem(-1);
    size_t stage = 0;
    for (size_t i = 0; i < net_.blocks.size(); ++i) {
      x = lower_block(net_.blocks[i], x);
      if (stage < net_.stage_ends.size() && static_cast<int>(i) + 1 == net_.stage_ends[stage]) {
        list_.stage_outputs.push_back(x);
        ++stage;
      }
    }
    return finish(head(x));
  }

  OperatorList lower_part(NetworkPart part, int block_index) {
    switch (part) {
      case NetworkPart::Stem: return finish(stem(-1));
      case NetworkPart::Block: return finish(lower_block(net_.blocks.at(block_index), -1));
      case NetworkPart::Head: return finish(head(-1));
    }
    return finish(-1);
  }

  const TensorShape& shape(int op) const { return op < 0 ? input_ : list_.ops[op].out; }

  OperatorList finish(int output) {
    list_.output = output;
    for (const auto& b : list_.blocks) {
      try {
        list_.total += b.cost;
      } catch (const common::CountOverflow& e) {
        throw common::InputError(std::string(e.what()) + " at block " + b.name);
      }
    }
    return std::move(list_);
  }

  int stem(int x) {
    act_ = net_.act;
    begin_block("conv_stem", "stem", "conv 3x3 s2", -1, shape(x));
    x = conv_bn_act(x, shape(x), "conv_stem", "bn1", net_.stem_channels, 3, 2, 1, true, false);
    end_block();
    return x;
  }

  // The head in the order of its style (architecture.hpp HeadStyle), then the classifier.
  int head(int x) {
    act_ = net_.act;
    const HeadStyle style = net_.head;
    if (style == HeadStyle::ConvNormActPool) x = conv_head(x);
    begin_block("global_pool", "pool", "global average", -1, shape(x));
    x = add_op(OpKind::GlobalAvgPool, "global_pool", {x}, {shape(x).c, 1, 1});
    end_block();
    if (style == HeadStyle::PoolConvNormAct || style == HeadStyle::PoolConvBiasAct) x = conv_head(x);
    begin_block("classifier", "linear", "linear with bias", -1, shape(x));
    x = add_op(OpKind::Linear, "classifier", {x}, {net_.num_classes, 1, 1});
    end_block();
    return x;
  }

  int conv_head(int x) {
    switch (net_.head) {
      case HeadStyle::PoolConvBiasAct: {
        begin_block("conv_head", "head", "1x1 conv with bias + act", -1, shape(x));
        x = pw(x, "conv_head", net_.head_hidden, true);
        x = add_op(OpKind::Act, "act2", {x}, shape(x));
        list_.ops.back().act = net_.act;
        break;
      }
      case HeadStyle::ConvNormActPool:
        begin_block("conv_head", "head", "1x1 conv + BN + act", -1, shape(x));
        x = conv_bn_act(x, shape(x), "conv_head", "bn2", net_.head_hidden, 1, 1, 1, true, false);
        break;
      default:
        begin_block("conv_head", "head", "1x1 conv + BN + act", -1, shape(x));
        x = conv_bn_act(x, shape(x), "conv_head", "norm_head", net_.head_hidden, 1, 1, 1, true, false);
        break;
    }
    end_block();
    return x;
  }

  void begin_block(const std::string& name, const std::string& kind, const std::string& detail, int stage,
                   const TensorShape& in) {
    BlockInfo b;
    b.name = name; b.kind = kind; b.detail = detail; b.stage = stage; b.in = in;
    b.first_op = static_cast<int>(list_.ops.size());
    list_.blocks.push_back(std::move(b));
  }

  void end_block() {
    BlockInfo& b = list_.blocks.back();
    b.end_op = static_cast<int>(list_.ops.size());
    b.out = list_.ops.back().out;
    for (int i = b.first_op; i < b.end_op; ++i) {
      OpCost c = list_.ops[i].cost;
      if (list_.ops[i].folds_into_producer) c.activation_bytes = 0;
      b.cost += c;
    }
  }

  int add_op(OpKind kind, const std::string& name, std::vector<int> inputs, TensorShape out, int kernel = 1,
             int stride = 1, int pad = 0, bool bias = false) {
    if (out.h <= 0 || out.w <= 0)
      throw common::InputError(list_.blocks.back().name + " (" + name + "): input " + std::to_string(list_.resolution) +
                       " px is too small, the feature map would vanish");
    Operator op;
    op.kind = kind; op.name = name; op.inputs = std::move(inputs); op.out = out;
    op.kernel = kernel; op.stride = stride; op.pad = pad; op.bias = bias;
    op.block = static_cast<int>(list_.blocks.size()) - 1;
    for (int i : op.inputs) op.in.push_back(shape(i));
    const TensorShape& in = op.in.front();
    const std::int64_t k2 = std::int64_t(kernel) * kernel;
    OpCost& c = op.cost;
    using common::checked_product;
    switch (kind) {
      case OpKind::Conv:
      case OpKind::PointwiseConv:
        c.params = checked_product("parameter count", out.c, in.c, k2);
        c.macs = checked_product("MAC count", out.elements(), in.c, k2);
        break;
      case OpKind::DepthwiseConv:
        c.params = std::int64_t(out.c) * k2;
        c.macs = checked_product("MAC count", out.elements(), k2);
        break;
      case OpKind::BatchNorm: c.params = 2 * std::int64_t(out.c); op.folds_into_producer = true; break;
      case OpKind::LayerScale: c.params = out.c; op.folds_into_producer = true; break;
      case OpKind::Act: op.folds_into_producer = true; break;
      case OpKind::Linear:
        c.params = std::int64_t(in.c) * out.c + out.c;
        c.macs = std::int64_t(in.c) * out.c;
        break;
      default: break;  // Add, pools: no params, no MACs; Attention MACs are set by its caller
    }
    if (op.bias) c.params += out.c;
    c.weight_bytes = common::checked_mul(4, c.params, "weight byte count");
    std::int64_t elems = out.elements();
    for (const auto& s : op.in) elems += s.elements();
    c.activation_bytes = common::checked_mul(4, elems, "activation byte count");
    list_.ops.push_back(std::move(op));
    return static_cast<int>(list_.ops.size()) - 1;
  }

  // conv -> BN -> [act] -> [anti-aliasing pool]; with AA the conv runs at stride 1 and the pool downsamples.
  int conv_bn_act(int x, const TensorShape& in, const std::string& conv_name, const std::string& bn_name, int out_c,
                  int kernel, int stride, int groups_dw, bool act, bool allow_aa, const std::string& prefix = "") {
    const bool dw = groups_dw == 0;
    const StridedConv conv = strided_conv(kernel, stride, net_.aa, allow_aa);
    TensorShape out{out_c, conv_output_size(in.h, kernel, conv.stride, conv.pad),
                    conv_output_size(in.w, kernel, conv.stride, conv.pad)};
    const OpKind kind = dw ? OpKind::DepthwiseConv : kernel == 1 ? OpKind::PointwiseConv : OpKind::Conv;
    x = add_op(kind, prefix + conv_name, {x}, out, kernel, conv.stride, conv.pad);
    x = add_op(OpKind::BatchNorm, prefix + bn_name, {x}, out);
    if (act) {
      x = add_op(OpKind::Act, prefix + bn_name + ".act", {x}, out);
      list_.ops.back().act = act_;
    }
    if (conv.pool != AntiAlias::None) x = anti_alias(x, prefix + (conv_name.ends_with(".conv") ? conv_name.substr(0, conv_name.size() - 5) + ".aa" : "aa"));
    return x;
  }

  int anti_alias(int x, const std::string& name) {
    const TensorShape in = shape(x);
    const TensorShape out{in.c, anti_alias_output_size(in.h, net_.aa), anti_alias_output_size(in.w, net_.aa)};
    if (net_.aa == AntiAlias::Avg) return add_op(OpKind::AvgPool, name, {x}, out, 2, 2, 0);
    return add_op(OpKind::BlurPool, name, {x}, out, 3, 2, 1);
  }

  int pw(int x, const std::string& name, int out_c, bool bias = false) {
    const TensorShape in = shape(x);
    return add_op(OpKind::PointwiseConv, name, {x}, {out_c, in.h, in.w}, 1, 1, 0, bias);
  }

  // timm's SqueezeExcite: y * gate(conv_expand(act(conv_reduce(mean(y))))), both 1x1 convs biased.
  int squeeze_excite(const LayerConfig& l, int y, const std::string& prefix) {
    const int c = shape(y).c;
    int s = add_op(OpKind::GlobalAvgPool, prefix + "se.pool", {y}, {c, 1, 1});
    s = pw(s, prefix + "se.conv_reduce", l.se_channels, true);
    s = add_op(OpKind::Act, prefix + "se.act", {s}, shape(s));
    list_.ops.back().act = l.se_act;
    s = pw(s, prefix + "se.conv_expand", c, true);
    s = add_op(OpKind::Act, prefix + "se.gate", {s}, shape(s));
    list_.ops.back().act = l.se_gate;
    return add_op(OpKind::ChannelScale, prefix + "se.scale", {y, s}, shape(y));
  }

  // ds / dsa (DepthwiseSeparableConv) and ir (InvertedResidual), baselines-spec.md §2.1-2.2.
  int lower_baseline_block(const LayerConfig& l, int x) {
    const std::string p = l.name + ".";
    const TensorShape in = shape(x);
    begin_block(l.name, block_type_token(l.type), l.source(), l.stage, in);
    int y = x;
    if (l.type == BlockType::InvertedResidual) {
      y = conv_bn_act(y, in, "conv_pw", "bn1", l.mid_channels, 1, 1, 1, true, false, p);
      y = conv_bn_act(y, shape(y), "conv_dw", "bn2", l.mid_channels, l.kernel, l.stride, 0, true, true, p);
      if (l.se_channels) y = squeeze_excite(l, y, p);
      y = conv_bn_act(y, shape(y), "conv_pwl", "bn3", l.out_channels, 1, 1, 1, false, false, p);
    } else {
      y = conv_bn_act(y, in, "conv_dw", "bn1", l.in_channels, l.kernel, l.stride, 0, true, true, p);
      if (l.se_channels) y = squeeze_excite(l, y, p);
      y = conv_bn_act(y, shape(y), "conv_pw", "bn2", l.out_channels, 1, 1, 1,
                      l.type == BlockType::DepthwiseSeparableAct, false, p);
    }
    if (l.residual) y = add_op(OpKind::Add, p + "add", {x, y}, shape(y));
    end_block();
    return y;
  }

  int layer_scale_and_residual(const LayerConfig& l, int branch, int shortcut, const std::string& prefix) {
    if (l.layer_scale) branch = add_op(OpKind::LayerScale, prefix + "layer_scale", {branch}, shape(branch));
    if (l.residual) branch = add_op(OpKind::Add, prefix + "add", {shortcut, branch}, shape(branch));
    return branch;
  }

  int lower_block(const LayerConfig& l, int x) {
    act_ = l.act;
    const std::string p = l.name + ".";
    const TensorShape in = shape(x);
    const int shortcut = x;
    switch (l.type) {
      case BlockType::ConvBnAct: {
        begin_block(l.name, "cn", l.source(), l.stage, in);
        int y = conv_bn_act(x, in, "conv", "bn1", l.out_channels, l.kernel, l.stride, 1, true, true, p);
        if (l.residual) y = add_op(OpKind::Add, p + "add", {shortcut, y}, shape(y));
        end_block();
        return y;
      }
      case BlockType::FusedIB: {
        begin_block(l.name, "er", l.source(), l.stage, in);
        int y = conv_bn_act(x, in, "conv_exp", "bn1", l.mid_channels, l.kernel, l.stride, 1, true, true, p);
        y = conv_bn_act(y, shape(y), "conv_pwl", "bn2", l.out_channels, 1, 1, 1, false, false, p);
        if (l.residual) y = add_op(OpKind::Add, p + "add", {shortcut, y}, shape(y));
        end_block();
        return y;
      }
      case BlockType::UIB: {
        begin_block(l.name, "uir", std::string(uib_kind_name(l.start_kernel, l.kernel)) + " " + l.source(), l.stage, in);
        int y = x;
        const UibDepthwiseConvs dw = uib_depthwise_convs(l);
        if (dw.start.kernel)
          y = conv_bn_act(y, shape(y), "dw_start.conv", "dw_start.bn", l.in_channels, dw.start.kernel, dw.start.stride, 0,
                          false, dw.start.allow_aa, p);
        y = conv_bn_act(y, shape(y), "pw_exp.conv", "pw_exp.bn", l.mid_channels, 1, 1, 1, true, false, p);
        if (dw.middle.kernel)
          y = conv_bn_act(y, shape(y), "dw_mid.conv", "dw_mid.bn", l.mid_channels, dw.middle.kernel, dw.middle.stride, 0,
                          true, dw.middle.allow_aa, p);
        y = conv_bn_act(y, shape(y), "pw_proj.conv", "pw_proj.bn", l.out_channels, 1, 1, 1, false, false, p);
        if (dw.end.kernel)
          y = conv_bn_act(y, shape(y), "dw_end.conv", "dw_end.bn", l.out_channels, dw.end.kernel, dw.end.stride, 0, false,
                          dw.end.allow_aa, p);
        y = layer_scale_and_residual(l, y, shortcut, p);
        end_block();
        return y;
      }
      case BlockType::MQA: {
        begin_block(l.name, "mqa", l.source(), l.stage, in);
        int n = add_op(OpKind::BatchNorm, p + "norm", {x}, in);
        list_.ops[n].folds_into_producer = false;  // a pre-norm feeding three branches stays its own pass
        const int q = pw(n, p + "attn.query.proj", l.heads * l.key_dim);
        auto kv = [&](const std::string& which, int dim) {
          int y = n;
          if (l.kv_stride > 1)
            y = conv_bn_act(y, in, "attn." + which + ".down_conv", "attn." + which + ".norm", in.c, l.kernel,
                            l.kv_stride, 0, false, false, p);
          return pw(y, p + "attn." + which + ".proj", dim);
        };
        const int k = kv("key", l.key_dim);
        const int v = kv("value", l.value_dim);
        const TensorShape qs = shape(q);
        int a = add_op(OpKind::Attention, p + "attn", {q, k, v}, {l.heads * l.value_dim, qs.h, qs.w});
        Operator& att = list_.ops[a];
        att.heads = l.heads; att.key_dim = l.key_dim; att.value_dim = l.value_dim;
        const std::int64_t queries = std::int64_t(qs.h) * qs.w, keys = std::int64_t(shape(k).h) * shape(k).w;
        att.cost.macs = common::checked_product("MAC count", l.heads, queries, keys, l.key_dim + l.value_dim);
        int y = pw(a, p + "attn.output.proj", l.out_channels);
        y = layer_scale_and_residual(l, y, shortcut, p);
        end_block();
        return y;
      }
      case BlockType::DepthwiseSeparable:
      case BlockType::DepthwiseSeparableAct:
      case BlockType::InvertedResidual: return lower_baseline_block(l, x);
    }
    return x;
  }

  const Network& net_;
  TensorShape input_;
  Activation act_ = Activation::ReLU;  // what conv_bn_act applies: the current block's, or the network's
  OperatorList list_;
};

}  // namespace

const char* op_kind_name(OpKind k) {
  switch (k) {
    case OpKind::Conv: return "conv";
    case OpKind::PointwiseConv: return "pointwise_conv";
    case OpKind::DepthwiseConv: return "depthwise_conv";
    case OpKind::BatchNorm: return "batch_norm";
    case OpKind::Act: return "activation";
    case OpKind::LayerScale: return "layer_scale";
    case OpKind::Add: return "add";
    case OpKind::AvgPool: return "avg_pool";
    case OpKind::BlurPool: return "blur_pool";
    case OpKind::GlobalAvgPool: return "global_avg_pool";
    case OpKind::Linear: return "linear";
    case OpKind::Attention: return "attention";
    case OpKind::ChannelScale: return "channel_scale";
  }
  return "?";
}

OperatorList lower_network(const Network& net, int resolution) {
  if (resolution < 1 || resolution > limits::kMaxLoweringResolution)
    throw common::InputError("resolution must be in [1, " + std::to_string(limits::kMaxLoweringResolution) + "], got " +
                             std::to_string(resolution));
  return Lowering(net, {net.in_channels, resolution, resolution}).run();
}

OperatorList lower_network_part(const Network& net, NetworkPart part, int block_index, const TensorShape& input) {
  if (input.c < 1 || input.h < 1 || input.w < 1) throw common::InputError("part input shape must be positive");
  return Lowering(net, input).run_part(part, block_index);
}

namespace {

// Follows Lowering op by op, keeping only the running feature-map size and the two totals.
class ParamsMacsWalk {
 public:
  ParamsMacsWalk(const Network& net, int resolution) : net_(net), h_(resolution), w_(resolution) {}

  ParamsMacs run() {
    const char* where = "conv_stem";
    try {
      conv_bn(net_.in_channels, net_.stem_channels, 3, 2, false, false);
      for (const LayerConfig& l : net_.blocks) {
        where = l.name.c_str();
        block(l);
      }
      where = "head";
      head();
    } catch (const common::CountOverflow& e) {
      throw common::InputError(std::string(e.what()) + " at block " + where);
    }
    return total_;
  }

 private:
  void add_params(std::int64_t n) { total_.params = common::checked_add(total_.params, n, "parameter count"); }
  void add_macs(std::int64_t n) { total_.macs = common::checked_add(total_.macs, n, "MAC count"); }
  template <class... Factors>
  static std::int64_t params_of(Factors... f) { return common::checked_product("parameter count", f...); }
  template <class... Factors>
  static std::int64_t macs_of(Factors... f) { return common::checked_product("MAC count", f...); }

  void head() {
    switch (net_.head) {
      case HeadStyle::PoolConvNormAct: h_ = w_ = 1; conv_bn(net_.num_features, net_.head_hidden, 1, 1, false, false); break;
      case HeadStyle::PoolConvBiasAct:
        h_ = w_ = 1;
        pointwise(net_.num_features, net_.head_hidden, 1, 1);
        add_params(net_.head_hidden);  // bias
        break;
      case HeadStyle::ConvNormActPool: conv_bn(net_.num_features, net_.head_hidden, 1, 1, false, false); break;
      case HeadStyle::Pool: break;
    }
    add_params(params_of(net_.head_hidden, net_.num_classes) + net_.num_classes);
    add_macs(macs_of(net_.head_hidden, net_.num_classes));
  }

  // conv + BN on the current map; with anti-aliasing the conv runs at stride 1 and a pool downsamples.
  void conv_bn(int in_c, int out_c, int kernel, int stride, bool depthwise, bool allow_aa) {
    const StridedConv conv = strided_conv(kernel, stride, net_.aa, allow_aa);
    h_ = conv_output_size(h_, kernel, conv.stride, conv.pad);
    w_ = conv_output_size(w_, kernel, conv.stride, conv.pad);
    const std::int64_t per_output = std::int64_t(depthwise ? 1 : in_c) * kernel * kernel;
    add_params(params_of(out_c, per_output) + 2 * std::int64_t(out_c));
    add_macs(macs_of(out_c, h_, w_, per_output));
    h_ = anti_alias_output_size(h_, conv.pool);
    w_ = anti_alias_output_size(w_, conv.pool);
    if (h_ <= 0 || w_ <= 0) throw common::InputError("input too small, a feature map would vanish");
  }

  void pointwise(int in_c, int out_c, int h, int w) {
    add_params(params_of(in_c, out_c));
    add_macs(macs_of(in_c, out_c, h, w));
  }

  // Two biased 1x1 convs on the pooled [c,1,1] vector.
  void squeeze_excite(const LayerConfig& l, int c) {
    if (!l.se_channels) return;
    pointwise(c, l.se_channels, 1, 1);
    pointwise(l.se_channels, c, 1, 1);
    add_params(l.se_channels + c);
  }

  void block(const LayerConfig& l) {
    switch (l.type) {
      case BlockType::ConvBnAct:
        conv_bn(l.in_channels, l.out_channels, l.kernel, l.stride, false, true);
        break;
      case BlockType::FusedIB:
        conv_bn(l.in_channels, l.mid_channels, l.kernel, l.stride, false, true);
        conv_bn(l.mid_channels, l.out_channels, 1, 1, false, false);
        break;
      case BlockType::UIB: {
        const UibDepthwiseConvs dw = uib_depthwise_convs(l);
        if (dw.start.kernel)
          conv_bn(l.in_channels, l.in_channels, dw.start.kernel, dw.start.stride, true, dw.start.allow_aa);
        conv_bn(l.in_channels, l.mid_channels, 1, 1, false, false);
        if (dw.middle.kernel)
          conv_bn(l.mid_channels, l.mid_channels, dw.middle.kernel, dw.middle.stride, true, dw.middle.allow_aa);
        conv_bn(l.mid_channels, l.out_channels, 1, 1, false, false);
        if (dw.end.kernel) conv_bn(l.out_channels, l.out_channels, dw.end.kernel, dw.end.stride, true, dw.end.allow_aa);
        break;
      }
      case BlockType::MQA: {
        const int c = l.in_channels, h = h_, w = w_;
        add_params(2 * std::int64_t(c));  // pre-norm
        pointwise(c, l.heads * l.key_dim, h, w);
        int kv_h = h, kv_w = w;
        if (l.kv_stride > 1) {
          kv_h = timm_conv_output_size(h, l.kernel, l.kv_stride);
          kv_w = timm_conv_output_size(w, l.kernel, l.kv_stride);
          // key and value each: a depthwise down-conv + BN
          add_params(2 * (std::int64_t(c) * l.kernel * l.kernel + 2 * std::int64_t(c)));
          add_macs(macs_of(2, c, kv_h, kv_w, l.kernel, l.kernel));
        }
        pointwise(c, l.key_dim, kv_h, kv_w);
        pointwise(c, l.value_dim, kv_h, kv_w);
        add_macs(macs_of(l.heads, h, w, kv_h, kv_w, l.key_dim + l.value_dim));
        pointwise(l.heads * l.value_dim, l.out_channels, h, w);
        break;
      }
      case BlockType::DepthwiseSeparable:
      case BlockType::DepthwiseSeparableAct:
        conv_bn(l.in_channels, l.in_channels, l.kernel, l.stride, true, true);
        squeeze_excite(l, l.in_channels);
        conv_bn(l.in_channels, l.out_channels, 1, 1, false, false);
        break;
      case BlockType::InvertedResidual:
        conv_bn(l.in_channels, l.mid_channels, 1, 1, false, false);
        conv_bn(l.mid_channels, l.mid_channels, l.kernel, l.stride, true, true);
        squeeze_excite(l, l.mid_channels);
        conv_bn(l.mid_channels, l.out_channels, 1, 1, false, false);
        break;
    }
    if (l.layer_scale) add_params(l.out_channels);
  }

  const Network& net_;
  int h_, w_;
  ParamsMacs total_;
};

}  // namespace

ParamsMacs network_params_macs(const Network& net, int resolution) {
  if (resolution < 1 || resolution > limits::kMaxLoweringResolution)
    throw common::InputError("resolution must be in [1, " + std::to_string(limits::kMaxLoweringResolution) + "], got " +
                             std::to_string(resolution));
  return ParamsMacsWalk(net, resolution).run();
}

}  // namespace uibnas::arch_defs
