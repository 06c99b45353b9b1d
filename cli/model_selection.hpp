// --models all|LIST: which networks a subcommand takes.
#pragma once
#include <string>
#include <vector>

#include "arch_defs/architecture.hpp"

namespace uibnas::cli {

// 'all': every built-in model with a published top-1 at its default resolution; otherwise the
// comma-separated names or files, each of which must have one (InputError naming it otherwise).
std::vector<arch_defs::Architecture> ranked_models(const std::string& list);

// The comma-separated names or files, where 'all' stands for every built-in network; each once, in
// the order first named (profile, validate, gap).
std::vector<arch_defs::Architecture> listed_models(const std::string& list);

}  // namespace uibnas::cli
