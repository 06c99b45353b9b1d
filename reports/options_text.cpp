#include "reports/options_text.hpp"

namespace uibnas::reports {

namespace {

std::string value_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (const auto& item : v) out += (out.empty() ? "" : " ") + value_text(item);
    return out;
  }
  if (v.is_object()) return "{" + options_text(v) + "}";
  return v.dump();
}

}  // namespace

std::string options_text(const nlohmann::json& options) {
  if (!options.is_object()) return value_text(options);
  std::string out;
  for (const auto& [key, value] : options.items()) out += (out.empty() ? "" : ", ") + key + "=" + value_text(value);
  return out;
}

}  // namespace uibnas::reports
