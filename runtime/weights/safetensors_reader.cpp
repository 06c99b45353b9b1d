// SafetensorsFile: load the whole file, validate the header against the data section, convert
// float tensors to float32. All validation happens in open(); see safetensors.hpp.
#include "runtime/weights/safetensors.hpp"

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/input_file.hpp"
#include "common/json_file.hpp"
#include "common/user_text.hpp"
#include "runtime/weights/half_float.hpp"

namespace uibnas::runtime::weights {

static_assert(std::endian::native == std::endian::little,
              "safetensors data is little-endian; a big-endian host would need byte swapping");

const char* dtype_name(DType d) {
  switch (d) {
    case DType::F64: return "F64";
    case DType::F32: return "F32";
    case DType::F16: return "F16";
    case DType::BF16: return "BF16";
    case DType::I64: return "I64";
    case DType::I32: return "I32";
    case DType::I16: return "I16";
    case DType::I8: return "I8";
    case DType::U8: return "U8";
    case DType::Bool: return "BOOL";
  }
  return "?";
}

size_t dtype_size(DType d) {
  switch (d) {
    case DType::F64:
    case DType::I64: return 8;
    case DType::F32:
    case DType::I32: return 4;
    case DType::F16:
    case DType::BF16:
    case DType::I16: return 2;
    case DType::I8:
    case DType::U8:
    case DType::Bool: return 1;
  }
  return 0;
}

std::optional<DType> dtype_from_name(std::string_view name) {
  static constexpr DType all[] = {DType::F64, DType::F32, DType::F16, DType::BF16, DType::I64,
                                  DType::I32, DType::I16, DType::I8,  DType::U8,   DType::Bool};
  for (DType d : all)
    if (name == dtype_name(d)) return d;
  return std::nullopt;
}

int64_t TensorInfo::numel() const {
  uint64_t n = 1;  // unsigned so a nonsensical hand-built shape wraps instead of being UB
  for (int64_t d : shape) n *= static_cast<uint64_t>(d);
  return static_cast<int64_t>(n);
}

namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw common::InputError(common::with_context(path, what));
}

std::string q_name(const std::string& name) { return "'" + common::excerpt(name) + "'"; }

// A JSON value quoted in an error, shortened: it may be a list of a million numbers.
std::string quoted_json(const json& v) { return common::excerpt(v.dump()); }

std::string shape_string(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

// numel and byte size with overflow and sign checks; nullopt when the shape is unusable.
std::optional<size_t> checked_bytes(const std::vector<int64_t>& shape, DType dtype) {
  uint64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) return std::nullopt;
    if (__builtin_mul_overflow(n, static_cast<uint64_t>(d), &n)) return std::nullopt;
  }
  if (n > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
  uint64_t bytes = 0;
  if (__builtin_mul_overflow(n, static_cast<uint64_t>(dtype_size(dtype)), &bytes)) return std::nullopt;
  if (bytes > std::numeric_limits<size_t>::max()) return std::nullopt;
  return static_cast<size_t>(bytes);
}

// Parses the header with the rules of every JSON uibnas reads (nesting depth, NUL bytes, number
// range), and refuses duplicate top-level keys, which nlohmann would silently resolve to the last.
json parse_header(const std::string& path, const std::string& text) {
  std::string duplicate;
  std::set<std::string> seen;
  const auto on_key = [&](size_t depth, const std::string& key) {
    if (depth == 1 && duplicate.empty() && !seen.insert(key).second) duplicate = key;
  };
  const json header = common::parse_json_text(text, path, "header", on_key);
  if (!header.is_object()) fail(path, std::string("header is not a JSON object (it is ") + header.type_name() + ")");
  if (!duplicate.empty()) {
    fail(path, duplicate == "__metadata__" ? "duplicate \"__metadata__\" in header"
                                           : "duplicate tensor name " + q_name(duplicate));
  }
  return header;
}

// Non-negative JSON integer, or nullopt.
std::optional<uint64_t> as_unsigned(const json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer() && v.get<int64_t>() >= 0) return static_cast<uint64_t>(v.get<int64_t>());
  return std::nullopt;
}

