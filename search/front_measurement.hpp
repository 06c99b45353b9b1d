// `uibnas search --measure-front K`: K members of the final front timed end to end on this machine,
// beside the latency the search estimated for them. A search exploits whatever its estimator gets
// wrong, so the front's latencies need checking where it matters most: on the front itself.
//
// The members are timed as `uibnas validate` times networks (latency::measure_networks_in_rounds):
// the table's threads, warm-up, repeats and rounds, each network side by side with its parts. A
// member's measured latency is the median of its rounds' medians, the statistic the table's entries
// and the lookup-table estimate use.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "latency/latency_table.hpp"
#include "latency/slot_timing.hpp"
#include "search/search_run.hpp"

namespace uibnas::search {

struct MeasuredMember {
  int index = -1;          // into the history
  std::string encoding;
  double estimate_ms = 0;  // the search's latency objective
  double measured_ms = 0;
};

// (estimate / measured − 1) · 100: positive when the estimate is slower than the machine.
double estimate_error_pct(double estimate_ms, double measured_ms);

// The objective named latency; throws InputError naming --measure-front without one.
int latency_objective_index(const SearchProblem& problem);

// Up to k history indices of `front` spread evenly along it by latency (ascending): all of them when
// the front has at most k, else the fastest, the slowest and k − 2 evenly spaced between.
std::vector<int> members_along_front(const History& history, const std::vector<int>& front, int latency, int k);

// Times networks end to end, one latency (ms) per network. The real one is table_network_timer.
using NetworkTimer = std::function<std::vector<double>(const std::vector<latency::ProfileTarget>& networks)>;
NetworkTimer table_network_timer(const latency::LatencyTable& table, const std::string& table_path, bool progress);

// Chooses the members (members_along_front) and times them with `timer`.
std::vector<MeasuredMember> measure_front_members(const SearchRun& run, int k, const NetworkTimer& timer);

// front.csv / front.json with two more fields per member: measured_ms and estimate_error_pct (empty
// in the CSV, null in the JSON, for members not measured). Rows are matched by encoding.
std::string front_csv_with_measurements(const std::string& front_csv, const std::vector<MeasuredMember>& measured);
nlohmann::json front_json_with_measurements(nlohmann::json front, const std::vector<MeasuredMember>& measured);

// The measured members as a table, one line each, with the largest error at the end.
std::string measured_front_text(const std::vector<MeasuredMember>& measured);

struct FrontMeasurementRequest {
  int k = 0;
  const latency::LatencyTable* table = nullptr;  // --table
  std::string table_path, out_dir;
  bool lookup_table_latency = false;  // --latency lut: the estimate being checked is the table's
  bool progress = true;
};

// Throws InputError for a request that cannot be met: k < 1, no table, not the lut latency, no
// latency objective. Called before the search, so that it fails before the search's time is spent.
void check_front_measurement(const SearchProblem& problem, const FrontMeasurementRequest& request);

// The whole of --measure-front after a search: checks the request again, times the members, rewrites out_dir's front.csv and
// front.json with the measurements and prints measured_front_text.
void measure_front(const SearchRun& run, const FrontMeasurementRequest& request);

}  // namespace uibnas::search
