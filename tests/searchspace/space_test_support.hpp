// Shared by the search-space tests: the shipped spaces, a space from inline JSON, and the chi-square
// threshold the uniformity tests use.
#pragma once
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "searchspace/search_space.hpp"

namespace space_test {

inline std::string shipped_path(const std::string& id) {
  return std::string(UIBNAS_SOURCE_DIR) + "/searchspace/spaces/" + id + ".json";
}

inline const uibnas::searchspace::SearchSpace& shipped(const std::string& id) {
  static std::map<std::string, uibnas::searchspace::SearchSpace> cache;
  auto it = cache.find(id);
  if (it == cache.end()) it = cache.emplace(id, uibnas::searchspace::load_search_space(shipped_path(id))).first;
  return it->second;
}

inline const char* const kShippedIds[] = {"conv-s", "conv-m", "conv-l", "hybrid-m", "hybrid-l", "conv-m-stage1",
                                          "conv-m-stage2"};

inline uibnas::searchspace::SearchSpace space_from(const nlohmann::json& j) {
  return uibnas::searchspace::SearchSpace(uibnas::searchspace::read_space_spec(j, "inline.json"));
}

// Upper critical value of chi-square with `df` degrees of freedom at p = 1e-4 (Wilson-Hilferty):
// with a fixed seed the tests are deterministic, and a real bias still fails them by a wide margin.
inline double chi_square_critical(int df) {
  const double z = 3.719;  // standard normal quantile at 1 - 1e-4
  const double k = 2.0 / (9.0 * df);
  return df * std::pow(1.0 - k + z * std::sqrt(k), 3.0);
}

inline double chi_square_uniform(const std::vector<long long>& counts) {
  long long n = 0;
  for (long long c : counts) n += c;
  const double expected = double(n) / counts.size();
  double x2 = 0;
  for (long long c : counts) x2 += (c - expected) * (c - expected) / expected;
  return x2;
}

}  // namespace space_test
