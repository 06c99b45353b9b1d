#include "search/proxy_measures.hpp"

#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace uibnas::search {

NaswotKernel::NaswotKernel(int batch) : batch_(batch), k_(Eigen::MatrixXd::Zero(batch, batch)) {
  if (batch < 1) throw std::invalid_argument("NaswotKernel: batch must be positive");
}

// Codes packed 64 to a word, so that agreements are units minus the popcount of the XOR.
void NaswotKernel::add_layer(const float* values, std::size_t units) {
  const std::size_t words = (units + 63) / 64;
  bits_.assign(std::size_t(batch_) * words, 0);
  for (int n = 0; n < batch_; ++n) {
    const float* x = values + std::size_t(n) * units;
    std::uint64_t* out = bits_.data() + std::size_t(n) * words;
    for (std::size_t w = 0; w < words; ++w) {
      const std::size_t begin = w * 64, count = std::min<std::size_t>(64, units - begin);
      std::uint64_t word = 0;
      for (std::size_t b = 0; b < count; ++b) word |= std::uint64_t(x[begin + b] > 0.0f) << b;
      out[w] = word;
    }
  }
  for (int i = 0; i < batch_; ++i)
    for (int j = i; j < batch_; ++j) {
      const std::uint64_t* a = bits_.data() + std::size_t(i) * words;
      const std::uint64_t* b = bits_.data() + std::size_t(j) * words;
      std::size_t hamming = 0;
      for (std::size_t w = 0; w < words; ++w) hamming += std::size_t(std::popcount(a[w] ^ b[w]));
      k_(i, j) += double(units - hamming);
      if (i != j) k_(j, i) += double(units - hamming);
    }
}

double NaswotKernel::log_abs_det() const {
  const Eigen::PartialPivLU<Eigen::MatrixXd> lu(k_);
  double log_det = 0;
  for (Eigen::Index i = 0; i < k_.rows(); ++i) {
    const double u = std::abs(lu.matrixLU()(i, i));
    if (u == 0) return -std::numeric_limits<double>::infinity();
    log_det += std::log(u);
  }
  return log_det;
}

double min_correlation_eigenvalue(const float* values, std::size_t positions, std::size_t channels) {
  if (channels == 0 || positions == 0) throw std::invalid_argument("min_correlation_eigenvalue: empty feature map");
  if (channels >= positions) return 0.0;
  // z[c][p]: each channel centred and scaled to unit norm, so that z z^T is the correlation matrix.
  Eigen::MatrixXd z(channels, positions);
  for (std::size_t p = 0; p < positions; ++p)
    for (std::size_t c = 0; c < channels; ++c) z(Eigen::Index(c), Eigen::Index(p)) = values[p * channels + c];
  for (Eigen::Index c = 0; c < z.rows(); ++c) {
    z.row(c).array() -= z.row(c).mean();
    const double norm = z.row(c).norm();
    if (norm == 0) return 0.0;
    z.row(c) /= norm;
  }
  Eigen::MatrixXd r = Eigen::MatrixXd::Zero(z.rows(), z.rows());
  r.selfadjointView<Eigen::Lower>().rankUpdate(z);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(r, Eigen::EigenvaluesOnly);
  return solver.eigenvalues().minCoeff();
}

double mean_frobenius_distance(const std::vector<float>& a, const std::vector<float>& b, int batch) {
  if (a.size() != b.size() || batch < 1 || a.size() % std::size_t(batch) != 0)
    throw std::invalid_argument("mean_frobenius_distance: tensors of different or uneven sizes");
  const std::size_t per_sample = a.size() / std::size_t(batch);
  double total = 0;
  for (int n = 0; n < batch; ++n) {
    double sq = 0;
    for (std::size_t i = n * per_sample; i < (n + 1) * per_sample; ++i) sq += std::pow(double(a[i]) - double(b[i]), 2);
    total += std::sqrt(sq);
  }
  return total / batch;
}

double log_sqrt_mean_variance(const std::vector<double>& variance) {
  if (variance.empty()) throw std::invalid_argument("log_sqrt_mean_variance: no channels");
  double sum = 0;
  for (double v : variance) sum += v;
  return 0.5 * std::log(sum / double(variance.size()));
}

}  // namespace uibnas::search
