#include "runtime/parameters.hpp"

#include <cmath>
#include <random>
#include <set>

#include "common/error.hpp"
#include "runtime/weights/safetensors.hpp"

namespace uibnas::runtime {
namespace {

void add_bn(std::vector<ParamSpec>& out, const std::string& name, int c) {
  for (const char* field : {"weight", "bias", "running_mean", "running_var"}) out.push_back({name + "." + field, {c}});
}

std::string shape_text(const std::vector<std::int64_t>& s) {
  std::string t = "[";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + "]";
}

std::string list_first(const std::vector<std::string>& items, size_t n) {
  std::string t;
  for (size_t i = 0; i < items.size() && i < n; ++i) t += (i ? ", " : "") + items[i];
  if (items.size() > n) t += ", ... (" + std::to_string(items.size()) + " in all)";
  return t;
}

}  // namespace

std::vector<ParamSpec> expected_parameters(const arch_defs::OperatorList& ops) {
  std::vector<ParamSpec> out;
  for (const arch_defs::Operator& op : ops.ops) {
    const int in_c = op.in.front().c, out_c = op.out.c, k = op.kernel;
    switch (op.kind) {
      case arch_defs::OpKind::Conv:
      case arch_defs::OpKind::PointwiseConv:
        out.push_back({op.name + ".weight", {out_c, in_c, k, k}});
        if (op.bias) out.push_back({op.name + ".bias", {out_c}});
        break;
      case arch_defs::OpKind::DepthwiseConv: out.push_back({op.name + ".weight", {out_c, 1, k, k}}); break;
      case arch_defs::OpKind::BatchNorm: add_bn(out, op.name, out_c); break;
      case arch_defs::OpKind::LayerScale: out.push_back({op.name + ".gamma", {out_c}}); break;
      case arch_defs::OpKind::Linear:
        out.push_back({op.name + ".weight", {out_c, in_c}});
        out.push_back({op.name + ".bias", {out_c}});
        break;
      default: break;  // activations, adds, pools and attention have no parameters (the blur filter is fixed)
    }
  }
  return out;
}

ParameterMap random_parameters(const arch_defs::OperatorList& ops, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  ParameterMap params;
  for (const ParamSpec& spec : expected_parameters(ops)) {
    ParamTensor t{spec.shape, {}};
    std::int64_t n = 1;
    for (auto d : spec.shape) n *= d;
    t.data.resize(static_cast<size_t>(n));
    const std::string& key = spec.key;
    auto ends = [&](const char* s) { return key.ends_with(s); };
    if (ends(".running_var")) for (float& v : t.data) v = 1.0f + 0.5f * std::abs(uniform(rng));
    else if (ends(".running_mean") || ends(".bias")) for (float& v : t.data) v = 0.1f * uniform(rng);
    else if (ends(".gamma")) for (float& v : t.data) v = 1e-5f * (1.0f + 0.1f * uniform(rng));  // timm's init value
    else if (spec.shape.size() == 1) for (float& v : t.data) v = 1.0f + 0.2f * uniform(rng);   // BN weight
    else {
      // He-style uniform scale over the fan-in keeps activations bounded through ~60 blocks.
      std::int64_t fan_in = 1;
      for (size_t i = 1; i < spec.shape.size(); ++i) fan_in *= spec.shape[i];
      const float scale = std::sqrt(3.0f / static_cast<float>(fan_in));
      for (float& v : t.data) v = scale * uniform(rng);
    }
    params.emplace(key, std::move(t));
  }
  return params;
}

ParameterMap load_parameters(const std::string& path, const arch_defs::OperatorList& ops) {
  const auto file = weights::SafetensorsFile::open(path);
  const std::vector<ParamSpec> expected = expected_parameters(ops);
  std::set<std::string> expected_keys;
  std::vector<std::string> missing, mismatched, unexpected;
  ParameterMap params;
  for (const ParamSpec& spec : expected) {
    expected_keys.insert(spec.key);
    const weights::TensorInfo* t = file.find(spec.key);
    if (!t) {
      missing.push_back(spec.key);
      continue;
    }
    if (!file.is_float(*t)) {
      mismatched.push_back(spec.key + " (dtype " + weights::dtype_name(t->dtype) + ", expected a float type)");
      continue;
    }
    if (t->shape != spec.shape) {
      mismatched.push_back(spec.key + " " + shape_text(t->shape) + " vs expected " + shape_text(spec.shape));
      continue;
    }
    params.emplace(spec.key, ParamTensor{spec.shape, file.read_f32(spec.key)});
  }
  for (const weights::TensorInfo& t : file.tensors())
    if (!expected_keys.count(t.name) && file.is_float(t)) unexpected.push_back(t.name);
  if (missing.empty() && mismatched.empty() && unexpected.empty()) return params;
  std::string msg = "checkpoint does not fit " + std::string(ops.blocks.empty() ? "the model" : "this model") + ":";
  if (!missing.empty()) msg += " missing " + std::to_string(missing.size()) + " (" + list_first(missing, 3) + ");";
  if (!unexpected.empty()) msg += " unexpected " + std::to_string(unexpected.size()) + " (" + list_first(unexpected, 3) + ");";
  if (!mismatched.empty()) msg += " wrong shape " + std::to_string(mismatched.size()) + " (" + list_first(mismatched, 3) + ");";
  msg.pop_back();
  auto model = file.metadata().find("model");
  if (model != file.metadata().end()) msg += " [the file says it is " + model->second + "]";
  throw common::InputError(common::with_context(path, msg));
}

}  // namespace uibnas::runtime
