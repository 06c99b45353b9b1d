#include "search/hypervolume.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace uibnas::search {

std::vector<double> Bounds::normalise(const std::vector<double>& v) const {
  std::vector<double> out(v.size());
  for (size_t i = 0; i < v.size(); ++i) out[i] = (v[i] - lo[i]) / (hi[i] - lo[i]);
  return out;
}

Bounds bounds_of(const std::vector<std::vector<double>>& points) {
  Bounds b;
  if (points.empty()) return b;
  b.lo = b.hi = points[0];
  for (const auto& p : points)
    for (size_t i = 0; i < p.size(); ++i) {
      b.lo[i] = std::min(b.lo[i], p[i]);
      b.hi[i] = std::max(b.hi[i], p[i]);
    }
  for (size_t i = 0; i < b.lo.size(); ++i)
    if (!(b.hi[i] > b.lo[i])) b.hi[i] = b.lo[i] + std::max(1.0, std::abs(b.lo[i]));
  return b;
}

namespace {

// Area dominated by 2-D points (x, y) below (rx, ry). In order of x, each point that lowers the
// best y so far adds the slab between its y and that best y, from its x to rx.
double area_2d(std::vector<std::pair<double, double>> pts, double rx, double ry) {
  std::sort(pts.begin(), pts.end());
  double area = 0, best_y = ry;
  for (const auto& [x, y] : pts)
    if (y < best_y) {
      area += (rx - x) * (best_y - y);
      best_y = y;
    }
  return area;
}

}  // namespace

double hypervolume(std::vector<std::vector<double>> points, const std::vector<double>& reference) {
  const size_t d = reference.size();
  if (d < 1 || d > 3) throw std::invalid_argument("hypervolume: 1 to 3 objectives");
  std::erase_if(points, [&](const std::vector<double>& p) {
    for (size_t i = 0; i < d; ++i)
      if (!(p[i] < reference[i])) return true;
    return false;
  });
  if (points.empty()) return 0;
  if (d == 1) {
    double best = reference[0];
    for (const auto& p : points) best = std::min(best, p[0]);
    return reference[0] - best;
  }
  auto project = [&](size_t upto) {
    std::vector<std::pair<double, double>> xy;
    for (size_t k = 0; k < upto; ++k) xy.emplace_back(points[k][0], points[k][1]);
    return xy;
  };
  if (d == 2) return area_2d(project(points.size()), reference[0], reference[1]);
  // 3-D: slice along the third axis; between consecutive z values the dominated cross-section is
  // the 2-D area of the points at or below that z.
  std::sort(points.begin(), points.end(), [](const auto& a, const auto& b) { return a[2] < b[2]; });
  double volume = 0;
  for (size_t k = 0; k < points.size(); ++k) {
    const double z_next = k + 1 < points.size() ? points[k + 1][2] : reference[2];
    if (z_next > points[k][2]) volume += area_2d(project(k + 1), reference[0], reference[1]) * (z_next - points[k][2]);
  }
  return volume;
}

}  // namespace uibnas::search
