#include "arch_defs/catalogue.hpp"

#include <algorithm>
#include <filesystem>

#include "arch_defs/catalogue_data.hpp"
#include "common/error.hpp"
#include "common/user_text.hpp"

namespace uibnas::arch_defs {

const std::vector<Architecture>& published_architectures() {
  static const std::vector<Architecture> archs = [] {
    std::vector<Architecture> out;
    for (const auto& m : detail::embedded_models()) {
      const std::string source = std::string("arch_defs/") + m.path;
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(m.json);
      } catch (const nlohmann::json::parse_error& e) {
        throw common::InputError(source + ": not valid JSON (" + e.what() + ")");
      }
      Architecture a = architecture_from_json(j, source);
      if (a.name.empty()) a.name = m.name;
      out.push_back(std::move(a));
    }
    std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.name < y.name; });
    return out;
  }();
  return archs;
}

std::optional<double> published_top1(const Architecture& arch) {
  const auto it = arch.timm_top1.find(arch.input_size);
  if (it == arch.timm_top1.end()) return std::nullopt;
  return it->second;
}

Architecture resolve_architecture(const std::string& model_or_file) {
  for (const auto& a : published_architectures())
    if (a.name == model_or_file || a.name == "mobilenetv4_" + model_or_file) return a;
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(model_or_file, ec)) {
    Architecture a = load_architecture_file(model_or_file);
    if (a.name.empty()) a.name = fs::path(model_or_file).stem().string();
    return a;
  }
  if (model_or_file.find('/') != std::string::npos || model_or_file.ends_with(".json"))
    throw common::InputError(model_or_file + ": no such file");
  std::string known;
  for (const auto& a : published_architectures()) known += (known.empty() ? "" : ", ") + a.name;
  throw common::InputError("unknown model '" + common::excerpt(model_or_file) + "' (not a file either); known models: " + known);
}

}  // namespace uibnas::arch_defs
