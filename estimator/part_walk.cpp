#include "estimator/part_walk.hpp"

#include "common/error.hpp"
#include "arch_defs/feature_map.hpp"

namespace uibnas::estimator {
namespace {

const int kDefaultHeadStyleCode = head_style_code(latency::kDefaultHeadStyle);

class Walk {
 public:
  Walk(const arch_defs::Network& net, int resolution, int threads) : net_(net), h_(resolution), w_(resolution), threads_(threads) {
    act_ = activation_code(net.act);
    aa_ = anti_alias_code(arch_defs::anti_alias_name(net.aa));
  }

  void run(std::vector<PackedSignature>& out) {
    out.clear();
    int c = net_.in_channels;
    {
      SignatureFields f = base(kStemPart, c);
      f.out_c = net_.stem_channels;
      f.kernel = 3;
      f.stride = 2;
      out.push_back(pack(f));
      conv(3, 2, false);
      c = net_.stem_channels;
    }
    for (const arch_defs::LayerConfig& l : net_.blocks) {
      out.push_back(pack(block_fields(l, c)));
      advance(l);
      c = l.out_channels;
    }
    SignatureFields f = base(kHeadPart, c);
    f.mid_c = net_.head_hidden;
    f.out_c = net_.num_classes;
    f.classes = net_.num_classes;
    f.head_style = head_style_code(net_.head);
    out.push_back(pack(f));
  }

 private:
  SignatureFields base(int kind, int in_c) const {
    SignatureFields f;
    f.kind = kind;
    f.in_c = in_c;
    f.in_h = h_;
    f.in_w = w_;
    f.act = act_;
    f.aa = 1;
    f.threads = threads_;
    f.head_style = kDefaultHeadStyleCode;
    return f;
  }

  SignatureFields block_fields(const arch_defs::LayerConfig& l, int in_c) const {
    int kind = 0;
    switch (l.type) {
      case arch_defs::BlockType::ConvBnAct: kind = kCnPart; break;
      case arch_defs::BlockType::FusedIB: kind = kErPart; break;
      case arch_defs::BlockType::UIB: kind = kUirPart; break;
      case arch_defs::BlockType::MQA: kind = kMqaPart; break;
      case arch_defs::BlockType::DepthwiseSeparable: kind = kDsPart; break;
      case arch_defs::BlockType::DepthwiseSeparableAct: kind = kDsaPart; break;
      case arch_defs::BlockType::InvertedResidual: kind = kIrPart; break;
    }
    SignatureFields f = base(kind, in_c);
    f.act = activation_code(l.act);  // the block's own: an override differs from the network's
    f.out_c = l.out_channels;
    f.mid_c = l.mid_channels;
    f.kernel = l.type == arch_defs::BlockType::MQA && l.kv_stride == 1 ? 0 : l.kernel;  // the K/V conv exists only with v > 1
    f.start_kernel = l.start_kernel;
    f.end_kernel = l.end_kernel;
    f.stride = l.stride;
    f.heads = l.heads;
    f.key_dim = l.key_dim;
    f.value_dim = l.value_dim;
    f.kv_stride = l.kv_stride;
    f.layer_scale = l.layer_scale;
    f.residual = l.residual;
    if (l.se_channels) {
      f.se_c = l.se_channels;
      f.se_act = activation_code(l.se_act);
      f.se_gate = activation_code(l.se_gate);
    }
    if (l.stride == 2 && l.type != arch_defs::BlockType::MQA) f.aa = aa_;  // anti-aliasing replaces a stride-2 conv
    return f;
  }

  // One conv (+ anti-aliasing pool) on the running map, as the lowering does it.
  void conv(int kernel, int stride, bool allow_aa) {
    const arch_defs::StridedConv c = arch_defs::strided_conv(kernel, stride, net_.aa, allow_aa);
    h_ = arch_defs::strided_conv_output_size(h_, kernel, c);
    w_ = arch_defs::strided_conv_output_size(w_, kernel, c);
    if (h_ <= 0 || w_ <= 0)
      throw common::InputError(net_.name + ": the input is too small, a feature map would vanish");
  }

  void advance(const arch_defs::LayerConfig& l) {
    switch (l.type) {
      case arch_defs::BlockType::ConvBnAct:
      case arch_defs::BlockType::FusedIB: conv(l.kernel, l.stride, true); break;
      case arch_defs::BlockType::UIB: {
        const arch_defs::UibDepthwiseConvs dw = arch_defs::uib_depthwise_convs(l);
        for (const arch_defs::UibDepthwise& d : {dw.start, dw.middle, dw.end})
          if (d.kernel) conv(d.kernel, d.stride, d.allow_aa);
        break;
      }
      case arch_defs::BlockType::MQA: break;  // queries keep the resolution
      case arch_defs::BlockType::DepthwiseSeparable:
      case arch_defs::BlockType::DepthwiseSeparableAct:
      case arch_defs::BlockType::InvertedResidual: conv(l.kernel, l.stride, true); break;  // the depthwise conv
    }
  }

  const arch_defs::Network& net_;
  int h_, w_, threads_;
  int act_ = 1, aa_ = 1;
};

}  // namespace

void packed_network_parts(const arch_defs::Network& net, int resolution, int threads, std::vector<PackedSignature>& out) {
  if (resolution < 1 || resolution > 8192)
    throw common::InputError("resolution must be in [1, 8192], got " + std::to_string(resolution));
  Walk(net, resolution, threads).run(out);
}

}  // namespace uibnas::estimator
