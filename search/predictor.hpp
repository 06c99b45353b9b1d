// An accuracy predictor: ridge regression from architecture features to top-1, fitted on a user CSV
// of `architecture-or-encoding,top1` rows (a built-in model name, an architecture JSON file, or an
// encoding of the search space; a header row is skipped).
//
// Features (architecture_features, in this order): input resolution; GMACs; M params; for each of
// the first kMaxStages block stages its depth, output width and mean expansion (er/uir blocks; 0
// where the stage has none or is absent); the number of spatial kernels (cn/er convs, uir start and
// middle DWs) of size 3, 5 and 7 or more. Each is standardised on the training rows; the ridge
// penalty λ = 1 applies to the standardised weights, not the intercept, so a handful of rows still
// gives a well-posed fit. The leave-one-out error comes from the hat matrix: exact refits without
// each row, with the standardisation of all rows.
#pragma once
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "search/objective.hpp"

namespace uibnas::search {

inline constexpr int kMaxStages = 6;
inline constexpr int kPredictorFeatures = 3 + 3 * kMaxStages + 3;

std::vector<double> architecture_features(const arch_defs::Network& net, int resolution,
                                          const arch_defs::ParamsMacs& costs);
std::vector<std::string> feature_names();

struct RidgeFit {
  Eigen::VectorXd mean, scale, weights;  // per feature; scale 0 marks a constant feature (ignored)
  double intercept = 0;
  int rows = 0;
  double loo_rmse = 0, loo_mae = 0;  // leave-one-out, in the target's units
  double predict(const std::vector<double>& features) const;
};

// Throws InputError with fewer than 3 rows.
RidgeFit fit_ridge(const std::vector<std::vector<double>>& features, const std::vector<double>& targets,
                   double lambda = 1.0);

class PredictorObjective : public Objective {
 public:
  // Reads and fits `csv_path`; encodings are read against `space`.
  PredictorObjective(const std::string& csv_path, const searchspace::SearchSpace& space);
  std::string name() const override { return "predictor:" + path_; }
  std::string unit() const override { return "top-1 %"; }
  Direction default_direction() const override { return Direction::Maximise; }
  double value(const Candidate& c) const override;
  const RidgeFit& fit() const { return fit_; }

 private:
  std::string path_;
  RidgeFit fit_;
};

}  // namespace uibnas::search
