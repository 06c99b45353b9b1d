#include "reports/ridge_point_sweep.hpp"

#include <algorithm>
#include <cmath>

#include "common/error.hpp"
#include "reports/top1_front.hpp"

namespace uibnas::reports {

std::vector<std::string> pareto_at_ridge_point(const std::vector<SweepModel>& models, double ridge_point) {
  std::vector<ModelPoint> points;
  for (const SweepModel& m : models) points.push_back({m.name, estimator::mac_equivalents(m.terms, ridge_point), m.top1});
  const std::vector<std::optional<Domination>> dominated = top1_latency_front(points);
  std::vector<std::string> front;
  for (std::size_t i = 0; i < models.size(); ++i)
    if (!dominated[i]) front.push_back(models[i].name);
  return front;
}

RidgePointSweep sweep_ridge_points(const std::vector<SweepModel>& models, double from, double to, double step) {
  if (!(std::isfinite(from) && std::isfinite(to) && from >= 0 && to >= from))
    throw common::InputError("ridge-point sweep: the range must be FROM:TO with 0 <= FROM <= TO");
  if (!(std::isfinite(step) && step > 0)) throw common::InputError("ridge-point sweep: the step must be positive");
  RidgePointSweep s;
  s.from = from, s.to = to, s.step = step;
  const long long count = std::llround(std::floor((to - from) / step + 1e-9)) + 1;
  if (count > 1000000) throw common::InputError("ridge-point sweep: more than 1,000,000 ridge points; use a larger step");
  for (long long i = 0; i < count; ++i) s.ridge_points.push_back(from + double(i) * step);
  std::map<std::string, bool> open;
  for (double rp : s.ridge_points) {
    s.pareto.push_back(pareto_at_ridge_point(models, rp));
    for (const SweepModel& m : models) {
      const bool on = std::find(s.pareto.back().begin(), s.pareto.back().end(), m.name) != s.pareto.back().end();
      auto& ranges = s.ranges[m.name];
      if (on && open[m.name]) ranges.back().second = rp;
      else if (on) ranges.push_back({rp, rp});
      open[m.name] = on;
    }
  }
  return s;
}

std::vector<SweepMark> paper_ridge_point_marks() { return {{"Pixel 6 CPU", 31.2}, {"S23 CPU", 39.7}}; }

}  // namespace uibnas::reports
