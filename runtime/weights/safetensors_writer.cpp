// write_safetensors: F32 tensors + metadata, written with common::write_file_atomically so a reader
// never sees a half-written file and a failed write leaves the old file untouched.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "runtime/weights/safetensors.hpp"

namespace uibnas::runtime::weights {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw common::InputError(common::with_context(path, what));
}

}  // namespace

void write_safetensors(const std::string& path, const std::vector<NamedTensor>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  static_assert(std::endian::native == std::endian::little, "safetensors data is little-endian");
  using ordered_json = nlohmann::ordered_json;

  ordered_json header = ordered_json::object();
  if (!metadata.empty()) {
    ordered_json meta = ordered_json::object();
    for (const auto& [k, v] : metadata) meta[k] = v;
    header["__metadata__"] = std::move(meta);
  }

  std::set<std::string> names;
  std::vector<size_t> sizes;
  uint64_t offset = 0;
  for (const NamedTensor& t : tensors) {
    const std::string where = "tensor '" + t.name + "'";
    if (t.name == "__metadata__") fail(path, where + ": the name is reserved");
    if (!names.insert(t.name).second) fail(path, "duplicate tensor name '" + t.name + "'");
    uint64_t n = 1;
    for (int64_t d : t.shape) {
      if (d < 0) fail(path, where + ": negative dimension " + std::to_string(d) + " in shape");
      if (__builtin_mul_overflow(n, static_cast<uint64_t>(d), &n)) fail(path, where + ": shape is too large");
    }
    uint64_t bytes = 0, end = 0;
    if (__builtin_mul_overflow(n, uint64_t{sizeof(float)}, &bytes) || __builtin_add_overflow(offset, bytes, &end) ||
        end > std::numeric_limits<size_t>::max())
      fail(path, where + ": shape is too large");
    if (bytes > 0 && t.data == nullptr) fail(path, where + ": no data");
    header[t.name] = ordered_json{{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, end}}};
    sizes.push_back(static_cast<size_t>(bytes));
    offset = end;
  }

  std::string text;
  try {
    text = header.dump();
  } catch (const nlohmann::json::exception& e) {  // e.g. a name or metadata value that is not UTF-8
    fail(path, std::string("cannot encode the header: ") + e.what());
  }
  // Pad with spaces (valid JSON whitespace) so the data section starts 8-byte aligned.
  text.append((8 - text.size() % 8) % 8, ' ');
  unsigned char len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(static_cast<uint64_t>(text.size()) >> (8 * i));

  std::vector<std::string_view> pieces = {{reinterpret_cast<const char*>(len), sizeof len}, text};
  for (size_t i = 0; i < tensors.size(); ++i)
    if (sizes[i]) pieces.emplace_back(reinterpret_cast<const char*>(tensors[i].data), sizes[i]);
  common::write_file_atomically(path, pieces);
}

}  // namespace uibnas::runtime::weights
