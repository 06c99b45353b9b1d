// Reading a JSON document from a file with errors that name the file and say what it should have been.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace uibnas::common {

// Throws InputError "PATH: cannot open file" or "PATH: <what> is not valid JSON (...)".
nlohmann::json read_json_file(const std::string& path, const std::string& what);

}  // namespace uibnas::common