TensorInfo parse_entry(const std::string& path, const std::string& name, const json& entry, size_t data_size) {
  const std::string where = "tensor " + q_name(name);
  if (!entry.is_object()) fail(path, where + ": entry is not a JSON object");
  TensorInfo t;
  t.name = name;

  const auto dt = entry.find("dtype");
  if (dt == entry.end()) fail(path, where + ": missing \"dtype\"");
  if (!dt->is_string()) fail(path, where + ": \"dtype\" is not a string");
  const auto& dtype_str = dt->get_ref<const std::string&>();
  const auto dtype = dtype_from_name(dtype_str);
  if (!dtype) fail(path, where + ": unknown dtype \"" + common::excerpt(dtype_str) + "\"");
  t.dtype = *dtype;

  const auto sh = entry.find("shape");
  if (sh == entry.end()) fail(path, where + ": missing \"shape\"");
  if (!sh->is_array()) fail(path, where + ": \"shape\" is not a list");
  for (const json& d : *sh) {
    if (d.is_number_integer() && !d.is_number_unsigned() && d.get<int64_t>() < 0)
      fail(path, where + ": negative dimension " + std::to_string(d.get<int64_t>()) + " in shape");
    const auto u = as_unsigned(d);
    if (!u) fail(path, where + ": \"shape\" must be a list of integers, got " + quoted_json(d));
    if (*u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      fail(path, where + ": dimension " + std::to_string(*u) + " is too large");
    t.shape.push_back(static_cast<int64_t>(*u));
  }

  const auto off = entry.find("data_offsets");
  if (off == entry.end()) fail(path, where + ": missing \"data_offsets\"");
  std::optional<uint64_t> b, e;
  if (off->is_array() && off->size() == 2) {
    b = as_unsigned((*off)[0]);
    e = as_unsigned((*off)[1]);
  }
  if (!b || !e) fail(path, where + ": \"data_offsets\" must be two non-negative integers, got " + quoted_json(*off));
  if (*b > *e)
    fail(path, where + ": data_offsets begin " + std::to_string(*b) + " > end " + std::to_string(*e));
  if (*e > data_size)
    fail(path, where + ": data_offsets [" + std::to_string(*b) + ", " + std::to_string(*e) +
                   "] out of range of the data section (" + std::to_string(data_size) + " bytes)");
  t.begin = static_cast<size_t>(*b);
  t.end = static_cast<size_t>(*e);

  const auto bytes = checked_bytes(t.shape, t.dtype);
  if (!bytes) fail(path, where + ": shape " + shape_string(t.shape) + " is too large");
  if (*bytes != t.end - t.begin)
    fail(path, where + ": byte size " + std::to_string(t.end - t.begin) + " does not match shape " +
                   shape_string(t.shape) + " of " + dtype_name(t.dtype) + " (" + std::to_string(*bytes) +
                   " bytes)");
  return t;
}

// F64 -> F32, round to nearest; out-of-range magnitudes become +-inf (or FLT_MAX when they round
// to it) without relying on the undefined behaviour of an out-of-range static_cast.
inline float narrow_f64(double d) {
  if (std::isfinite(d) && std::fabs(d) > static_cast<double>(FLT_MAX)) {
    constexpr double half_way = 0x1.ffffffp127;  // FLT_MAX + half an ulp: ties go to inf (even)
    const float mag = std::fabs(d) >= half_way ? std::numeric_limits<float>::infinity() : FLT_MAX;
    return std::signbit(d) ? -mag : mag;
  }
  return static_cast<float>(d);
}

}  // namespace

