// One timm block string (`uir_r1_a3_k5_s2_e4_c80`) as a typed value, with an exact parser and printer.
// Grammar and semantics: ../shared/reference/mnv4-spec.md §1 (cn, er, uir, mqa) and
// baselines-spec.md §1 (ds, dsa, ir; se<ratio>; the nre/nr6/nhs/nsw activation overrides). Every
// other token is rejected with a reason rather than executed unfaithfully.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "arch_defs/activation.hpp"

namespace uibnas::arch_defs {

// cn, er, uir, mqa (MNv4); ds, dsa, ir (MobileNet-V1/V2/V3, EfficientNet).
enum class BlockType { ConvBnAct, FusedIB, UIB, MQA, DepthwiseSeparable, DepthwiseSeparableAct, InvertedResidual };

const char* block_type_token(BlockType t);  // "cn", "er", "uir", "mqa", "ds", "dsa", "ir"

struct BlockSpec {
  BlockType type = BlockType::UIB;
  int repeat = 1;                   // r
  int kernel = 0;                   // k: cn/er conv kernel, uir middle DW (0 = none), mqa K/V down-conv,
                                    //    ds/dsa/ir depthwise kernel
  std::optional<int> start_kernel;  // a: uir start DW kernel (0 or absent = none)
  std::optional<int> end_kernel;    // p: uir end DW kernel (0 or absent = none)
  int stride = 1;                   // s
  std::optional<double> expansion;  // e: ignored by cn, mqa, ds and dsa, required by er, uir and ir
  int out_channels = 0;             // c, before the channel multiplier
  std::optional<int> heads;         // h (mqa)
  std::optional<int> head_dim;      // d (mqa): key and value dim
  std::optional<int> kv_stride;     // v (mqa), default 1
  std::optional<bool> skip;         // `skip` (true) / `noskip` (false)
  std::optional<double> se_ratio;   // se (ds, dsa, ir): squeeze-excite with this reduction ratio
  std::optional<Activation> act;    // nre / nr6 / nhs / nsw: the block's activation instead of the model's

  int start_dw() const { return start_kernel.value_or(0); }
  int end_dw() const { return end_kernel.value_or(0); }
  int kv_down() const { return kv_stride.value_or(1); }

  bool operator==(const BlockSpec&) const = default;
};

// Parses a block string; throws InputError "block 'STR': reason" on any malformed input.
BlockSpec parse_block_string(std::string_view text);

// Prints the canonical string: type, then r, a, k, p, h, s, v, d, e, c, se, the activation token,
// skip/noskip, each only if set. Every MNv4 and baseline string is canonical: print(parse(s)) == s.
std::string to_block_string(const BlockSpec& spec);

// Shortest decimal that reads back as the same double ("4", "0.5", "2.25").
std::string format_number(double v);

// The paper's name of a UIB variant from its DW kernels: ExtraDW, IB, ConvNeXt, FFN.
const char* uib_kind_name(int start_kernel, int mid_kernel);

}  // namespace uibnas::arch_defs
