#include "latency/signature.hpp"

#include <stdexcept>
#include <utility>

#include "common/error.hpp"

namespace uibnas::latency {

std::string BlockSignature::key() const {
  std::string k = kind + " in=" + std::to_string(in_c) + " out=" + std::to_string(out_c) + " mid=" + std::to_string(mid_c);
  if (kind == "uir") k += " a=" + std::to_string(start_kernel) + " k=" + std::to_string(kernel) + " p=" + std::to_string(end_kernel);
  else if (kind == "mqa")
    k += " h=" + std::to_string(heads) + " kd=" + std::to_string(key_dim) + " vd=" + std::to_string(value_dim) +
         " v=" + std::to_string(kv_stride) + " k=" + std::to_string(kernel);
  else if (kind == "head") k += " classes=" + std::to_string(classes);
  else k += " k=" + std::to_string(kernel);
  if (head_style != kDefaultHeadStyle) k += " style=" + head_style;
  if (se_c) k += " se=" + std::to_string(se_c) + " se_act=" + se_act + " gate=" + se_gate;
  k += " s=" + std::to_string(stride) + " act=" + act + " ls=" + std::to_string(int(layer_scale)) + " aa=" + aa +
       " res=" + std::to_string(int(residual)) + " hw=" + std::to_string(in_h) + "x" + std::to_string(in_w) +
       " t=" + std::to_string(threads);
  return k;
}

namespace {

BlockSignature part_base(const std::string& kind, const arch_defs::TensorShape& in, arch_defs::Activation act, int threads) {
  BlockSignature s;
  s.kind = kind;
  s.in_c = in.c;
  s.in_h = in.h;
  s.in_w = in.w;
  s.act = arch_defs::activation_name(act);
  s.threads = threads;
  return s;
}

BlockSignature block_signature(const arch_defs::Network& net, const arch_defs::LayerConfig& l,
                               const arch_defs::TensorShape& in, int threads) {
  BlockSignature s = part_base(arch_defs::block_type_token(l.type), in, l.act, threads);
  s.out_c = l.out_channels;
  s.mid_c = l.mid_channels;
  s.kernel = l.kernel;
  s.start_kernel = l.start_kernel;
  s.end_kernel = l.end_kernel;
  s.stride = l.stride;
  s.heads = l.heads;
  s.key_dim = l.key_dim;
  s.value_dim = l.value_dim;
  s.kv_stride = l.kv_stride;
  s.layer_scale = l.layer_scale;
  s.residual = l.residual;
  if (l.se_channels) {
    s.se_c = l.se_channels;
    s.se_act = arch_defs::activation_name(l.se_act);
    s.se_gate = arch_defs::activation_name(l.se_gate);
  }
  // Anti-aliasing changes only blocks with a stride-2 conv that it replaces.
  const bool has_strided_conv = l.stride == 2 && l.type != arch_defs::BlockType::MQA;
  s.aa = has_strided_conv ? arch_defs::anti_alias_name(net.aa) : "none";
  if (l.type == arch_defs::BlockType::MQA && l.kv_stride == 1) s.kernel = 0;  // the K/V conv exists only with v > 1
  return s;
}

}  // namespace

std::vector<SignedPart> network_parts(const arch_defs::Network& net, int resolution, int threads) {
  const arch_defs::OperatorList ops = arch_defs::lower_network(net, resolution);
  std::vector<SignedPart> parts;
  parts.reserve(net.blocks.size() + 2);
  {
    const arch_defs::BlockInfo& b = ops.blocks.front();  // the stem, with the network's activation
    BlockSignature s = part_base("stem", b.in, net.act, threads);
    s.out_c = b.out.c;
    s.kernel = 3;
    s.stride = 2;
    parts.push_back({s, {arch_defs::NetworkPart::Stem, -1, b.in}});
  }
  for (size_t i = 0; i < net.blocks.size(); ++i) {
    const arch_defs::TensorShape& in = ops.blocks[i + 1].in;
    parts.push_back({block_signature(net, net.blocks[i], in, threads), {arch_defs::NetworkPart::Block, int(i), in}});
  }
  {
    // The head's input: the first lowered block after the stages (the pool, or a conv_head before it).
    const arch_defs::TensorShape in = ops.blocks[net.blocks.size() + 1].in;
    BlockSignature s = part_base("head", in, net.act, threads);
    s.mid_c = net.head_hidden;
    s.out_c = net.num_classes;
    s.classes = net.num_classes;
    s.head_style = arch_defs::head_style_name(net.head);
    parts.push_back({s, {arch_defs::NetworkPart::Head, -1, in}});
  }
  return parts;
}

namespace {

// The block string a signature's block would have (widths absolute, so no channel multiplier): the
// description that lowering attaches to the standalone part.
arch_defs::BlockSpec block_spec_of(arch_defs::BlockType type, const BlockSignature& s) {
  arch_defs::BlockSpec b;
  b.type = type;
  b.kernel = s.kernel;
  b.stride = s.stride;
  b.out_channels = s.out_c;
  if (type == arch_defs::BlockType::UIB) {
    b.start_kernel = s.start_kernel;
    b.end_kernel = s.end_kernel;
  }
  if (type == arch_defs::BlockType::MQA) {
    b.heads = s.heads;
    b.head_dim = s.key_dim;
    b.kv_stride = s.kv_stride;
  } else if (s.in_c > 0 && s.mid_c > 0) {
    b.expansion = double(s.mid_c) / double(s.in_c);
  }
  b.skip = s.residual;
  return b;
}

// Unknown names are a corrupt signature, not something to guess at.
arch_defs::Activation activation_of(const BlockSignature& s, const std::string& name, const char* field) {
  if (const auto a = arch_defs::activation_from_name(name)) return *a;
  throw common::InputError("signature '" + s.key() + "': unknown " + field + " '" + name + "'");
}

arch_defs::BlockType block_type_of(const BlockSignature& s) {
  using arch_defs::BlockType;
  for (BlockType t : {BlockType::ConvBnAct, BlockType::FusedIB, BlockType::UIB, BlockType::MQA,
                      BlockType::DepthwiseSeparable, BlockType::DepthwiseSeparableAct, BlockType::InvertedResidual})
    if (s.kind == arch_defs::block_type_token(t)) return t;
  throw common::InputError("signature '" + s.key() + "': unknown part kind '" + s.kind + "'");
}

arch_defs::HeadStyle head_style_of(const BlockSignature& s) {
  using arch_defs::HeadStyle;
  for (HeadStyle h : {HeadStyle::PoolConvNormAct, HeadStyle::PoolConvBiasAct, HeadStyle::ConvNormActPool, HeadStyle::Pool})
    if (s.head_style == arch_defs::head_style_name(h)) return h;
  throw common::InputError("signature '" + s.key() + "': unknown head style '" + s.head_style + "'");
}

arch_defs::LayerConfig standalone_block(const BlockSignature& s, arch_defs::Activation act) {
  arch_defs::LayerConfig l;
  l.name = "blocks.0.0";
  l.type = block_type_of(s);
  l.spec = block_spec_of(l.type, s);
  l.act = act;
  l.in_channels = s.in_c;
  l.out_channels = s.out_c;
  l.mid_channels = s.mid_c;
  l.kernel = s.kind == "mqa" && s.kv_stride == 1 ? 3 : s.kernel;
  l.start_kernel = s.start_kernel;
  l.end_kernel = s.end_kernel;
  l.stride = s.stride;
  l.heads = s.heads;
  l.key_dim = s.key_dim;
  l.value_dim = s.value_dim;
  l.kv_stride = s.kv_stride;
  l.residual = s.residual;
  l.layer_scale = s.layer_scale;
  if (s.se_c) {
    l.se_channels = s.se_c;
    l.se_act = activation_of(s, s.se_act, "SE activation");
    l.se_gate = activation_of(s, s.se_gate, "SE gate");
  }
  return l;
}

}  // namespace

StandalonePart standalone_part(const BlockSignature& s) {
  StandalonePart p;
  arch_defs::Network& net = p.net;
  net.name = s.key();
  net.act = activation_of(s, s.act, "activation");
  net.aa = s.aa == "avg" ? arch_defs::AntiAlias::Avg : s.aa == "blurpc" ? arch_defs::AntiAlias::BlurPC : arch_defs::AntiAlias::None;
  net.layer_scale_init = s.layer_scale ? 1e-5 : 0.0;
  net.in_channels = s.kind == "stem" ? s.in_c : 3;
  net.stem_channels = s.kind == "stem" ? s.out_c : s.in_c;
  net.head = head_style_of(s);
  net.head_hidden = s.kind == "head" ? s.mid_c : 1280;
  net.num_classes = s.kind == "head" ? s.classes : 1000;
  net.num_features = s.kind == "head" ? s.in_c : 0;
  const arch_defs::TensorShape in{s.in_c, s.in_h, s.in_w};
  if (s.kind == "stem") {
    p.ref = {arch_defs::NetworkPart::Stem, -1, in};
  } else if (s.kind == "head") {
    p.ref = {arch_defs::NetworkPart::Head, -1, in};
  } else {
    net.blocks.push_back(standalone_block(s, net.act));
    net.stage_ends = {1};
    net.num_features = s.out_c;
    p.ref = {arch_defs::NetworkPart::Block, 0, in};
  }
  return p;
}

nlohmann::json signature_to_json(const BlockSignature& s) {
  nlohmann::json j = {{"kind", s.kind}, {"in_c", s.in_c}, {"out_c", s.out_c}, {"mid_c", s.mid_c}, {"kernel", s.kernel},
          {"start_kernel", s.start_kernel}, {"end_kernel", s.end_kernel}, {"stride", s.stride}, {"heads", s.heads},
          {"key_dim", s.key_dim}, {"value_dim", s.value_dim}, {"kv_stride", s.kv_stride}, {"classes", s.classes},
          {"act", s.act}, {"layer_scale", s.layer_scale}, {"aa", s.aa}, {"residual", s.residual}, {"in_h", s.in_h},
          {"in_w", s.in_w}, {"threads", s.threads}};
  // Written, like the key, only when present: MobileNet-V4 entries keep the fields they always had.
  if (s.head_style != kDefaultHeadStyle) j["head_style"] = s.head_style;
  if (s.se_c) {
    j["se_c"] = s.se_c;
    j["se_act"] = s.se_act;
    j["se_gate"] = s.se_gate;
  }
  return j;
}

namespace {

// A table is user input: a zero stride or width would divide by zero or allocate nothing when the
// part is rebuilt and estimated, so sizes are checked where a signature is read.
void check_sizes(const BlockSignature& s) {
  auto require = [&](const char* field, int value, int least) {
    if (value < least)
      throw std::invalid_argument("signature '" + s.key() + "': " + field + " is " + std::to_string(value) +
                                  ", must be at least " + std::to_string(least));
  };
  for (auto [field, value] : {std::pair{"in_c", s.in_c}, {"out_c", s.out_c}, {"stride", s.stride}, {"kv_stride", s.kv_stride},
                              {"in_h", s.in_h}, {"in_w", s.in_w}, {"threads", s.threads}})
    require(field, value, 1);
  for (auto [field, value] : {std::pair{"mid_c", s.mid_c}, {"kernel", s.kernel}, {"start_kernel", s.start_kernel},
                              {"end_kernel", s.end_kernel}, {"heads", s.heads}, {"key_dim", s.key_dim},
                              {"value_dim", s.value_dim}, {"classes", s.classes}, {"se_c", s.se_c}})
    require(field, value, 0);
  // Kinds whose main convolution is `kernel` wide; uir's is optional (0: none), mqa and head have none.
  if (s.kind == "stem" || s.kind == "cn" || s.kind == "er" || s.kind == "ds" || s.kind == "dsa" || s.kind == "ir")
    require("kernel", s.kernel, 1);
  if (s.kind == "mqa")
    for (auto [field, value] : {std::pair{"heads", s.heads}, {"key_dim", s.key_dim}, {"value_dim", s.value_dim}})
      require(field, value, 1);
  if (s.kind == "head") require("classes", s.classes, 1);
}

}  // namespace

BlockSignature signature_from_json(const nlohmann::json& j) {
  BlockSignature s;
  s.kind = j.at("kind").get<std::string>();
  s.in_c = j.at("in_c").get<int>();
  s.out_c = j.at("out_c").get<int>();
  s.mid_c = j.at("mid_c").get<int>();
  s.kernel = j.at("kernel").get<int>();
  s.start_kernel = j.at("start_kernel").get<int>();
  s.end_kernel = j.at("end_kernel").get<int>();
  s.stride = j.at("stride").get<int>();
  s.heads = j.at("heads").get<int>();
  s.key_dim = j.at("key_dim").get<int>();
  s.value_dim = j.at("value_dim").get<int>();
  s.kv_stride = j.at("kv_stride").get<int>();
  s.classes = j.at("classes").get<int>();
  s.head_style = j.value("head_style", std::string(kDefaultHeadStyle));
  s.se_c = j.value("se_c", 0);
  if (s.se_c) {
    s.se_act = j.at("se_act").get<std::string>();
    s.se_gate = j.at("se_gate").get<std::string>();
  }
  s.act = j.at("act").get<std::string>();
  s.layer_scale = j.at("layer_scale").get<bool>();
  s.aa = j.at("aa").get<std::string>();
  s.residual = j.at("residual").get<bool>();
  s.in_h = j.at("in_h").get<int>();
  s.in_w = j.at("in_w").get<int>();
  s.threads = j.at("threads").get<int>();
  check_sizes(s);
  return s;
}

}  // namespace uibnas::latency
