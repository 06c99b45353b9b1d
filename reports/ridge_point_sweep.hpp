// The MNv4 paper's Fig. 2 argument: which models are top-1 × latency Pareto-optimal as the ridge point
// RP sweeps from 0 (latency ∝ MACs) to 500 MACs/byte (bandwidth bound), with latency the roofline's
// Σ max(MACs, RP · bytes) (estimator/roofline.hpp; one scale for all models, so it cancels). Bytes are
// counted at 1 per element, as the paper's INT8 fits (Table 16: Pixel 6 CPU 31.2, S23 CPU 39.7).
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "estimator/roofline.hpp"

namespace uibnas::reports {

struct SweepModel {
  std::string name;
  double top1 = 0;
  estimator::RooflineTerms terms;  // at 1 byte per element
};

struct SweepMark {
  std::string label;
  double ridge_point = 0;  // MACs/byte, 1 byte per element
};

struct RidgePointSweep {
  double from = 0, to = 500, step = 1;
  std::vector<double> ridge_points;               // from, from + step, ..., to
  std::vector<std::vector<std::string>> pareto;   // the front at each ridge point, in model order
  std::map<std::string, std::vector<std::pair<double, double>>> ranges;  // per model: the sweep's RP intervals on the front
  std::vector<SweepMark> marks;
};

// The front at one ridge point (names, in model order).
std::vector<std::string> pareto_at_ridge_point(const std::vector<SweepModel>& models, double ridge_point);

// Throws InputError for an empty or reversed range, a negative start or a non-positive step.
RidgePointSweep sweep_ridge_points(const std::vector<SweepModel>& models, double from, double to, double step);

// The paper's two phone CPUs (Table 16).
std::vector<SweepMark> paper_ridge_point_marks();

}  // namespace uibnas::reports
