#include "estimator/ridge_point_fit.hpp"

#include <cmath>

#include "common/error.hpp"
#include "common/statistics.hpp"
#include "estimator/metrics.hpp"

namespace uibnas::estimator {
namespace {

void check_inputs(const std::vector<RooflineTerms>& networks, const std::vector<double>& measured_ms) {
  if (networks.size() != measured_ms.size())
    throw common::InputError("ridge-point fit: " + std::to_string(networks.size()) + " networks but " +
                     std::to_string(measured_ms.size()) + " measurements");
  if (networks.size() < 3) throw common::InputError("ridge-point fit needs at least 3 measured networks");
  for (size_t i = 0; i < measured_ms.size(); ++i)
    if (!(measured_ms[i] > 0) || !(networks[i].total_macs > 0 || networks[i].total_bytes > 0))
      throw common::InputError("ridge-point fit: network " + std::to_string(i) + " has no work or no positive latency");
}

// ln(scale) = mean(ln m − ln E); returns the rms of the remaining log residuals.
double best_log_scale(const std::vector<double>& log_measured, const std::vector<double>& log_estimate,
                      double& log_scale) {
  std::vector<double> log_ratios;
  for (size_t i = 0; i < log_measured.size(); ++i) log_ratios.push_back(log_measured[i] - log_estimate[i]);
  log_scale = common::mean(log_ratios);
  for (double& r : log_ratios) r -= log_scale;
  return common::root_mean_square(log_ratios);
}

class Objective {
 public:
  Objective(const std::vector<RooflineTerms>& nets, const std::vector<double>& measured) : nets_(nets) {
    for (double m : measured) log_measured_.push_back(std::log(m));
    log_estimate_.resize(nets.size());
  }
  // rms log error at `rp`; the best ln(scale) in `log_scale`.
  double operator()(double rp, double& log_scale) {
    for (size_t i = 0; i < nets_.size(); ++i) log_estimate_[i] = std::log(mac_equivalents(nets_[i], rp));
    return best_log_scale(log_measured_, log_estimate_, log_scale);
  }

 private:
  const std::vector<RooflineTerms>& nets_;
  std::vector<double> log_measured_, log_estimate_;
};

std::vector<double> estimates_at(const std::vector<RooflineTerms>& nets, double rp) {
  std::vector<double> e;
  for (const auto& t : nets) e.push_back(mac_equivalents(t, rp));
  return e;
}

}  // namespace

nlohmann::json RidgePointFit::to_json() const {
  return {{"networks", count},
          {"ridge_point", ridge_point},
          {"ms_per_gmac", ms_per_gmac},
          {"effective_gmacs", effective_gmacs()},
          {"rms_log_error", rms_log_error},
          {"spearman_roofline", spearman_roofline},
          {"kendall_roofline", kendall_roofline},
          {"spearman_macs", spearman_macs},
          {"kendall_macs", kendall_macs}};
}

ScaleAtRidgePoint scale_at_ridge_point(const std::vector<RooflineTerms>& networks,
                                       const std::vector<double>& measured_ms, double ridge_point) {
  check_inputs(networks, measured_ms);
  Objective objective(networks, measured_ms);
  double log_scale = 0;
  ScaleAtRidgePoint s;
  s.ridge_point = ridge_point;
  s.rms_log_error = objective(ridge_point, log_scale);
  s.ms_per_gmac = std::exp(log_scale) * 1e9;
  s.spearman = spearman(measured_ms, estimates_at(networks, ridge_point));
  return s;
}

RidgePointFit fit_ridge_point(const std::vector<RooflineTerms>& networks, const std::vector<double>& measured_ms,
                              double max_rp) {
  check_inputs(networks, measured_ms);
  if (!(max_rp > 0)) throw common::InputError("ridge-point fit: the largest ridge point must be positive");
  Objective objective(networks, measured_ms);
  const double step = 0.1;
  double best_rp = 0, best_error = INFINITY, log_scale = 0;
  for (int i = 0; i * step <= max_rp + 1e-9; ++i) {
    const double rp = i * step;
    const double e = objective(rp, log_scale);
    if (e < best_error) best_error = e, best_rp = rp;
  }
  // Golden section inside the neighbouring grid cells (the objective is smooth there).
  double lo = std::max(0.0, best_rp - step), hi = std::min(max_rp, best_rp + step);
  const double g = (std::sqrt(5.0) - 1) / 2;
  double a = hi - g * (hi - lo), b = lo + g * (hi - lo);
  double fa = objective(a, log_scale), fb = objective(b, log_scale);
  for (int it = 0; it < 40; ++it) {
    if (fa < fb) hi = b, b = a, fb = fa, a = hi - g * (hi - lo), fa = objective(a, log_scale);
    else lo = a, a = b, fa = fb, b = lo + g * (hi - lo), fb = objective(b, log_scale);
  }
  const double refined = (lo + hi) / 2;
  if (objective(refined, log_scale) < best_error) best_rp = refined;

  RidgePointFit fit;
  fit.count = int(networks.size());
  fit.ridge_point = best_rp;
  fit.rms_log_error = objective(best_rp, log_scale);
  fit.ms_per_gmac = std::exp(log_scale) * 1e9;
  const std::vector<double> roofline = estimates_at(networks, best_rp), macs = estimates_at(networks, 0);
  fit.spearman_roofline = spearman(measured_ms, roofline);
  fit.kendall_roofline = kendall_tau_b(measured_ms, roofline);
  fit.spearman_macs = spearman(measured_ms, macs);
  fit.kendall_macs = kendall_tau_b(measured_ms, macs);
  objective(0, log_scale);
  fit.macs_ms_per_gmac = std::exp(log_scale) * 1e9;
  return fit;
}

}  // namespace uibnas::estimator
