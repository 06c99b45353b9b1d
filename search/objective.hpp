// An objective is a named function of a candidate with a default direction: costs (latency, params,
// MACs) are minimised, qualities (a predictor's top-1, published top-1, training-free proxies) are
// maximised; `NAME:min` or `NAME:max` overrides it. Objectives are pure and thread-safe: the evaluator
// calls them from several threads at once and caches their values by the candidate's canonical choices.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "arch_defs/network.hpp"
#include "arch_defs/operators.hpp"
#include "searchspace/search_space.hpp"

namespace uibnas::search {

enum class Direction { Minimise, Maximise };
const char* direction_name(Direction d);  // "min", "max"

// One candidate as the objectives see it. The architecture and network are built on first use and
// shared by every objective of the candidate (a synthetic objective that reads only the choices never
// pays for them).
class Candidate {
 public:
  Candidate(const searchspace::SearchSpace& space, const searchspace::Choices& choices)
      : space_(space), choices_(choices) {}

  const searchspace::SearchSpace& space() const { return space_; }
  const searchspace::Choices& choices() const { return choices_; }
  const arch_defs::Architecture& architecture() const;
  const arch_defs::Network& network() const;
  int resolution() const { return architecture().input_size; }
  const arch_defs::ParamsMacs& params_macs() const;

 private:
  const searchspace::SearchSpace& space_;
  const searchspace::Choices& choices_;
  mutable std::optional<arch_defs::Architecture> arch_;
  mutable std::optional<arch_defs::Network> net_;
  mutable std::optional<arch_defs::ParamsMacs> params_macs_;
};

class Objective {
 public:
  virtual ~Objective() = default;
  virtual std::string name() const = 0;  // as the user wrote it, without the direction: "predictor:fit.csv"
  virtual std::string unit() const = 0;  // "ms", "params", "MACs", "top-1 %"
  virtual Direction default_direction() const = 0;
  // Throws InputError when the objective is undefined for this candidate.
  virtual double value(const Candidate& c) const = 0;
};

}  // namespace uibnas::search
