// Memory for the packed weights and the activation arena: one anonymous mapping each, 2 MiB aligned
// and advised for transparent huge pages. A network's weights (10-40 MB) are streamed from memory on
// every run; with 4 KiB pages each layer's first touch of its weights also walks the page tables
// (256 walks per MB), which measurably slowed the weight-bound late layers (bench_gemm ... cold).
// The mapping is reserved up front with MAP_NORESERVE and filled by a bump allocator, so only what
// is written becomes resident; pointers stay valid for the pool's lifetime.
#pragma once
#include <cstddef>

namespace uibnas::runtime {

class HugePageBuffer {
 public:
  HugePageBuffer() = default;
  // Reserves room for `capacity_floats` floats (nothing is committed yet).
  explicit HugePageBuffer(std::size_t capacity_floats);
  ~HugePageBuffer();
  HugePageBuffer(HugePageBuffer&& other) noexcept;
  HugePageBuffer& operator=(HugePageBuffer&& other) noexcept;
  HugePageBuffer(const HugePageBuffer&) = delete;
  HugePageBuffer& operator=(const HugePageBuffer&) = delete;

  // `floats` floats, 64-byte aligned; throws std::length_error past the capacity. They are zero
  // unless the buffer was reused (clear()), when they hold what was written there before.
  float* allocate(std::size_t floats);
  float* data() const { return base_; }
  std::size_t used_floats() const { return used_; }
  std::size_t capacity_floats() const { return capacity_; }
  // Forgets every allocation but keeps the pages, so that refilling them costs no page faults.
  void clear() { used_ = 0; }

 private:
  void* map_ = nullptr;
  std::size_t map_bytes_ = 0;
  float* base_ = nullptr;
  std::size_t capacity_ = 0, used_ = 0;
};

}  // namespace uibnas::runtime
