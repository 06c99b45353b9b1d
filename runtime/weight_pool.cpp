#include "runtime/weight_pool.hpp"

#include <cstdint>
#include <new>
#include <stdexcept>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#else
#include <cstdlib>
#endif

namespace uibnas::runtime {

namespace {
constexpr std::size_t kHuge = std::size_t(2) << 20;
constexpr std::size_t kAlignFloats = 16;  // 64 bytes
}  // namespace

HugePageBuffer::HugePageBuffer(std::size_t capacity_floats) : capacity_(capacity_floats) {
  const std::size_t bytes = (capacity_floats * sizeof(float) + kHuge - 1) / kHuge * kHuge;
  map_bytes_ = bytes + kHuge;  // slack to align the start to 2 MiB
#if defined(__linux__)
  void* p = mmap(nullptr, map_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  map_ = p;
  const auto addr = (reinterpret_cast<std::uintptr_t>(p) + kHuge - 1) / kHuge * kHuge;
  base_ = reinterpret_cast<float*>(addr);
  madvise(base_, bytes, MADV_HUGEPAGE);  // a hint: without THP the pages are simply small
#else
  map_ = std::calloc(map_bytes_, 1);
  if (map_ == nullptr) throw std::bad_alloc();
  base_ = reinterpret_cast<float*>((reinterpret_cast<std::uintptr_t>(map_) + 63) / 64 * 64);
#endif
}

HugePageBuffer::~HugePageBuffer() {
  if (map_ == nullptr) return;
#if defined(__linux__)
  munmap(map_, map_bytes_);
#else
  std::free(map_);
#endif
}

HugePageBuffer::HugePageBuffer(HugePageBuffer&& o) noexcept
    : map_(std::exchange(o.map_, nullptr)), map_bytes_(std::exchange(o.map_bytes_, 0)),
      base_(std::exchange(o.base_, nullptr)), capacity_(std::exchange(o.capacity_, 0)), used_(std::exchange(o.used_, 0)) {}

HugePageBuffer& HugePageBuffer::operator=(HugePageBuffer&& o) noexcept {
  if (this != &o) {
    this->~HugePageBuffer();
    new (this) HugePageBuffer(std::move(o));
  }
  return *this;
}

float* HugePageBuffer::allocate(std::size_t floats) {
  const std::size_t at = (used_ + kAlignFloats - 1) / kAlignFloats * kAlignFloats;
  if (at + floats > capacity_) throw std::length_error("HugePageBuffer: capacity exceeded");
  used_ = at + floats;
  return base_ + at;
}

}  // namespace uibnas::runtime
