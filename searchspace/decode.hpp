// A candidate as an architecture: one r1 block string per block (MQA blocks interleaved where the
// stage places them), the fixed head stage appended, named by its encoding unless a name is given.
// Everything the foundation and the runtime do with an architecture then applies to it.
#pragma once
#include <string>

#include "arch_defs/architecture.hpp"
#include "searchspace/search_space.hpp"

namespace uibnas::searchspace {

arch_defs::Architecture to_architecture(const SearchSpace& space, const Choices& choices, const std::string& name = "");

}  // namespace uibnas::searchspace
