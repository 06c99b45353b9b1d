// The objectives `--objectives` can name, in one table: each entry makes its objective from the
// argument after its name ("predictor:FILE.csv") and the shared context. Adding an objective (a
// training-free proxy, say) is one more Objective subclass and one more entry in objective_registry().
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "search/cost_objectives.hpp"
#include "search/objective.hpp"
#include "search/proxy.hpp"

namespace uibnas::search {

// What objectives may need from the command line; pointers may be null when not given.
struct ObjectiveContext {
  const searchspace::SearchSpace* space = nullptr;
  const estimator::TableEstimators* table = nullptr;  // --table
  LatencyModel latency_model = LatencyModel::LookupTable;
  double ridge_point = 0;                             // --rp for the roofline latency
  ProxySettings proxy;                                // the training-free proxies' minibatch (--proxy-data)
};

struct ObjectiveEntry {
  std::string name;     // what the user writes before any ':'
  std::string syntax;   // "predictor:FILE.csv"
  std::string summary;  // one line for --help
  bool takes_argument = false;
  std::function<std::unique_ptr<Objective>(const std::string& argument, const ObjectiveContext&)> make;
};

const std::vector<ObjectiveEntry>& objective_registry();

// `NAME[:ARG][:min|max]` split into its parts.
struct ObjectiveSpec {
  std::string name, argument;
  std::optional<Direction> direction;  // absent: the objective's default
  std::string text;                    // as written
};
ObjectiveSpec parse_objective_spec(const std::string& text);

// An objective with the direction it is optimised in.
struct ChosenObjective {
  std::unique_ptr<Objective> objective;
  Direction direction = Direction::Minimise;
  std::string label() const;  // "latency", "macs:max" (the direction only when not the default)
};

// Throws InputError for an unknown name (listing the known ones), a missing or unexpected argument,
// or what the objective itself rejects.
ChosenObjective make_objective(const std::string& text, const ObjectiveContext& context);

}  // namespace uibnas::search
