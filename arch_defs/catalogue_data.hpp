// The published variants' JSON files, compiled in by embed_models.cmake.
#pragma once
#include <vector>

namespace uibnas::arch_defs::detail {

struct EmbeddedModel {
  const char* name;
  const char* path;  // relative to arch_defs/, for error messages
  const char* json;
};

const std::vector<EmbeddedModel>& embedded_models();

}  // namespace uibnas::arch_defs::detail
