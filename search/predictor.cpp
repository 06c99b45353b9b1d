#include "search/predictor.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "arch_defs/catalogue.hpp"
#include "common/error.hpp"
#include "common/input_file.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/encoding.hpp"

namespace uibnas::search {

std::vector<std::string> feature_names() {
  std::vector<std::string> names = {"resolution", "gmacs", "mparams"};
  for (int s = 0; s < kMaxStages; ++s)
    for (const char* f : {"depth", "width", "expansion"}) names.push_back("stage" + std::to_string(s) + "." + f);
  for (const char* k : {"kernels3", "kernels5", "kernels7plus"}) names.push_back(k);
  return names;
}

std::vector<double> architecture_features(const arch_defs::Network& net, int resolution,
                                          const arch_defs::ParamsMacs& costs) {
  std::vector<double> f(kPredictorFeatures, 0.0);
  f[0] = resolution;
  f[1] = double(costs.macs) / 1e9;
  f[2] = double(costs.params) / 1e6;
  std::vector<int> expanded(kMaxStages, 0);
  auto count_kernel = [&](int k) {
    if (k > 0) f[size_t(3 + 3 * kMaxStages + (k <= 3 ? 0 : k <= 5 ? 1 : 2))] += 1;
  };
  for (const arch_defs::LayerConfig& b : net.blocks) {
    if (b.stage < 0 || b.stage >= kMaxStages) continue;
    double* stage = &f[size_t(3 + 3 * b.stage)];
    stage[0] += 1;
    stage[1] = b.out_channels;
    if (b.type == arch_defs::BlockType::FusedIB || b.type == arch_defs::BlockType::UIB) {
      stage[2] += double(b.mid_channels) / double(b.in_channels);
      ++expanded[size_t(b.stage)];
    }
    if (b.type == arch_defs::BlockType::UIB) count_kernel(b.start_kernel);
    if (b.type != arch_defs::BlockType::MQA) count_kernel(b.kernel);
  }
  for (int s = 0; s < kMaxStages; ++s)
    if (expanded[size_t(s)] > 0) f[size_t(3 + 3 * s + 2)] /= expanded[size_t(s)];
  return f;
}

double RidgeFit::predict(const std::vector<double>& features) const {
  double y = intercept;
  for (int i = 0; i < weights.size(); ++i)
    if (scale[i] > 0) y += weights[i] * (features[size_t(i)] - mean[i]) / scale[i];
  return y;
}

RidgeFit fit_ridge(const std::vector<std::vector<double>>& features, const std::vector<double>& targets, double lambda) {
  const int n = int(features.size());
  if (n < 3) throw common::InputError("a predictor needs at least 3 rows to fit, got " + std::to_string(n));
  const int p = int(features[0].size());
  Eigen::MatrixXd x(n, p);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < p; ++c) x(r, c) = features[size_t(r)][size_t(c)];
  const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(targets.data(), n);
  RidgeFit fit;
  fit.rows = n;
  fit.mean = x.colwise().mean().transpose();
  fit.scale = Eigen::VectorXd::Zero(p);
  Eigen::MatrixXd z = x.rowwise() - fit.mean.transpose();
  for (int c = 0; c < p; ++c) {
    const double sd = std::sqrt(z.col(c).squaredNorm() / n);
    fit.scale[c] = sd > 1e-12 ? sd : 0;
    z.col(c) = sd > 1e-12 ? Eigen::VectorXd(z.col(c) / sd) : Eigen::VectorXd::Zero(n);
  }
  fit.intercept = y.mean();
  const Eigen::VectorXd yc = y.array() - fit.intercept;
  const Eigen::MatrixXd a = z.transpose() * z + lambda * Eigen::MatrixXd::Identity(p, p);
  const Eigen::LDLT<Eigen::MatrixXd> solver(a);
  fit.weights = solver.solve(z.transpose() * yc);
  // Leave-one-out residual of row i: r_i / (1 − h_ii), h_ii = 1/n (intercept) + z_i (ZᵀZ + λI)⁻¹ z_iᵀ.
  const Eigen::MatrixXd a_inv_zt = solver.solve(z.transpose());
  double se = 0, ae = 0;
  for (int i = 0; i < n; ++i) {
    const double h = 1.0 / n + z.row(i).dot(a_inv_zt.col(i));
    const double r = (yc[i] - z.row(i).dot(fit.weights)) / (1 - h);
    se += r * r;
    ae += std::abs(r);
  }
  fit.loo_rmse = std::sqrt(se / n);
  fit.loo_mae = ae / n;
  return fit;
}

namespace {

std::string trim(std::string s) {
  const auto not_space = [](unsigned char ch) { return !std::isspace(ch); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

arch_defs::Architecture row_architecture(const std::string& what, const searchspace::SearchSpace& space) {
  if (what.rfind(space.id() + ":", 0) == 0) return searchspace::to_architecture(space, searchspace::decode(space, what));
  return arch_defs::resolve_architecture(what);
}

}  // namespace

PredictorObjective::PredictorObjective(const std::string& csv_path, const searchspace::SearchSpace& space)
    : path_(csv_path) {
  std::istringstream in(common::read_input_file(csv_path, "the predictor's training file"));
  std::vector<std::vector<double>> features;
  std::vector<double> targets;
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    line = trim(line);
    if (line.empty()) continue;
    const auto comma = line.rfind(',');
    const std::string where = csv_path + ":" + std::to_string(line_no);
    if (comma == std::string::npos) throw common::InputError(where + ": expected 'architecture-or-encoding,top1'");
    const std::string what = trim(line.substr(0, comma)), top1 = trim(line.substr(comma + 1));
    char* end = nullptr;
    const double value = std::strtod(top1.c_str(), &end);
    if (end == top1.c_str() || *end != '\0') {
      if (targets.empty() && features.empty()) continue;  // a header row
      throw common::InputError(where + ": top-1 '" + top1 + "' is not a number");
    }
    try {
      const arch_defs::Architecture arch = row_architecture(what, space);
      const arch_defs::Network net = arch_defs::build_network(arch);
      features.push_back(architecture_features(net, arch.input_size, arch_defs::network_params_macs(net, arch.input_size)));
    } catch (const common::InputError& e) {
      throw common::InputError(common::with_context(where, e.what()));
    }
    targets.push_back(value);
  }
  try {
    fit_ = fit_ridge(features, targets);
  } catch (const common::InputError& e) {
    throw common::InputError(common::with_context(csv_path, e.what()));
  }
}

double PredictorObjective::value(const Candidate& c) const {
  return fit_.predict(architecture_features(c.network(), c.resolution(), c.params_macs()));
}

}  // namespace uibnas::search
