// write_safetensors: F32 tensors + metadata, written to a temporary file and renamed into place so
// a reader never sees a half-written file and a failed write leaves the old file untouched.
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

#include "common/error.hpp"
#include "runtime/weights/safetensors.hpp"

namespace uibnas::runtime::weights {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw common::InputError(common::with_context(path, what));
}

// Writes all of [data, data + size) to fd, retrying short writes and EINTR.
bool write_all(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const size_t chunk = std::min<size_t>(size, size_t{1} << 30);
    const ssize_t n = ::write(fd, p, chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

std::string temp_path_for(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  return path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1));
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

  const std::string tmp = temp_path_for(path);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, "cannot create temporary file " + tmp + ": " + std::strerror(errno));
  bool ok = write_all(fd, len, sizeof len) && write_all(fd, text.data(), text.size());
  for (size_t i = 0; ok && i < tensors.size(); ++i)
    if (sizes[i]) ok = write_all(fd, tensors[i].data, sizes[i]);
  int err = ok ? 0 : errno;
  if (ok && ::fsync(fd) != 0) {
    ok = false;
    err = errno;
  }
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (ok && std::rename(tmp.c_str(), path.c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    fail(path, std::string("cannot write file: ") + std::strerror(err));
  }
  // Best effort: make the rename itself durable.
  auto dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace uibnas::runtime::weights
