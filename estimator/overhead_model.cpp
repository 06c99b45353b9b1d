#include "estimator/overhead_model.hpp"

#include <algorithm>
#include <array>
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
    {"per-part+scale", false, true, true, false},
};

const FormSpec* find_form(const std::string& name) {
  for (const auto& f : kForms)
    if (name == f.name) return &f;
  return nullptr;
}

std::vector<size_t> all_indices(size_t n) {
  std::vector<size_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

std::vector<double> knot_grid() {
  std::vector<double> g;
  for (int k = 0; k <= 20; ++k) g.push_back(std::pow(2.0, k / 2.0));  // 1 MB .. 1024 MB
  return g;
}

// The weighted normal equations of one form with fixed knots, Σ over networks of w·x·xᵀ, w·x·y and
// w·y²: a fit on any subset of the networks is these sums, and leaving one network out is
// subtracting its row, so leave-one-out costs O(networks), not O(networks²).
struct NormalEquations {
  int p = 0;               // unknowns, at most four
  double a[4][4] = {}, b[4] = {}, yy = 0;

  void add(const std::array<double, 4>& x, double y, double w, double sign) {
    for (int r = 0; r < p; ++r) {
      for (int c = 0; c < p; ++c) a[r][c] += sign * w * x[r] * x[c];
      b[r] += sign * w * x[r] * y;
    }
    yy += sign * w * y * y;
  }

  // Gauss-Jordan with partial pivoting; false when singular.
  bool solve(std::array<double, 4>& beta) const {
    double m[4][5];
    for (int r = 0; r < p; ++r) {
      for (int c = 0; c < p; ++c) m[r][c] = a[r][c];
      m[r][p] = b[r];
    }
    for (int col = 0; col < p; ++col) {
      int pivot = col;
      for (int r = col + 1; r < p; ++r)
        if (std::abs(m[r][col]) > std::abs(m[pivot][col])) pivot = r;
      std::swap(m[col], m[pivot]);
      double scale = 0;
      for (int c = 0; c < p; ++c) scale = std::max(scale, std::abs(m[col][c]));
      if (scale == 0 || std::abs(m[col][col]) < 1e-12 * scale) return false;
      for (int r = 0; r < p; ++r) {
        if (r == col) continue;
        const double f = m[r][col] / m[col][col];
        for (int c = col; c <= p; ++c) m[r][c] -= f * m[col][c];
      }
    }
    for (int r = 0; r < p; ++r) beta[r] = m[r][p] / m[r][r];
    return true;
  }

  // Σ w·(β·x − y)² of the rows summed in, from the sums alone.
  double squared_error(const std::array<double, 4>& beta) const {
    double e = yy;
    for (int r = 0; r < p; ++r) {
      e -= 2 * beta[r] * b[r];
      for (int c = 0; c < p; ++c) e += beta[r] * a[r][c] * beta[c];
    }
    return std::max(e, 0.0);
  }
};

// One form with fixed knots: each network's row of regressors (constant, Σ entries, parts, W·miss(W)),
// its residual y = measured − Σ entries and its weight 1 / measured².
class FixedKnots {
 public:
  FixedKnots(const FormSpec& form, double low, double high, const std::vector<NetworkFeatures>& nets,
             const std::vector<double>& measured)
      : form_(form) {
    ramp_.form = form.name;
    ramp_.cache_low_mb = low;
    ramp_.cache_high_mb = high;
    ramp_.miss_ms_per_mb = 1;  // makes miss_fraction() evaluate the ramp
    for (size_t i = 0; i < nets.size(); ++i) {
      std::array<double, 4> r{};
      int k = 0;
      if (form.constant) r[k++] = 1.0;
      if (form.proportional) r[k++] = nets[i].parts_ms;
      if (form.per_part) r[k++] = nets[i].parts;
      if (form.cache) r[k++] = nets[i].weight_mb * ramp_.miss_fraction(nets[i].weight_mb);
      rows_.push_back(r);
      y_.push_back(measured[i] - nets[i].parts_ms);
      w_.push_back(1 / (measured[i] * measured[i]));
    }
  }

  NormalEquations sums(const std::vector<size_t>& use) const {
    NormalEquations n;
    n.p = form_.unknowns() - (form_.cache ? 2 : 0);
    for (size_t i : use) n.add(rows_[i], y_[i], w_[i], 1);
    return n;
  }
  NormalEquations without(NormalEquations n, size_t i) const {
    n.add(rows_[i], y_[i], w_[i], -1);
    return n;
  }

  // Solves `n` into `out`; returns the weighted squared error of the rows in `n` (inf if singular).
  double fit(const NormalEquations& n, OverheadModel& out) const {
    std::array<double, 4> beta{};
    if (!n.solve(beta)) return INFINITY;
    OverheadModel m = ramp_;
    size_t k = 0;
    m.constant_ms = form_.constant ? beta[k++] : 0;
    m.proportional = form_.proportional ? beta[k++] : 0;
    m.per_part_ms = form_.per_part ? beta[k++] : 0;
    m.miss_ms_per_mb = form_.cache ? beta[k++] : 0;
    if (!form_.cache) m.cache_low_mb = m.cache_high_mb = 0;
    out = m;
    return n.squared_error(beta);
  }

 private:
  const FormSpec& form_;
  OverheadModel ramp_;
  std::vector<std::array<double, 4>> rows_;
  std::vector<double> y_, w_;
};

// The knot pairs a form searches: none without the cache term, else the half-octave grid (low <= high).
std::vector<std::pair<double, double>> knot_pairs(const FormSpec& form) {
  if (!form.cache) return {{0, 0}};
  static const std::vector<double> grid = knot_grid();
  std::vector<std::pair<double, double>> pairs;
  for (size_t lo = 0; lo < grid.size(); ++lo)
    for (size_t hi = lo; hi < grid.size(); ++hi) pairs.emplace_back(grid[lo], grid[hi]);
  return pairs;
}

// The form fitted on the networks in `use`, knots chosen by the smallest error; returns that error.
double fit_form(const FormSpec& form, const std::vector<NetworkFeatures>& nets, const std::vector<double>& measured,
                const std::vector<size_t>& use, OverheadModel& out) {
  double best = INFINITY;
  for (const auto& [low, high] : knot_pairs(form)) {
    const FixedKnots knots(form, low, high, nets, measured);
    OverheadModel m;
    const double e = knots.fit(knots.sums(use), m);
    if (e < best) best = e, out = m;
  }
  return best;
}

// fit_form on every set of all networks but one: the model fitted without network i, for each i.
// False when a fold cannot be fitted.
bool leave_one_out_models(const FormSpec& form, const std::vector<NetworkFeatures>& nets,
                          const std::vector<double>& measured, std::vector<OverheadModel>& models) {
  const size_t n = nets.size();
  std::vector<double> best(n, INFINITY);
  models.assign(n, OverheadModel{});
  for (const auto& [low, high] : knot_pairs(form)) {
    const FixedKnots knots(form, low, high, nets, measured);
    const NormalEquations all = knots.sums(all_indices(n));
    for (size_t out = 0; out < n; ++out) {
      OverheadModel m;
      const double e = knots.fit(knots.without(all, out), m);
      if (e < best[out]) best[out] = e, models[out] = m;
    }
  }
  for (double e : best)
    if (!std::isfinite(e)) return false;
  return true;
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

namespace {

// The kept model with few networks: b·Σ entries, b the median of measured / Σ entries − 1; and the
// median of all ratios but one, for leave-one-out, from the sorted ratios.
double median_without(const std::vector<double>& sorted, size_t skip_rank) {
  const size_t m = sorted.size() - 1;  // values left
  auto at = [&](size_t k) { return sorted[k < skip_rank ? k : k + 1]; };
  return m % 2 == 1 ? at(m / 2) : (at(m / 2 - 1) + at(m / 2)) / 2;
}

OverheadModel scale_model(double b) {
  OverheadModel m;
  m.form = "scale";
  m.proportional = b;
  return m;
}

// The kept model with enough networks: c·parts + b·Σ entries by relative least squares on `use`,
// refitted once without the networks whose relative residual lies far out (a network measured in a
// slowed stretch), so that one such network does not move the fit.
constexpr size_t kPerPartMinNetworks = 4;

OverheadModel robust_per_part_scale(const FixedKnots& rows, const std::vector<NetworkFeatures>& nets,
                                    const std::vector<double>& measured, const std::vector<size_t>& use) {
  OverheadModel m;
  if (!std::isfinite(rows.fit(rows.sums(use), m))) return m;
  std::vector<double> rel;
  for (size_t i : use) rel.push_back((nets[i].parts_ms + m(nets[i]) - measured[i]) / measured[i]);
  const double mid = common::median(rel);
  std::vector<double> dev;
  for (double r : rel) dev.push_back(std::abs(r - mid));
  const double limit = std::max(3 * 1.4826 * common::median(dev), 0.05);
  std::vector<size_t> kept;
  for (size_t k = 0; k < use.size(); ++k)
    if (dev[k] <= limit) kept.push_back(use[k]);
  if (kept.size() == use.size() || kept.size() < kPerPartMinNetworks - 1) return m;
  OverheadModel refit;
  return std::isfinite(rows.fit(rows.sums(kept), refit)) ? refit : m;
}

}  // namespace

OverheadFit fit_overhead(const std::vector<NetworkFeatures>& networks, const std::vector<double>& measured_ms) {
  check(networks, measured_ms);
  OverheadFit fit;
  fit.count = int(networks.size());
  fit.rmspe_parts_only = rmspe(networks, measured_ms, nullptr);
  fit.rmspe_fitted = fit.rmspe_parts_only;
  fit.loo_rmspe = fit.rmspe_parts_only;
  const size_t n = networks.size();
  if (n == 0) return fit;
  std::vector<double> left_out_relative(n);
  if (n < kPerPartMinNetworks) {
    std::vector<double> ratios;
    for (size_t i = 0; i < n; ++i) ratios.push_back(measured_ms[i] / networks[i].parts_ms - 1);
    std::vector<size_t> order = all_indices(n);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ratios[a] < ratios[b]; });
    std::vector<double> sorted;
    for (size_t i : order) sorted.push_back(ratios[i]);
    fit.model = scale_model(common::median(ratios));
    for (size_t rank = 0; rank < n; ++rank) {
      const size_t i = order[rank];
      const double b = n >= 2 ? median_without(sorted, rank) : fit.model.proportional;
      left_out_relative[i] = (networks[i].parts_ms * (1 + b) - measured_ms[i]) / measured_ms[i];
    }
  } else {
    const FixedKnots rows(*find_form("per-part+scale"), 0, 0, networks, measured_ms);
    fit.model = robust_per_part_scale(rows, networks, measured_ms, all_indices(n));
    std::vector<size_t> others;
    for (size_t out = 0; out < n; ++out) {
      others.clear();
      for (size_t i = 0; i < n; ++i)
        if (i != out) others.push_back(i);
      const OverheadModel m = robust_per_part_scale(rows, networks, measured_ms, others);
      left_out_relative[out] = (networks[out].parts_ms + m(networks[out]) - measured_ms[out]) / measured_ms[out];
    }
  }
  fit.rmspe_fitted = rmspe(networks, measured_ms, &fit.model);
  fit.loo_rmspe = 100 * common::root_mean_square(left_out_relative);
  // The other least-squares forms, scored the same way, for comparison only.
  for (const FormSpec& form : kForms) {
    if (int(n) < form.unknowns() + 2) continue;  // leave-one-out needs spare networks
    std::vector<OverheadModel> folds;
    if (!leave_one_out_models(form, networks, measured_ms, folds)) continue;
    std::vector<double> relative;
    for (size_t out = 0; out < n; ++out)
      relative.push_back((networks[out].parts_ms + folds[out](networks[out]) - measured_ms[out]) / measured_ms[out]);
    fit.considered.push_back({form.name, 100 * common::root_mean_square(relative)});
  }
  return fit;
}

}  // namespace uibnas::estimator
