// Where an architecture sits in a space: its choice vector, or the first reason it lies outside.
// Works on the expanded network (build_network), so repeats, r1 strings and grouped strings locate
// alike; an expansion matches when it gives the same mid channels. The answer is checked by decoding
// it and comparing the two networks block by block.
#pragma once
#include <string>

#include "arch_defs/architecture.hpp"
#include "searchspace/search_space.hpp"

namespace uibnas::searchspace {

struct Location {
  bool inside = false;
  Choices choices;     // canonical, when inside
  std::string reason;  // the first mismatch, when outside
};

// Throws InputError only when the architecture itself cannot be built.
Location locate(const SearchSpace& space, const arch_defs::Architecture& arch);

}  // namespace uibnas::searchspace
