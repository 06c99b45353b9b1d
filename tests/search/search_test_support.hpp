// Shared by the search tests: a tiny space written to a file (small enough to know its optimum), a
// latency table covering every part it can produce, and synthetic objectives read off the choices.
#pragma once
#include <cmath>
#include <fstream>
#include <string>

#include "latency/latency_table.hpp"
#include "latency/space_signatures.hpp"
#include "search/problem.hpp"
#include "searchspace/search_space.hpp"
#include "tests/support/test_data.hpp"

namespace search_test {

// 5 resolutions x 2 stage-1 widths x (2 + 4 + 8) start-DW patterns of a 1..3-block UIB stage = 140 candidates.
inline const char* const kTinySpace = R"({
  "format": "uibnas-search-space", "version": 1, "id": "tiny",
  "description": "A tiny space for the search tests.",
  "resolutions": [96, 128, 160, 192, 224], "act": "relu", "layer_scale": null,
  "stem": {"kernel": 3, "widths": [16]},
  "head": {"features": 64, "hidden": 128, "num_classes": 10},
  "stages": [
    {"stride": 2, "depth": {"min": 1, "max": 1}, "widths": [16, 24],
     "blocks": [{"type": "cn", "kernel": [3]}]},
    {"stride": 2, "depth": {"min": 1, "max": 3}, "widths": [32],
     "blocks": [{"type": "uir", "start_dw": [0, 3], "middle_dw": [3], "expansion": [2]}]}
  ]
})";

inline std::string tiny_space_file() {
  const std::string path = uibnas::testing::unique_temp_path("tiny_space.json");
  std::ofstream(path) << kTinySpace;
  return path;
}

// A table holding every part of the space, with a latency that grows with the part's work.
inline std::string tiny_table_file(const uibnas::searchspace::SearchSpace& space) {
  uibnas::latency::LatencyTable table;
  table.hardware_name = "synthetic";
  for (const auto& s : uibnas::latency::space_signatures(space, 1)) {
    const double ms = 0.01 + 1e-7 * double(s.in_h * s.in_w) * double(s.in_c + s.out_c + s.mid_c + s.start_kernel);
    table.entries[s.key()] = {s, {ms, ms * 0.9, ms * 1.1, ms * 0.8, 5}};
  }
  const std::string path = uibnas::testing::unique_temp_path("tiny_table.json");
  uibnas::latency::save_table(table, path);
  return path;
}

// Sum of the canonical choices outside the resolution: 0 only for the shallowest, narrowest candidates.
class ChoiceSum : public uibnas::search::Objective {
 public:
  std::string name() const override { return "choice_sum"; }
  std::string unit() const override { return ""; }
  uibnas::search::Direction default_direction() const override { return uibnas::search::Direction::Minimise; }
  double value(const uibnas::search::Candidate& c) const override {
    double s = 0;
    for (size_t i = 0; i < c.choices().size(); ++i)
      if (int(i) != c.space().resolution_decision()) s += c.choices()[i];
    return s;
  }
};

// The resolution's option index (min), or with `against` its complement plus ChoiceSum: the two
// conflict only through the resolution, so the front is the 5 candidates with ChoiceSum 0.
class ResolutionIndex : public uibnas::search::Objective {
 public:
  explicit ResolutionIndex(bool against) : against_(against) {}
  std::string name() const override { return against_ ? "resolution_against" : "resolution"; }
  std::string unit() const override { return ""; }
  uibnas::search::Direction default_direction() const override { return uibnas::search::Direction::Minimise; }
  double value(const uibnas::search::Candidate& c) const override {
    const int r = c.choices()[size_t(c.space().resolution_decision())];
    return against_ ? double(4 - r) + ChoiceSum().value(c) : double(r);
  }

 private:
  bool against_;
};

template <typename T, typename... A>
uibnas::search::ChosenObjective chosen(A... args) {
  uibnas::search::ChosenObjective c;
  c.objective = std::make_unique<T>(args...);
  c.direction = c.objective->default_direction();
  return c;
}

}  // namespace search_test
