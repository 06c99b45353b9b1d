// Reading a JSON document from a file with errors that name the file and say what it should have been.
// Every JSON a user hands uibnas is read here, so the limits below hold for all of them.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace uibnas::common {

// Deeper documents are refused: copying or printing a value recurses once per level, and a
// million nested brackets would overflow the stack. uibnas' own files nest at most ~6 levels.
inline constexpr int kMaxJsonDepth = 64;

// Larger files are refused from their size before anything is read (the largest file uibnas
// writes, a latency table of a big profile run, is a few MB).
inline constexpr uint64_t kMaxJsonFileBytes = 256ull << 20;

// Throws InputError "PATH: cannot open file", "PATH: not a regular file (...)", "PATH: <what> is N
// bytes, more than the limit of ...", "PATH: <what> is not valid JSON (...)",
// "PATH: <what> nests deeper than 64 levels at /json/path" or
// "PATH: /json/path: number out of range (...)" for a number that does not fit a double (1e400).
nlohmann::json read_json_file(const std::string& path, const std::string& what);

// Called with each object key and the depth of its object (1: the top level), e.g. to refuse
// duplicate keys, which the parser would otherwise resolve silently to the last one.
using JsonKeyObserver = std::function<void(size_t depth, const std::string& key)>;

// The same rules for JSON text that did not come from a file; `source` names it in errors. A NUL
// byte is refused: the parser would take it for the end of the text and ignore what follows.
nlohmann::json parse_json_text(const std::string& text, const std::string& source, const std::string& what,
                               const JsonKeyObserver& on_key = {});

// v as an int: throws InputError "WHERE: expected an integer" for anything else, a fraction or a
// number outside int's range (nlohmann's get<int>() converts such a number with undefined behaviour).
int json_int(const nlohmann::json& v, const std::string& where);

}  // namespace uibnas::common
