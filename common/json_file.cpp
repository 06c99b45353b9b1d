#include "common/json_file.hpp"

#include <fstream>
#include <sstream>

#include "common/error.hpp"

namespace uibnas::common {

nlohmann::json read_json_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open file");
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return nlohmann::json::parse(ss.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(path + ": " + what + " is not valid JSON (" + e.what() + ")");
  }
}

}  // namespace uibnas::common
