// Exceptions shared by every uibnas library. An InputError is the user's to fix (a file, a
// block string, an option); the CLI prints its message on one line and exits 2.
#pragma once
#include <stdexcept>
#include <string>

namespace uibnas::common {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Prefixes an error message with where it happened ("file.json: stage 2, block 3 ...").
inline std::string with_context(const std::string& where, const std::string& what) {
  return where.empty() ? what : where + ": " + what;
}

}  // namespace uibnas::common
