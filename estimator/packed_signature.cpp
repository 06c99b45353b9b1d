#include "estimator/packed_signature.hpp"

#include "common/error.hpp"

namespace uibnas::estimator {
namespace {

// A field's value, width and name, for the error message of a value that does not fit.
struct Field {
  long long value;
  int bits;
  const char* name;
};

template <size_t N>
void throw_if_too_wide(const Field (&fields)[N]) {
  for (const Field& f : fields)
    if (f.value < 0 || f.value >= (1LL << f.bits))
      throw common::InputError(std::string("block signature field '") + f.name + "' = " + std::to_string(f.value) +
                       " does not fit the packed key (" + std::to_string(f.bits) + " bits)");
}

int code_of(const std::string& value, std::initializer_list<const char*> names, const char* field) {
  int code = 1;
  for (const char* n : names) {
    if (value == n) return code;
    ++code;
  }
  throw common::InputError(std::string("block signature: unknown ") + field + " '" + value + "'");
}

}  // namespace

int part_kind_code(const std::string& kind) {
  return code_of(kind, {"stem", "cn", "er", "uir", "mqa", "head", "ds", "dsa", "ir"}, "kind");
}

int activation_code(const std::string& act) {
  return code_of(act, {"relu", "relu6", "gelu", "hard_swish", "silu", "sigmoid", "hard_sigmoid"}, "act");
}

int activation_code(arch_defs::Activation act) {
  switch (act) {
    case arch_defs::Activation::ReLU: return 1;
    case arch_defs::Activation::ReLU6: return 2;
    case arch_defs::Activation::GELU: return 3;
    case arch_defs::Activation::HardSwish: return 4;
    case arch_defs::Activation::SiLU: return 5;
    case arch_defs::Activation::Sigmoid: return 6;
    case arch_defs::Activation::HardSigmoid: return 7;
  }
  return 0;
}

int anti_alias_code(const std::string& aa) { return code_of(aa, {"none", "avg", "blurpc"}, "aa"); }

int head_style_code(const std::string& style) {
  return code_of(style, {"pool_conv_bn_act", "pool_conv_bias_act", "conv_bn_act_pool", "pool"}, "head style");
}

int head_style_code(arch_defs::HeadStyle style) {
  switch (style) {
    case arch_defs::HeadStyle::PoolConvNormAct: return 1;
    case arch_defs::HeadStyle::PoolConvBiasAct: return 2;
    case arch_defs::HeadStyle::ConvNormActPool: return 3;
    case arch_defs::HeadStyle::Pool: return 4;
  }
  return 0;
}

PackedSignature pack(const SignatureFields& f) {
  // Branch-free fast path: a negative value becomes a huge unsigned one, so one OR of the bits beyond
  // each field's width tells whether everything fits.
  const auto u = [](long long v) { return std::uint64_t(v); };
  const std::uint64_t too_wide =
      (u(f.kind) >> 4) | (u(f.act) >> 4) | (u(f.aa) >> 4) | (u(f.stride) >> 6) | (u(f.kernel) >> 8) |
      (u(f.start_kernel) >> 8) | (u(f.end_kernel) >> 8) | (u(f.kv_stride) >> 6) | (u(f.heads) >> 14) |
      (u(f.in_c) >> 21) | (u(f.out_c) >> 21) | (u(f.mid_c) >> 22) | (u(f.key_dim) >> 16) | (u(f.value_dim) >> 16) |
      (u(f.in_h) >> 16) | (u(f.in_w) >> 16) | (u(f.classes) >> 20) | (u(f.threads) >> 16) | (u(f.se_c) >> 16) |
      (u(f.se_act) >> 4) | (u(f.se_gate) >> 4) | (u(f.head_style) >> 4);
  if (too_wide) {  // the slow path only finds which field it was
    const Field fields[] = {{f.kind, 4, "kind"},          {f.act, 4, "act"},
                            {f.aa, 4, "aa"},              {f.stride, 6, "stride"},
                            {f.kernel, 8, "kernel"},      {f.start_kernel, 8, "start_kernel"},
                            {f.end_kernel, 8, "end_kernel"}, {f.kv_stride, 6, "kv_stride"},
                            {f.heads, 14, "heads"},       {f.in_c, 21, "in_c"},
                            {f.out_c, 21, "out_c"},       {f.mid_c, 22, "mid_c"},
                            {f.key_dim, 16, "key_dim"},   {f.value_dim, 16, "value_dim"},
                            {f.in_h, 16, "in_h"},         {f.in_w, 16, "in_w"},
                            {f.classes, 20, "classes"},   {f.threads, 16, "threads"},
                            {f.se_c, 16, "se_c"},         {f.se_act, 4, "se_act"},
                            {f.se_gate, 4, "se_gate"},    {f.head_style, 4, "head_style"}};
    throw_if_too_wide(fields);
  }
  PackedSignature p;
  // word 0: kind 4 | act 4 | aa 4 | layer_scale 1 | residual 1 | stride 6 | kernel 8 | start 8 | end 8 | kv_stride 6 | heads 14
  p.words[0] = u(f.kind) | u(f.act) << 4 | u(f.aa) << 8 | u(f.layer_scale) << 12 | u(f.residual) << 13 |
               u(f.stride) << 14 | u(f.kernel) << 20 | u(f.start_kernel) << 28 | u(f.end_kernel) << 36 |
               u(f.kv_stride) << 44 | u(f.heads) << 50;
  p.words[1] = u(f.in_c) | u(f.out_c) << 21 | u(f.mid_c) << 42;                          // 21 | 21 | 22
  p.words[2] = u(f.key_dim) | u(f.value_dim) << 16 | u(f.in_h) << 32 | u(f.in_w) << 48;  // 16 each
  // word 3: classes 20 | threads 16 | se_c 16 | se_act 4 | se_gate 4 | head_style 4
  p.words[3] = u(f.classes) | u(f.threads) << 20 | u(f.se_c) << 36 | u(f.se_act) << 52 | u(f.se_gate) << 56 |
               u(f.head_style) << 60;
  return p;
}

PackedSignature pack(const latency::BlockSignature& b) {
  SignatureFields f;
  f.kind = part_kind_code(b.kind);
  f.act = activation_code(b.act);
  f.aa = anti_alias_code(b.aa);
  f.layer_scale = b.layer_scale;
  f.residual = b.residual;
  f.stride = b.stride;
  f.kernel = b.kernel;
  f.start_kernel = b.start_kernel;
  f.end_kernel = b.end_kernel;
  f.kv_stride = b.kv_stride;
  f.heads = b.heads;
  f.in_c = b.in_c;
  f.out_c = b.out_c;
  f.mid_c = b.mid_c;
  f.key_dim = b.key_dim;
  f.value_dim = b.value_dim;
  f.in_h = b.in_h;
  f.in_w = b.in_w;
  f.classes = b.classes;
  f.threads = b.threads;
  f.head_style = head_style_code(b.head_style);
  if (b.se_c) {
    f.se_c = b.se_c;
    f.se_act = activation_code(b.se_act);
    f.se_gate = activation_code(b.se_gate);
  }
  return pack(f);
}

std::uint64_t PackedSignature::hash() const {
  // splitmix64-style mixing of each word into the running hash.
  std::uint64_t h = 0x9e3779b97f4a7c15ULL;
  for (std::uint64_t w : words) {
    std::uint64_t z = w + h;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    h = z ^ (z >> 31);
  }
  return h;
}

}  // namespace uibnas::estimator
