// A block signature as four 64-bit words: compared and hashed without building its text key, which
// is what lets the lookup-table estimator resolve a candidate's parts in nanoseconds.
#pragma once
#include <array>
#include <cstdint>

#include "arch_defs/architecture.hpp"
#include "latency/signature.hpp"

namespace uibnas::estimator {

struct PackedSignature {
  std::array<std::uint64_t, 4> words{};
  bool operator==(const PackedSignature&) const = default;
  std::uint64_t hash() const;
};

// Codes of the text fields (0 is never used, so an all-zero PackedSignature matches nothing).
enum PartKindCode { kStemPart = 1, kCnPart, kErPart, kUirPart, kMqaPart, kHeadPart, kDsPart, kDsaPart, kIrPart };
int part_kind_code(const std::string& kind);       // stem 1, cn 2, er 3, uir 4, mqa 5, head 6, ds 7, dsa 8, ir 9
// relu 1, relu6 2, gelu 3, hard_swish 4, silu 5, sigmoid 6, hard_sigmoid 7
int activation_code(const std::string& act);
int activation_code(arch_defs::Activation act);   // the same codes, without text
int anti_alias_code(const std::string& aa);        // none 1, avg 2, blurpc 3
// pool_conv_bn_act 1, pool_conv_bias_act 2, conv_bn_act_pool 3, pool 4
int head_style_code(const std::string& style);
int head_style_code(arch_defs::HeadStyle style);

// The fields of a signature as integers, in the widths the packing gives them.
struct SignatureFields {
  int kind = 0, act = 0, aa = 0;
  bool layer_scale = false, residual = false;
  int stride = 1, kernel = 0, start_kernel = 0, end_kernel = 0, kv_stride = 1, heads = 0;
  int in_c = 0, out_c = 0, mid_c = 0;
  int key_dim = 0, value_dim = 0, in_h = 0, in_w = 0;
  int classes = 0, threads = 1;
  int head_style = 0;                      // every part carries its signature's (the default off heads)
  int se_c = 0, se_act = 0, se_gate = 0;   // all 0 without a squeeze-excite
};

// Throws InputError naming the field when a value does not fit its width (or a text field is unknown).
PackedSignature pack(const SignatureFields& f);
PackedSignature pack(const latency::BlockSignature& s);

}  // namespace uibnas::estimator
