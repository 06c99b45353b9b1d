#include "estimator/gap_decomposition.hpp"

#include "common/error.hpp"

namespace uibnas::estimator {
namespace {

// Ordinary least squares of y on x; the mean when x does not vary.
LinearTerm fit_line(const std::vector<double>& x, const std::vector<double>& y) {
  LinearTerm t;
  t.count = int(x.size());
  if (x.empty()) return t;
  double mx = 0, my = 0;
  for (size_t i = 0; i < x.size(); ++i) mx += x[i], my += y[i];
  mx /= double(x.size());
  my /= double(x.size());
  double sxx = 0, sxy = 0;
  for (size_t i = 0; i < x.size(); ++i) sxx += (x[i] - mx) * (x[i] - mx), sxy += (x[i] - mx) * (y[i] - my);
  t.slope = sxx > 1e-12 * (1 + mx * mx) ? sxy / sxx : 0;
  t.intercept = my - t.slope * mx;
  return t;
}

nlohmann::json term_json(const LinearTerm& t) {
  return {{"intercept_ms", t.intercept}, {"slope_ms", t.slope}, {"count", t.count}};
}

}  // namespace

GapComponents decompose_gap(const GapObservation& o) {
  GapComponents c;
  double in_context = 0;
  for (const PartUse& p : o.parts) {
    c.alone_ms += p.alone_ms;
    in_context += p.in_context_ms;
  }
  c.in_context_ms = in_context - c.alone_ms;
  c.outside_ms = o.outside_ms;
  c.step_timing_ms = o.stepped_ms - in_context - o.outside_ms;
  c.overlap_ms = o.network_ms - o.stepped_ms;
  return c;
}

GapModel fit_gap_model(const std::vector<GapObservation>& observations, double cache_mb) {
  if (observations.empty()) throw common::InputError("gap model: no networks to fit");
  if (!(cache_mb > 0)) throw common::InputError("gap model: the cache size must be positive");
  std::vector<double> wx_in, dy_in, wx_out, dy_out, parts_x, rest_y;
  for (const GapObservation& o : observations) {
    const bool fits = o.weight_mb <= cache_mb;
    for (const PartUse& p : o.parts) {
      (fits ? wx_in : wx_out).push_back(p.weight_mb);
      (fits ? dy_in : dy_out).push_back(p.in_context_ms - p.alone_ms);
    }
    const GapComponents c = decompose_gap(o);
    parts_x.push_back(double(o.parts.size()));
    rest_y.push_back(c.outside_ms + c.step_timing_ms + c.overlap_ms);
  }
  GapModel m;
  m.cache_mb = cache_mb;
  m.part_in_cache = fit_line(wx_in, dy_in);
  m.part_out_cache = fit_line(wx_out, dy_out);
  m.network = fit_line(parts_x, rest_y);
  return m;
}

nlohmann::json GapModel::to_json() const {
  return {{"cache_mb", cache_mb},
          {"part_in_cache", term_json(part_in_cache)},
          {"part_out_of_cache", term_json(part_out_cache)},
          {"network", term_json(network)}};
}

}  // namespace uibnas::estimator
