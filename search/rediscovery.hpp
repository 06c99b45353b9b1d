// How a published variant compares with what a search found around its latency: the measures
// `uibnas search --rediscover` reports (rediscovery_run.hpp runs the searches). All of them work on a
// search's history and front, with the variant's metrics given beside them; none of them searches.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "arch_defs/architecture.hpp"
#include "search/strategy.hpp"
#include "searchspace/space_spec.hpp"

namespace uibnas::search {

// Percent of `values` the variant is better than in `direction`, a tie counting half: 100 = better than
// all of them, 50 = the median. NaN for no values or a NaN variant.
double percentile_rank(const std::vector<double>& values, double variant, Direction direction);

// The distinct feasible candidates (first occurrence of each) whose metric `latency` lies within
// ±relative of t0, as history indices.
std::vector<int> latency_band(const History& history, int latency, double t0, double relative);

// The front member that dominates the variant with the largest gain, the gain being the sum over the
// objectives of the member's relative improvement (percent, in each objective's better direction).
struct Domination {
  int member = -1;                   // history index
  std::vector<double> relative_pct;  // per objective: (member / variant − 1) · 100, signed as the values
  double gain_pct = 0;
};
// `variant` holds the variant's objective values (not minimised). nullopt when no member dominates it
// or a value is NaN.
std::optional<Domination> strongest_domination(const History& history, const std::vector<int>& front,
                                               const std::vector<double>& variant,
                                               const std::vector<Direction>& directions);

// Positions in which two canonical choice vectors differ.
std::vector<int> differing_decisions(const searchspace::Choices& a, const searchspace::Choices& b);

// The front member nearest to the variant in Hamming distance over the canonical choices; the first of
// `front` on a tie (callers pass it sorted). nullopt for an empty front.
struct ClosestMember {
  int member = -1;  // history index
  std::vector<int> decisions;  // that differ
};
std::optional<ClosestMember> closest_member(const History& history, const std::vector<int>& front,
                                            const searchspace::Choices& variant);

// The blocks of two architectures that differ, stage by stage and position by position, as block
// strings ("" where one architecture has no block at that position).
struct BlockDifference {
  int stage = 0, block = 0;
  std::string first, second;
};
std::vector<BlockDifference> differing_blocks(const arch_defs::Architecture& first,
                                              const arch_defs::Architecture& second);

// The paper's second search keeps the first search's widths and depths (paper-facts.md §3): the
// second space with its stem width and each stage's width and depth fixed at those of `best`, a
// candidate of `first`. Throws InputError when the two spaces have different stage counts.
searchspace::SpaceSpec seeded_second_stage(searchspace::SpaceSpec second, const searchspace::SearchSpace& first,
                                           const searchspace::Choices& best);

}  // namespace uibnas::search
