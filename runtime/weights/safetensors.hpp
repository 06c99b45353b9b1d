// Reading and writing the safetensors format (https://github.com/huggingface/safetensors):
//   u64 little-endian N | N bytes of UTF-8 JSON header | data section
// The header maps each tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets
// relative to the start of the data section) plus an optional "__metadata__": {str: str}.
//
// SafetensorsFile::open validates the header completely before it reads the data section into
// memory, so every later accessor works on a known-good layout; any problem with the file is an
// InputError whose message starts with the file path. Float tensors (F64/F32/F16/BF16) convert to float32.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace uibnas::runtime::weights {

// The safetensors format's own limit on the header; a longer one is refused before it is read.
inline constexpr uint64_t kMaxSafetensorsHeaderBytes = 100'000'000;
// Larger files are refused from their size: the data section is held in memory, and the largest
// MobileNet-V4 checkpoint (hybrid-large, 38M parameters) is about 0.3 GB even in F64.
inline constexpr uint64_t kMaxSafetensorsFileBytes = 4ull << 30;

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool };

// The safetensors spelling ("F32", "BOOL", ...).
const char* dtype_name(DType);
// Bytes per element.
size_t dtype_size(DType);
// Inverse of dtype_name; nullopt for a name this runtime does not know (e.g. "F8_E4M3", "U32").
std::optional<DType> dtype_from_name(std::string_view name);

struct TensorInfo {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;  // [] is a scalar (one element)
  size_t begin = 0, end = 0;   // byte range within the data section
  int64_t numel() const;       // product of shape; 1 for a scalar
};

class SafetensorsFile {
 public:
  SafetensorsFile() = default;  // an empty file with no path; use open()

  // Reads and validates the whole file; throws InputError "<path>: <what>" for a missing or
  // unreadable file, one that is not a regular file or is larger than kMaxSafetensorsFileBytes, a
  // file shorter than 8 bytes, a header length larger than the file or kMaxSafetensorsHeaderBytes, a
  // header that is not valid JSON (the rules of common::parse_json_text) or not an object, an entry missing dtype/shape/data_offsets or with
  // ill-typed fields, an unknown dtype (named), negative dims, offsets outside the data section or
  // begin > end, byte size != numel*dtype_size, overlapping tensors, duplicate names, and a
  // malformed "__metadata__". Never crashes on malformed input.
  static SafetensorsFile open(const std::string& path);

  const std::string& path() const { return path_; }
  // Sorted by data offset (file order of the data).
  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  // nullptr if absent.
  const TensorInfo* find(const std::string& name) const;
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

  // F64/F32/F16/BF16.
  bool is_float(const TensorInfo& t) const;

  // Converts a float tensor to float32 (F16 exactly, subnormals/inf/NaN included; BF16 exactly;
  // F64 rounded to nearest). Throws InputError naming the tensor if it is absent or not float.
  std::vector<float> read_f32(const std::string& name) const;
  // out must hold t.numel() floats. t must describe a tensor of this file (it is re-checked
  // against the data section, so a foreign TensorInfo throws rather than reads out of bounds).
  void read_f32(const TensorInfo& t, float* out) const;

  // The raw little-endian bytes of a tensor (any dtype), e.g. to read an I64 counter.
  std::span<const std::byte> bytes(const TensorInfo& t) const;

 private:
  std::string path_;
  std::shared_ptr<const std::vector<std::byte>> data_;  // the data section; shared so copies are cheap
  std::vector<TensorInfo> tensors_;
  std::unordered_map<std::string, size_t> index_;  // name -> position in tensors_
  std::map<std::string, std::string> metadata_;
};

// One float32 tensor to write; data points at numel(shape) floats (may be null when numel is 0).
struct NamedTensor {
  std::string name;
  std::vector<int64_t> shape;
  const float* data;
};

// Writes F32 tensors (in the given order) and metadata atomically: to a temporary file in the same
// directory, flushed and fsynced, then renamed over path. The header is padded with spaces so the
// data section starts at a multiple of 8 bytes. Throws InputError "<path>: <what>" for duplicate or
// reserved names, negative dims, a null data pointer, or an I/O failure (the target is untouched).
void write_safetensors(const std::string& path, const std::vector<NamedTensor>& tensors,
                       const std::map<std::string, std::string>& metadata = {});

}  // namespace uibnas::runtime::weights
