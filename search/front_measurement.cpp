#include "search/front_measurement.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include "common/error.hpp"
#include "common/input_file.hpp"
#include "common/json_file.hpp"
#include "latency/measurement_statistic.hpp"
#include "latency/network_rounds.hpp"
#include "search/checkpoint.hpp"
#include "search/search_outputs.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/encoding.hpp"

namespace uibnas::search {

double estimate_error_pct(double estimate_ms, double measured_ms) { return (estimate_ms / measured_ms - 1) * 100; }

int latency_objective_index(const SearchProblem& problem) {
  for (int i = 0; i < problem.objective_count(); ++i)
    if (problem.metric(i).objective->name() == "latency") return i;
  throw common::InputError("--measure-front needs latency among the objectives");
}

std::vector<int> members_along_front(const History& history, const std::vector<int>& front, int latency, int k) {
  std::vector<int> sorted = front;
  std::sort(sorted.begin(), sorted.end(), [&](int a, int b) {
    const double la = history[size_t(a)].metrics[size_t(latency)], lb = history[size_t(b)].metrics[size_t(latency)];
    return la != lb ? la < lb : a < b;
  });
  if (k < 1) return {};
  if (int(sorted.size()) <= k) return sorted;
  if (k == 1) return {sorted[(sorted.size() - 1) / 2]};
  std::vector<int> chosen;
  const double step = double(sorted.size() - 1) / double(k - 1);
  for (int i = 0; i < k; ++i) chosen.push_back(sorted[size_t(std::lround(i * step))]);
  return chosen;
}

NetworkTimer table_network_timer(const latency::LatencyTable& table, const std::string& table_path, bool progress) {
  latency::NetworkRoundsOptions o;
  o.parts = latency::part_protocol(table, table_path);
  o.end_to_end.threads = table.threads;
  o.end_to_end.warmup = o.parts.warmup;
  o.end_to_end.repeat = o.parts.repeat;
  o.end_to_end.plan.rounds = table.protocol.value("rounds", o.end_to_end.plan.rounds);
  o.end_to_end.plan.settle_rounds = table.protocol.value("settle_rounds", o.end_to_end.plan.settle_rounds);
  o.end_to_end.plan.settle_percent = table.protocol.value("settle_percent", o.end_to_end.plan.settle_percent);
  o.end_to_end.progress = progress;
  o.statistic = latency::Statistic::Median;
  return [o](const std::vector<latency::ProfileTarget>& networks) {
    const latency::NetworkRounds m = latency::measure_networks_in_rounds(networks, o, nullptr);
    std::vector<double> ms;
    for (const auto& rounds : m.record.network_rounds) ms.push_back(latency::combine_rounds(rounds).median_ms);
    return ms;
  };
}

std::vector<MeasuredMember> measure_front_members(const SearchRun& run, int k, const NetworkTimer& timer) {
  const SearchProblem& problem = run.problem();
  const History& history = run.state().history;
  const int latency = latency_objective_index(problem);
  std::vector<MeasuredMember> members;
  std::vector<latency::ProfileTarget> networks;
  for (int i : members_along_front(history, run.front(), latency, k)) {
    const Evaluation& e = history[size_t(i)];
    MeasuredMember m;
    m.index = i;
    m.encoding = searchspace::encode(problem.space(), e.choices);
    m.estimate_ms = e.metrics[size_t(latency)];
    arch_defs::Architecture arch = searchspace::to_architecture(problem.space(), e.choices, m.encoding);
    const int resolution = arch.input_size;
    networks.push_back({std::move(arch), resolution});
    members.push_back(std::move(m));
  }
  const std::vector<double> ms = timer(networks);
  for (size_t i = 0; i < members.size(); ++i) members[i].measured_ms = ms.at(i);
  return members;
}

namespace {

const MeasuredMember* find_member(const std::vector<MeasuredMember>& measured, const std::string& encoding) {
  for (const MeasuredMember& m : measured)
    if (m.encoding == encoding) return &m;
  return nullptr;
}

}  // namespace

std::string front_csv_with_measurements(const std::string& front_csv, const std::vector<MeasuredMember>& measured) {
  std::istringstream in(front_csv);
  std::string out, line;
  for (bool header = true; std::getline(in, line); header = false) {
    if (header) {
      out += line + ",measured_ms,estimate_error_pct\n";
      continue;
    }
    const MeasuredMember* m = find_member(measured, line.substr(0, line.find(',')));
    out += line;
    if (m == nullptr) {
      out += ",,\n";
      continue;
    }
    out += ",";
    out += format_value(m->measured_ms);
    out += ",";
    out += format_value(estimate_error_pct(m->estimate_ms, m->measured_ms));
    out += "\n";
  }
  return out;
}

nlohmann::json front_json_with_measurements(nlohmann::json front, const std::vector<MeasuredMember>& measured) {
  for (nlohmann::json& member : front) {
    const MeasuredMember* m = find_member(measured, member.at("encoding").get<std::string>());
    member["measured_ms"] = m ? nlohmann::json(m->measured_ms) : nlohmann::json(nullptr);
    member["estimate_error_pct"] =
        m ? nlohmann::json(estimate_error_pct(m->estimate_ms, m->measured_ms)) : nlohmann::json(nullptr);
  }
  return front;
}

std::string measured_front_text(const std::vector<MeasuredMember>& measured) {
  std::string out = "Measured front members (" + std::to_string(measured.size()) + ", end to end on this machine)\n";
  char line[200];
  std::snprintf(line, sizeof line, "%-28s %14s %14s %10s\n", "encoding", "estimate_ms", "measured_ms", "error_%");
  out += line;
  double worst = 0;
  for (const MeasuredMember& m : measured) {
    const double error = estimate_error_pct(m.estimate_ms, m.measured_ms);
    if (std::abs(error) > std::abs(worst)) worst = error;
    std::snprintf(line, sizeof line, "%-28s %14.4f %14.4f %+10.1f\n", m.encoding.c_str(), m.estimate_ms,
                  m.measured_ms, error);
    out += line;
  }
  std::snprintf(line, sizeof line, "largest estimate error: %+.1f%%\n", worst);
  return out + line;
}

void check_front_measurement(const SearchProblem& problem, const FrontMeasurementRequest& r) {
  if (r.k < 1) throw common::InputError("--measure-front needs K >= 1");
  if (r.table == nullptr) throw common::InputError("--measure-front needs --table: its protocol times the members");
  if (!r.lookup_table_latency)
    throw common::InputError("--measure-front checks the table's estimate: use it with --latency lut");
  latency_objective_index(problem);
}

void measure_front(const SearchRun& run, const FrontMeasurementRequest& r) {
  check_front_measurement(run.problem(), r);
  const std::vector<MeasuredMember> measured =
      measure_front_members(run, r.k, table_network_timer(*r.table, r.table_path, r.progress));
  namespace fs = std::filesystem;
  const fs::path csv = fs::path(r.out_dir) / "front.csv", json = fs::path(r.out_dir) / "front.json";
  const std::string csv_text = common::read_input_file(csv.string(), "a search front");
  write_file_atomically(csv.string(), front_csv_with_measurements(csv_text, measured));
  const nlohmann::json front = common::read_json_file(json.string(), "a search front");
  write_file_atomically(json.string(), front_json_with_measurements(front, measured).dump(1) + "\n");
  std::printf("%s", measured_front_text(measured).c_str());
}

}  // namespace uibnas::search
