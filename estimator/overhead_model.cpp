#include "estimator/overhead_model.hpp"

#include <cmath>
#include <cstdio>

#include "common/error.hpp"
#include "common/statistics.hpp"

namespace uibnas::estimator {
namespace {

struct FormSpec {
  const char* name;
  bool constant, proportional, per_part, cache;
  int unknowns() const { return constant + proportional + per_part + (cache ? 3 : 0); }  // a, b, c, k + two knots
};
constexpr FormSpec kForms[] = {
    {"constant", true, false, false, false},
    {"scale", false, true, false, false},
    {"proportional", true, true, false, false},
    {"cache", true, false, false, true},
    {"cache+proportional", true, true, false, true},
    {"cache+per-part", true, false, true, true},
};

const FormSpec* find_form(const std::string& name) {
  for (const auto& f : kForms)
    if (name == f.name) return &f;
  return nullptr;
}

std::vector<double> knot_grid() {
  std::vector<double> g;
  for (int k = 0; k <= 20; ++k) g.push_back(std::pow(2.0, k / 2.0));  // 1 MB .. 1024 MB
  return g;
}

// Weighted least squares by normal equations (at most four unknowns); false when singular.
bool solve_weighted(const std::vector<std::vector<double>>& rows, const std::vector<double>& y,
                    const std::vector<double>& w, std::vector<double>& beta) {
  const size_t p = rows.empty() ? 0 : rows[0].size();
  std::vector<std::vector<double>> a(p, std::vector<double>(p + 1, 0.0));
  for (size_t i = 0; i < rows.size(); ++i)
    for (size_t r = 0; r < p; ++r) {
      for (size_t c = 0; c < p; ++c) a[r][c] += w[i] * rows[i][r] * rows[i][c];
      a[r][p] += w[i] * rows[i][r] * y[i];
    }
  for (size_t col = 0; col < p; ++col) {
    size_t pivot = col;
    for (size_t r = col + 1; r < p; ++r)
      if (std::abs(a[r][col]) > std::abs(a[pivot][col])) pivot = r;
    std::swap(a[col], a[pivot]);
    double scale = 0;
    for (size_t c = 0; c < p; ++c) scale = std::max(scale, std::abs(a[col][c]));
    if (scale == 0 || std::abs(a[col][col]) < 1e-12 * scale) return false;
    for (size_t r = 0; r < p; ++r) {
      if (r == col) continue;
      const double f = a[r][col] / a[col][col];
      for (size_t c = col; c <= p; ++c) a[r][c] -= f * a[col][c];
    }
  }
  beta.assign(p, 0);
  for (size_t r = 0; r < p; ++r) beta[r] = a[r][p] / a[r][r];
  return true;
}

// Fits one form with fixed knots on the networks in `use`; returns the weighted squared error (inf if singular).
double fit_with_knots(const FormSpec& form, double low, double high, const std::vector<NetworkFeatures>& nets,
                      const std::vector<double>& measured, const std::vector<size_t>& use, OverheadModel& out) {
  OverheadModel m;
  m.form = form.name;
  m.cache_low_mb = low;
  m.cache_high_mb = high;
  m.miss_ms_per_mb = 1;  // makes miss_fraction() evaluate the ramp
  std::vector<std::vector<double>> rows;
  std::vector<double> y, w;
  for (size_t i : use) {
    std::vector<double> r;
    if (form.constant) r.push_back(1.0);
    if (form.proportional) r.push_back(nets[i].parts_ms);
    if (form.per_part) r.push_back(nets[i].parts);
    if (form.cache) r.push_back(nets[i].weight_mb * m.miss_fraction(nets[i].weight_mb));
    rows.push_back(std::move(r));
    y.push_back(measured[i] - nets[i].parts_ms);
    w.push_back(1 / (measured[i] * measured[i]));
  }
  std::vector<double> beta;
  if (!solve_weighted(rows, y, w, beta)) return INFINITY;
  size_t k = 0;
  m.constant_ms = form.constant ? beta[k++] : 0;
  m.proportional = form.proportional ? beta[k++] : 0;
  m.per_part_ms = form.per_part ? beta[k++] : 0;
  m.miss_ms_per_mb = form.cache ? beta[k++] : 0;
  if (!form.cache) m.cache_low_mb = m.cache_high_mb = 0;
  double sse = 0;
  for (size_t i : use) {
    const double r = (nets[i].parts_ms + m(nets[i]) - measured[i]) / measured[i];
    sse += r * r;
  }
  out = m;
  return sse;
}

double fit_form(const FormSpec& form, const std::vector<NetworkFeatures>& nets, const std::vector<double>& measured,
                const std::vector<size_t>& use, OverheadModel& out) {
  if (!form.cache) return fit_with_knots(form, 0, 0, nets, measured, use, out);
  static const std::vector<double> grid = knot_grid();
  double best = INFINITY;
  for (size_t lo = 0; lo < grid.size(); ++lo)
    for (size_t hi = lo; hi < grid.size(); ++hi) {
      OverheadModel m;
      const double e = fit_with_knots(form, grid[lo], grid[hi], nets, measured, use, m);
      if (e < best) best = e, out = m;
    }
  return best;
}

double rmspe(const std::vector<NetworkFeatures>& nets, const std::vector<double>& measured, const OverheadModel* m) {
  if (nets.empty()) return 0;
  std::vector<double> relative;
  for (size_t i = 0; i < nets.size(); ++i)
    relative.push_back((nets[i].parts_ms + (m ? (*m)(nets[i]) : 0) - measured[i]) / measured[i]);
  return 100 * common::root_mean_square(relative);
}

void check(const std::vector<NetworkFeatures>& nets, const std::vector<double>& measured) {
  if (nets.size() != measured.size())
    throw common::InputError("overhead fit: " + std::to_string(nets.size()) + " networks but " +
                     std::to_string(measured.size()) + " measurements");
  for (size_t i = 0; i < measured.size(); ++i)
    if (!(measured[i] > 0)) throw common::InputError("overhead fit: measurement " + std::to_string(i) + " is not positive");
}

std::vector<size_t> all_indices(size_t n) {
  std::vector<size_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

}  // namespace

std::string OverheadModel::describe() const {
  char buf[256];
  const FormSpec* spec = find_form(form);
  if (!spec) return form;
  std::string s = form + ":";
  if (spec->constant) s += (std::snprintf(buf, sizeof buf, " %+.3f ms", constant_ms), buf);
  if (spec->proportional) s += (std::snprintf(buf, sizeof buf, " %+.2f%% of parts", 100 * proportional), buf);
  if (spec->per_part) s += (std::snprintf(buf, sizeof buf, " %+.4f ms/part", per_part_ms), buf);
  if (spec->cache && cache_high_mb > cache_low_mb)
    s += (std::snprintf(buf, sizeof buf, " %+.4f ms/MB x W x miss(W), miss 0 at %.1f MB .. 1 at %.1f MB",
                        miss_ms_per_mb, cache_low_mb, cache_high_mb),
          buf);
  else if (spec->cache)
    s += (std::snprintf(buf, sizeof buf, " %+.4f ms/MB x W for W >= %.1f MB", miss_ms_per_mb, cache_low_mb), buf);
  return s;
}

nlohmann::json OverheadModel::to_json() const {
  return {{"form", form},
          {"constant_ms", constant_ms},
          {"per_part_ms", per_part_ms},
          {"proportional", proportional},
          {"miss_ms_per_mb", miss_ms_per_mb},
          {"cache_low_mb", cache_low_mb},
          {"cache_high_mb", cache_high_mb},
          {"description", describe()}};
}

nlohmann::json OverheadFit::to_json() const {
  nlohmann::json forms = nlohmann::json::array();
  for (const auto& f : considered) forms.push_back({{"form", f.form}, {"loo_rmspe_percent", f.loo_rmspe}});
  return {{"model", model.to_json()},
          {"networks", count},
          {"rmspe_parts_only_percent", rmspe_parts_only},
          {"rmspe_fitted_percent", rmspe_fitted},
          {"loo_rmspe_percent", loo_rmspe},
          {"forms_considered", forms}};
}

OverheadModel fit_overhead_form(const std::string& form, const std::vector<NetworkFeatures>& networks,
                                const std::vector<double>& measured_ms) {
  check(networks, measured_ms);
  const FormSpec* f = find_form(form);
  if (!f) throw common::InputError("unknown overhead form '" + form + "'");
  if (int(networks.size()) < f->unknowns())
    throw common::InputError("overhead form '" + form + "' needs at least " + std::to_string(f->unknowns()) + " networks");
  OverheadModel m;
  if (!std::isfinite(fit_form(*f, networks, measured_ms, all_indices(networks.size()), m)))
    throw common::InputError("overhead form '" + form + "' cannot be fitted: the networks do not tell its terms apart");
  return m;
}

OverheadFit fit_overhead(const std::vector<NetworkFeatures>& networks, const std::vector<double>& measured_ms) {
  check(networks, measured_ms);
  OverheadFit fit;
  fit.count = int(networks.size());
  fit.rmspe_parts_only = rmspe(networks, measured_ms, nullptr);
  fit.rmspe_fitted = fit.rmspe_parts_only;
  fit.loo_rmspe = fit.rmspe_parts_only;  // "none" predicts every network without fitting anything
  const size_t n = networks.size();
  double best_loo = fit.rmspe_parts_only;
  for (const FormSpec& form : kForms) {
    if (int(n) < form.unknowns() + 2) continue;  // leave-one-out needs spare networks
    std::vector<double> left_out_relative;
    bool ok = true;
    for (size_t out = 0; out < n && ok; ++out) {
      std::vector<size_t> use;
      for (size_t i = 0; i < n; ++i)
        if (i != out) use.push_back(i);
      OverheadModel m;
      ok = std::isfinite(fit_form(form, networks, measured_ms, use, m));
      left_out_relative.push_back((networks[out].parts_ms + m(networks[out]) - measured_ms[out]) / measured_ms[out]);
    }
    if (!ok) continue;
    const double loo = 100 * common::root_mean_square(left_out_relative);
    fit.considered.push_back({form.name, loo});
    // A richer form must predict clearly better (2% of the error, and more than rounding) to be kept.
    if (loo < best_loo * 0.98 - 1e-6) {
      best_loo = loo;
      fit_form(form, networks, measured_ms, all_indices(n), fit.model);
      fit.loo_rmspe = loo;
      fit.rmspe_fitted = rmspe(networks, measured_ms, &fit.model);
    }
  }
  return fit;
}

}  // namespace uibnas::estimator