SafetensorsFile SafetensorsFile::open(const std::string& path) {
  SafetensorsFile f;
  f.path_ = path;
  const common::InputFile file(path, kMaxSafetensorsFileBytes, "a safetensors file");
  const uint64_t size = file.size();
  if (size < 8) fail(path, "file is " + std::to_string(size) + " bytes, shorter than the 8-byte header length");

  unsigned char length_bytes[8];
  file.read_at(0, length_bytes, sizeof length_bytes);
  uint64_t header_len = 0;
  for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | length_bytes[i];
  if (header_len > size - 8)
    fail(path, "header length " + std::to_string(header_len) + " exceeds the file size (" + std::to_string(size) +
                   " bytes; truncated file?)");
  if (header_len > kMaxSafetensorsHeaderBytes)
    fail(path, "header length " + std::to_string(header_len) + " is more than the format's limit of " +
                   std::to_string(kMaxSafetensorsHeaderBytes) + " bytes");
  std::string header_text(static_cast<size_t>(header_len), '\0');
  file.read_at(8, header_text.data(), header_text.size());
  const json header = parse_header(path, header_text);
  const uint64_t data_start = 8 + header_len;
  const size_t data_size = static_cast<size_t>(size - data_start);

  for (const auto& [key, value] : header.items()) {
    if (key == "__metadata__") {
      if (!value.is_object()) fail(path, "\"__metadata__\" is not a JSON object");
      for (const auto& [mk, mv] : value.items()) {
        if (!mv.is_string()) fail(path, "\"__metadata__\" value for " + q_name(mk) + " is not a string");
        f.metadata_.emplace(mk, mv.get<std::string>());
      }
      continue;
    }
    f.tensors_.push_back(parse_entry(path, key, value, data_size));
  }

  std::sort(f.tensors_.begin(), f.tensors_.end(), [](const TensorInfo& a, const TensorInfo& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    if (a.end != b.end) return a.end < b.end;
    return a.name < b.name;
  });
  // Empty tensors occupy no bytes and cannot overlap; among the rest, sorted by begin, each must
  // start at or after the furthest end seen so far.
  const TensorInfo* furthest = nullptr;
  for (const TensorInfo& t : f.tensors_) {
    if (t.begin == t.end) continue;
    if (furthest && t.begin < furthest->end)
      fail(path, "tensors " + q_name(furthest->name) + " and " + q_name(t.name) + " overlap in the data section");
    if (!furthest || t.end > furthest->end) furthest = &t;
  }
  for (size_t i = 0; i < f.tensors_.size(); ++i) f.index_.emplace(f.tensors_[i].name, i);
  // The data section is read only once the header has proven the file to be what it claims.
  auto data = std::make_shared<std::vector<std::byte>>(data_size);
  file.read_at(data_start, data->data(), data_size);
  f.data_ = std::move(data);
  return f;
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const {
  const auto it = index_.find(name);
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

bool SafetensorsFile::is_float(const TensorInfo& t) const {
  return t.dtype == DType::F64 || t.dtype == DType::F32 || t.dtype == DType::F16 || t.dtype == DType::BF16;
}

std::span<const std::byte> SafetensorsFile::bytes(const TensorInfo& t) const {
  const std::string where = "tensor " + q_name(t.name);
  const size_t data_size = data_ ? data_->size() : 0;
  if (t.begin > t.end || t.end > data_size)
    fail(path_, where + ": byte range [" + std::to_string(t.begin) + ", " + std::to_string(t.end) +
                    ") is outside the data section");
  const auto expected = checked_bytes(t.shape, t.dtype);
  if (!expected || *expected != t.end - t.begin)
    fail(path_, where + ": byte range does not match shape " + shape_string(t.shape) + " of " + dtype_name(t.dtype));
  if (t.begin == t.end) return {};
  return std::span<const std::byte>(data_->data() + t.begin, t.end - t.begin);
}

std::vector<float> SafetensorsFile::read_f32(const std::string& name) const {
  const TensorInfo* t = find(name);
  if (!t) fail(path_, "no tensor named " + q_name(name));
  std::vector<float> out(static_cast<size_t>(t->numel()));
  read_f32(*t, out.data());
  return out;
}

void SafetensorsFile::read_f32(const TensorInfo& t, float* out) const {
  if (!is_float(t))
    fail(path_, "tensor " + q_name(t.name) + " is " + dtype_name(t.dtype) + ", not a float tensor (F64/F32/F16/BF16)");
  const std::span<const std::byte> src = bytes(t);
  const size_t n = src.size() / dtype_size(t.dtype);
  const std::byte* p = src.data();
  switch (t.dtype) {
    case DType::F32:
      if (n) std::memcpy(out, p, n * sizeof(float));
      break;
    case DType::F16:
      for (size_t i = 0; i < n; ++i) {
        uint16_t h;
        std::memcpy(&h, p + 2 * i, 2);
        out[i] = f16_to_f32(h);
      }
      break;
    case DType::BF16:
      for (size_t i = 0; i < n; ++i) {
        uint16_t h;
        std::memcpy(&h, p + 2 * i, 2);
        out[i] = bf16_to_f32(h);
      }
      break;
    case DType::F64:
      for (size_t i = 0; i < n; ++i) {
        double d;
        std::memcpy(&d, p + 8 * i, 8);
        out[i] = narrow_f64(d);
      }
      break;
    default:
      break;  // unreachable: is_float checked above
  }
}

}  // namespace uibnas::runtime::weights
