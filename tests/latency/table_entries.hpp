// How many entries the table at PATH holds; 0 while it does not exist yet or is being replaced, as
// the tests that watch a running profile see it.
#pragma once
#include <cstddef>
#include <exception>
#include <string>

#include "latency/latency_table.hpp"

namespace uibnas::testing {

inline std::size_t entries_in(const std::string& path) {
  try {
    return latency::load_table(path).entries.size();
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace uibnas::testing
