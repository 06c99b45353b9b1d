// Reading a JSON document from a file with errors that name the file and say what it should have been.
// Every JSON a user hands uibnas is read here, so the limits below hold for all of them.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace uibnas::common {

// Deeper documents are refused: copying or printing a value recurses once per level, and a
// million nested brackets would overflow the stack. uibnas' own files nest at most ~6 levels.
inline constexpr int kMaxJsonDepth = 64;

// Throws InputError "PATH: cannot open file", "PATH: <what> is not valid JSON (...)",
// "PATH: <what> nests deeper than 64 levels at /json/path" or
// "PATH: /json/path: number out of range (...)" for a number that does not fit a double (1e400).
nlohmann::json read_json_file(const std::string& path, const std::string& what);

// The same rules for JSON text that did not come from a file; `source` names it in errors.
nlohmann::json parse_json_text(const std::string& text, const std::string& source, const std::string& what);

}  // namespace uibnas::common
