#include "cli/model_selection.hpp"

#include <set>

#include "arch_defs/catalogue.hpp"
#include "cli/command.hpp"
#include "common/error.hpp"

namespace uibnas::cli {

std::vector<arch_defs::Architecture> ranked_models(const std::string& list) {
  std::vector<arch_defs::Architecture> models;
  if (list == "all") {
    for (const arch_defs::Architecture& arch : arch_defs::published_architectures())
      if (arch_defs::published_top1(arch)) models.push_back(arch);
    return models;
  }
  for (const std::string& name : split_list(list, "--models")) {
    arch_defs::Architecture arch = arch_defs::resolve_architecture(name);
    if (!arch_defs::published_top1(arch))
      throw common::InputError("model '" + name + "' has no published top-1 at its default resolution (" +
                               std::to_string(arch.input_size) + " px) to rank it by");
    models.push_back(std::move(arch));
  }
  if (models.empty()) throw common::InputError("--models names no model");
  return models;
}

std::vector<arch_defs::Architecture> listed_models(const std::string& list) {
  std::vector<arch_defs::Architecture> out;
  std::set<std::string> names;
  auto add = [&](arch_defs::Architecture a) {
    if (names.insert(a.name).second) out.push_back(std::move(a));
  };
  for (const std::string& name : split_list(list, "--models")) {
    if (name == "all")
      for (const arch_defs::Architecture& a : arch_defs::published_architectures()) add(a);
    else
      add(arch_defs::resolve_architecture(name));
  }
  return out;
}

}  // namespace uibnas::cli
