// The one way uibnas opens a file it reads: a regular file only (a FIFO, a device such as /dev/zero,
// a directory or a socket is refused without blocking on it), its size checked against a limit
// before anything is read, and exactly that many bytes read, so a file that grows meanwhile is
// still bounded and one that shrinks is an error rather than a short read.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace uibnas::common {

// Text files uibnas reads besides JSON (CSV, summaries, images) share the JSON files' size limit.
inline constexpr uint64_t kMaxInputFileBytes = 256ull << 20;

class InputFile {
 public:
  // Throws InputError "PATH: cannot open file[: reason]", "PATH: not a regular file (it is a FIFO)"
  // or "PATH: WHAT is N bytes, more than the limit of M bytes".
  InputFile(const std::string& path, uint64_t max_bytes, const std::string& what);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  const std::string& path() const { return path_; }
  // The size when opened; reads never go beyond it.
  uint64_t size() const { return size_; }
  // Reads bytes [offset, offset + n) of the file; throws InputError naming the file if they are not
  // all within size() or cannot be read.
  void read_at(uint64_t offset, void* out, size_t n) const;
  // The whole file (size() bytes).
  std::string read_all() const;

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

// The whole of PATH through an InputFile limited to kMaxInputFileBytes; WHAT names the file in errors.
std::string read_input_file(const std::string& path, const std::string& what);

}  // namespace uibnas::common
