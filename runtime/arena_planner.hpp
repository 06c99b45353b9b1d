// Buffer planning by liveness: every intermediate tensor gets an offset in one arena, and tensors
// whose lifetimes overlap never share bytes. The arena is allocated once; inference allocates nothing.
#pragma once
#include <cstddef>
#include <vector>

namespace uibnas::runtime {

struct TensorLifetime {
  std::size_t floats = 0;
  int first_step = 0;  // the step that writes it
  int last_step = 0;   // the last step that reads it (inclusive)
};

struct ArenaPlan {
  std::vector<std::size_t> offsets;  // floats, one per lifetime, 64-byte aligned
  std::size_t total_floats = 0;
};

// Greedy by size (largest first), each at the lowest offset free during its whole lifetime.
ArenaPlan plan_arena(const std::vector<TensorLifetime>& tensors);

}  // namespace uibnas::runtime
