// The arithmetic of each proxy on the tensors the proxy executor exposes, separate from running the
// network so that each can be tested against a hand computation.
#pragma once
#include <cstdint>
#include <vector>

#include <Eigen/Dense>

namespace uibnas::search {

// NASWOT's kernel: K[i][j] = sum over units of [code_i == code_j], accumulated layer by layer. A unit's
// code is "value > 0" (for ReLU, ReLU6, GELU and hard swish alike: their output is positive exactly
// where their input is).
class NaswotKernel {
 public:
  explicit NaswotKernel(int batch);
  // values: [batch][units] of one layer.
  void add_layer(const float* values, std::size_t units_per_sample);
  const Eigen::MatrixXd& kernel() const { return k_; }
  // log|det K| (numpy's slogdet magnitude); -inf when K is singular.
  double log_abs_det() const;

 private:
  int batch_;
  Eigen::MatrixXd k_;
  std::vector<std::uint64_t> bits_;
};

// The minimum eigenvalue of the Pearson correlation matrix of `channels` variables observed at
// `positions` points, values[position][channel] (one NHWC sample). A constant channel has an undefined
// correlation, which MeCo's reference code sets to 0: its row and column are then zero and so is the
// minimum. With channels >= positions the matrix has rank < channels and the minimum is 0 exactly.
double min_correlation_eigenvalue(const float* values, std::size_t positions, std::size_t channels);

// Zen's expected output change: the mean over samples of ||a_n - b_n||_F, for [batch][per_sample] tensors.
double mean_frobenius_distance(const std::vector<float>& a, const std::vector<float>& b, int batch);

// Zen's BN term for one layer: log sqrt(mean over channels of the batch variance).
double log_sqrt_mean_variance(const std::vector<double>& variance);

}  // namespace uibnas::search
