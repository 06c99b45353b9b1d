#include "search/rediscovery.hpp"

#include <cmath>
#include <limits>
#include <set>

#include "arch_defs/block_spec.hpp"
#include "common/error.hpp"
#include "search/pareto.hpp"

namespace uibnas::search {

double percentile_rank(const std::vector<double>& values, double variant, Direction direction) {
  if (values.empty() || std::isnan(variant)) return std::numeric_limits<double>::quiet_NaN();
  double beaten = 0;
  for (double v : values) {
    const bool better = direction == Direction::Minimise ? variant < v : variant > v;
    beaten += better ? 1.0 : variant == v ? 0.5 : 0.0;
  }
  return 100 * beaten / double(values.size());
}

std::vector<int> latency_band(const History& history, int latency, double t0, double relative) {
  std::vector<int> band;
  std::set<searchspace::Choices> seen;
  for (int i = 0; i < int(history.size()); ++i) {
    const Evaluation& e = history[size_t(i)];
    if (!e.feasible() || std::abs(e.metrics[size_t(latency)] / t0 - 1) > relative) continue;
    if (seen.insert(e.choices).second) band.push_back(i);
  }
  return band;
}

std::optional<Domination> strongest_domination(const History& history, const std::vector<int>& front,
                                               const std::vector<double>& variant,
                                               const std::vector<Direction>& directions) {
  std::vector<double> variant_minimised;
  for (size_t k = 0; k < variant.size(); ++k) {
    if (std::isnan(variant[k])) return std::nullopt;
    variant_minimised.push_back(directions[k] == Direction::Minimise ? variant[k] : -variant[k]);
  }
  std::optional<Domination> best;
  for (int i : front) {
    const Evaluation& e = history[size_t(i)];
    if (!dominates(e.minimised, variant_minimised)) continue;
    Domination d{i, {}, 0};
    for (size_t k = 0; k < variant.size(); ++k) {
      const double pct = (e.metrics[k] / variant[k] - 1) * 100;
      d.relative_pct.push_back(pct);
      d.gain_pct += directions[k] == Direction::Minimise ? -pct : pct;
    }
    if (!best || d.gain_pct > best->gain_pct) best = d;
  }
  return best;
}

std::vector<int> differing_decisions(const searchspace::Choices& a, const searchspace::Choices& b) {
  std::vector<int> out;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i)
    if (a[i] != b[i]) out.push_back(int(i));
  return out;
}

std::optional<ClosestMember> closest_member(const History& history, const std::vector<int>& front,
                                            const searchspace::Choices& variant) {
  std::optional<ClosestMember> best;
  for (int i : front) {
    std::vector<int> decisions = differing_decisions(history[size_t(i)].choices, variant);
    if (!best || decisions.size() < best->decisions.size()) best = ClosestMember{i, std::move(decisions)};
  }
  return best;
}

std::vector<BlockDifference> differing_blocks(const arch_defs::Architecture& first,
                                              const arch_defs::Architecture& second) {
  std::vector<BlockDifference> out;
  const size_t stages = std::max(first.stages.size(), second.stages.size());
  auto block_at = [](const arch_defs::Architecture& a, size_t s, size_t b) {
    return s < a.stages.size() && b < a.stages[s].size() ? arch_defs::to_block_string(a.stages[s][b]) : "";
  };
  for (size_t s = 0; s < stages; ++s) {
    const size_t blocks = std::max(s < first.stages.size() ? first.stages[s].size() : 0,
                                   s < second.stages.size() ? second.stages[s].size() : 0);
    for (size_t b = 0; b < blocks; ++b) {
      const std::string x = block_at(first, s, b), y = block_at(second, s, b);
      if (x != y) out.push_back({int(s), int(b), x, y});
    }
  }
  return out;
}

searchspace::SpaceSpec seeded_second_stage(searchspace::SpaceSpec second, const searchspace::SearchSpace& first,
                                           const searchspace::Choices& best) {
  if (second.stages.size() != first.stages().size())
    throw common::InputError("space '" + second.id + "' has " + std::to_string(second.stages.size()) +
                             " stages, '" + first.id() + "' " + std::to_string(first.stages().size()) +
                             ": the second search cannot keep the first's widths");
  auto chosen = [&](int decision) {
    return std::stoi(first.decisions()[size_t(decision)].labels[size_t(best[size_t(decision)])]);
  };
  second.stem_widths = {chosen(first.stem_decision())};
  for (size_t s = 0; s < second.stages.size(); ++s) {
    const searchspace::StageDecisions& d = first.stages()[s];
    second.stages[s].widths = {chosen(d.width)};
    second.stages[s].min_depth = second.stages[s].max_depth = chosen(d.depth);
  }
  second.id += "-seeded";
  second.source.clear();
  return second;
}

}  // namespace uibnas::search
