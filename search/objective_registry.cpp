#include "search/objective_registry.hpp"

#include "common/error.hpp"
#include "search/predictor.hpp"
#include "search/proxy_objective.hpp"
#include "search/published_objective.hpp"

namespace uibnas::search {

namespace {

ObjectiveEntry proxy_entry(ProxyKind kind, const char* summary) {
  return {proxy_name(kind), proxy_name(kind), summary, false, [kind](const std::string&, const ObjectiveContext& c) {
            return std::make_unique<ProxyObjective>(kind, c.proxy);
          }};
}

}  // namespace

const std::vector<ObjectiveEntry>& objective_registry() {
  static const std::vector<ObjectiveEntry> entries = {
      {"latency", "latency", "estimated latency (--latency lut|roofline|macs), minimised", false,
       [](const std::string&, const ObjectiveContext& c) {
         return std::make_unique<LatencyObjective>(c.latency_model, c.table, c.ridge_point);
       }},
      {"params", "params", "parameter count, minimised", false,
       [](const std::string&, const ObjectiveContext&) { return std::make_unique<ParamsObjective>(); }},
      {"macs", "macs", "multiply-accumulates, minimised", false,
       [](const std::string&, const ObjectiveContext&) { return std::make_unique<MacsObjective>(); }},
      {"predictor", "predictor:FILE.csv", "top-1 from ridge regression fitted on FILE.csv (architecture-or-encoding,top1), maximised",
       true,
       [](const std::string& file, const ObjectiveContext& c) { return std::make_unique<PredictorObjective>(file, *c.space); }},
      {"published", "published", "timm's top-1 of a built-in variant (an error for other candidates), maximised", false,
       [](const std::string&, const ObjectiveContext&) { return std::make_unique<PublishedObjective>(); }},
      proxy_entry(ProxyKind::Naswot, "NASWOT score at initialisation: log|K_H| of ReLU codes over a minibatch, maximised"),
      proxy_entry(ProxyKind::Zen, "Zen-score at initialisation: output change under input noise + BN variances, maximised"),
      proxy_entry(ProxyKind::Meco, "MeCo at initialisation: sum of layers' minimum channel-correlation eigenvalues, maximised"),
  };
  return entries;
}

ObjectiveSpec parse_objective_spec(const std::string& text) {
  ObjectiveSpec spec;
  spec.text = text;
  std::string rest = text;
  const auto last = rest.rfind(':');
  if (last != std::string::npos) {
    const std::string suffix = rest.substr(last + 1);
    if (suffix == "min" || suffix == "max") {
      spec.direction = suffix == "min" ? Direction::Minimise : Direction::Maximise;
      rest.resize(last);
    }
  }
  const auto first = rest.find(':');
  spec.name = rest.substr(0, first);
  if (first != std::string::npos) spec.argument = rest.substr(first + 1);
  return spec;
}

std::string ChosenObjective::label() const {
  const std::string name = objective->name();
  return direction == objective->default_direction() ? name : name + ":" + direction_name(direction);
}

ChosenObjective make_objective(const std::string& text, const ObjectiveContext& context) {
  const ObjectiveSpec spec = parse_objective_spec(text);
  std::string known;
  for (const ObjectiveEntry& e : objective_registry()) {
    known += (known.empty() ? "" : ", ") + e.syntax;
    if (e.name != spec.name) continue;
    if (e.takes_argument && spec.argument.empty())
      throw common::InputError("objective '" + text + "' needs an argument: " + e.syntax);
    if (!e.takes_argument && !spec.argument.empty())
      throw common::InputError("objective '" + text + "': " + e.name + " takes no argument (write " + e.syntax +
                               "[:min|max])");
    ChosenObjective chosen;
    chosen.objective = e.make(spec.argument, context);
    chosen.direction = spec.direction.value_or(chosen.objective->default_direction());
    return chosen;
  }
  throw common::InputError("unknown objective '" + spec.name + "' (known: " + known + "; each may end in :min or :max)");
}

}  // namespace uibnas::search
