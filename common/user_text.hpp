// Text that comes from the user (names, block strings, keys, option values) at the boundary: it
// must be valid UTF-8 wherever it can reach JSON output, and an error message quotes it shortened.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace uibnas::common {

// Characters an error message quotes of one user string before it shortens it.
inline constexpr size_t kExcerptChars = 60;

// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text);

// Throws InputError "WHAT is not valid UTF-8 (byte 0xNN at offset K)"; JSON output cannot hold it.
void require_utf8(std::string_view text, const std::string& what);

// `text` fit for one line of an error message: at most `max_chars` characters, then
// "… (N bytes)"; control characters and bytes that are not UTF-8 are written as \xNN.
std::string excerpt(std::string_view text, size_t max_chars = kExcerptChars);

}  // namespace uibnas::common
