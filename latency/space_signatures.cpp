#include "latency/space_signatures.hpp"

#include <algorithm>
#include <set>

#include "arch_defs/feature_map.hpp"
#include "common/error.hpp"

namespace uibnas::latency {
namespace {

class Collector {
 public:
  Collector(const searchspace::SpaceSpec& spec, int threads, std::size_t max_signatures)
      : spec_(spec), threads_(threads), max_signatures_(max_signatures) {}

  // Stops at the limit rather than after enumerating: a valid space can yield billions.
  void add(BlockSignature s) {
    s.act = arch_defs::activation_name(spec_.act);
    s.threads = threads_;
    if (!seen_.insert(s.key()).second) return;
    if (out_.size() == max_signatures_)
      throw common::InputError("the space yields more than " + std::to_string(max_signatures_) + " part signatures");
    out_.push_back(s);
  }

  // The distinct expanded widths of `in` channels, in the order of the expansions: expansions that
  // round to the same width would otherwise repeat every signature, without a bound on the work.
  static std::vector<int> expanded_widths(const std::vector<double>& expansions, int in) {
    std::vector<int> mids;
    for (double e : expansions) {
      const int mid = arch_defs::make_divisible(in * e);
      if (std::find(mids.begin(), mids.end(), mid) == mids.end()) mids.push_back(mid);
    }
    return mids;
  }

  // One cn/er/uir entry with every kernel and expansion choice, from `in` to `out` channels.
  void block(const searchspace::BlockOptions& b, int in, int out, int stride, int h, int w) {
    BlockSignature s;
    s.kind = arch_defs::block_type_token(b.type);
    s.in_c = in;
    s.out_c = out;
    s.stride = stride;
    s.in_h = h;
    s.in_w = w;
    switch (b.type) {
      case arch_defs::BlockType::ConvBnAct:
        for (int k : b.kernels) {
          s.kernel = k;
          add(s);
        }
        break;
      case arch_defs::BlockType::FusedIB:
        s.residual = in == out && stride == 1;
        for (int k : b.kernels)
          for (int mid : expanded_widths(b.expansions, in)) {
            s.kernel = k;
            s.mid_c = mid;
            add(s);
          }
        break;
      case arch_defs::BlockType::UIB:
        s.residual = in == out && stride == 1;
        s.layer_scale = spec_.layer_scale.has_value();
        for (int a : b.start_dw)
          for (int k : b.middle_dw)
            for (int mid : expanded_widths(b.expansions, in)) {
              s.start_kernel = a;
              s.kernel = k;
              s.mid_c = mid;
              add(s);
            }
        break;
      case arch_defs::BlockType::MQA: break;  // attention comes from the stage's mqa entry
      default: break;                          // search spaces hold only the MNv4 block kinds
    }
  }

  void attention(const searchspace::AttentionOptions& at, int in, int out, int h, int w) {
    BlockSignature s;
    s.kind = "mqa";
    s.in_c = in;
    s.out_c = out;
    s.in_h = h;
    s.in_w = w;
    s.residual = in == out;
    s.layer_scale = spec_.layer_scale.has_value();
    for (int heads : at.heads)
      for (int kd : at.key_dims)
        for (int v : at.kv_strides) {
          s.heads = heads;
          s.key_dim = s.value_dim = kd;
          s.mid_c = heads * kd;
          s.kv_stride = v;
          s.kernel = v > 1 ? at.kv_kernel : 0;
          add(s);
        }
  }

  std::vector<BlockSignature> take() { return std::move(out_); }

 private:
  const searchspace::SpaceSpec& spec_;
  int threads_;
  std::size_t max_signatures_;
  std::set<std::string> seen_;
  std::vector<BlockSignature> out_;
};

}  // namespace

std::vector<BlockSignature> space_signatures(const searchspace::SearchSpace& space, int threads,
                                             std::size_t max_signatures) {
  const searchspace::SpaceSpec& spec = space.spec();
  Collector c(spec, threads, max_signatures);
  for (int res : spec.resolutions) {
    std::set<int> widths_in;  // what the previous part may output
    for (int w : spec.stem_widths) {
      BlockSignature s;
      s.kind = "stem";
      s.in_c = 3;
      s.out_c = w;
      s.kernel = spec.stem_kernel;
      s.stride = 2;
      s.in_h = s.in_w = res;
      c.add(s);
      widths_in.insert(w);
    }
    int h = arch_defs::timm_conv_output_size(res, spec.stem_kernel, 2);
    for (const searchspace::StageSpec& st : spec.stages) {
      const int out_h = arch_defs::timm_conv_output_size(h, 3, st.stride);  // every stride-2 DW/conv kernel is odd: ceil(h / 2)
      const std::set<int> stage_widths(st.widths.begin(), st.widths.end());
      std::set<int> first_out;
      for (const auto& b : st.blocks) {
        if (!b.applies_to(0)) continue;
        const std::vector<int>& outs = b.widths.empty() ? st.widths : b.widths;
        for (int in : widths_in)
          for (int out : outs) {
            c.block(b, in, out, st.stride, h, h);
            first_out.insert(out);
          }
      }
      // Slot 1 reads slot 0's output; later slots (and the blocks after an MQA) read the stage width.
      std::set<int> rest_in = first_out;
      rest_in.insert(stage_widths.begin(), stage_widths.end());
      if (st.max_depth > 1)
        for (const auto& b : st.blocks) {
          if (!b.applies_to(1)) continue;
          for (int out : stage_widths)
            for (int in : rest_in)
              if (in == out || first_out.count(in)) c.block(b, in, out, 1, out_h, out_h);
        }
      if (st.attention)
        for (int out : stage_widths)
          for (int in : rest_in)
            if (in == out || first_out.count(in)) c.attention(*st.attention, in, out, out_h, out_h);
      std::set<int> stage_out = stage_widths;
      if (st.min_depth == 1) stage_out.insert(first_out.begin(), first_out.end());
      widths_in = stage_out;
      h = out_h;
    }
    for (int in : widths_in) {
      BlockSignature s;
      s.kind = "cn";
      s.in_c = in;
      s.out_c = spec.head_features;
      s.kernel = 1;
      s.in_h = s.in_w = h;
      c.add(s);
    }
    BlockSignature head;
    head.kind = "head";
    head.in_c = spec.head_features;
    head.mid_c = spec.head_hidden;
    head.out_c = head.classes = spec.num_classes;
    head.in_h = head.in_w = h;
    c.add(head);
  }
  return c.take();
}

}  // namespace uibnas::latency
