// Hypervolume of a front of minimised objectives, exact in 2-D and 3-D.
//
// Objectives are normalised first, (v − lo) / (hi − lo) per axis, so that milliseconds and parameter
// counts weigh alike, and the reference point is 1.2 on every normalised axis (the common choice for
// fronts normalised to [0, 1], ../shared/reference/nas-anchors.md §10). A search fixes lo and hi once,
// from its first generation, so that hypervolumes of later generations compare; a later point better
// than those bounds normalises below 0 (the volume may then exceed 1.2^d), and a point beyond the
// reference on any axis adds nothing.
#pragma once
#include <vector>

namespace uibnas::search {

inline constexpr double kReferencePoint = 1.2;

struct Bounds {
  std::vector<double> lo, hi;  // per minimised objective; hi > lo
  std::vector<double> normalise(const std::vector<double>& v) const;
};

// lo/hi = min/max over `points` per axis; an axis without spread gets hi = lo + max(1, |lo|) so that
// it still normalises.
Bounds bounds_of(const std::vector<std::vector<double>>& points);

// Volume dominated by `points` and bounded by `reference` (all minimised). 1 to 3 objectives;
// throws std::invalid_argument for more.
double hypervolume(std::vector<std::vector<double>> points, const std::vector<double>& reference);

}  // namespace uibnas::search
