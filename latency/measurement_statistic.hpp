// How timed runs become a measurement, and which statistic of a measurement stands for its latency
// (the median, or the minimum: the run least disturbed by the rest of the machine).
#pragma once
#include <string>
#include <vector>

#include "latency/latency_table.hpp"

namespace uibnas::latency {

enum class Statistic { Median, Min };
const char* statistic_name(Statistic s);
Statistic parse_statistic(const std::string& s);  // "median" | "min"; throws InputError
double statistic_of(const Measurement& m, Statistic s);

// One round of runs (ms): their median, p10, p90 (linear interpolation), min and count.
Measurement measurement_of_runs(const std::vector<double>& ms);

}  // namespace uibnas::latency
