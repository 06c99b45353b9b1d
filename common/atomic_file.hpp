// The one way uibnas replaces a file: write a new temporary file beside it, check every write and the
// close, fsync it, rename it over the target and fsync the directory. A reader never sees a partial
// file, a crash leaves the old file or the new one, and a failed write leaves the old file and no
// temporary behind.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace uibnas::common {

// Writes `pieces` one after another as the new content of `path`. Throws InputError naming `path` and
// the system's reason (no such directory, permission denied, no space left on device, ...).
void write_file_atomically(const std::string& path, const std::vector<std::string_view>& pieces);

inline void write_file_atomically(const std::string& path, std::string_view text) {
  write_file_atomically(path, std::vector<std::string_view>{text});
}

}  // namespace uibnas::common
