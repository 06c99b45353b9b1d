#include "estimator/measured_file.hpp"

#include <filesystem>
#include <fstream>
#include <set>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/json_file.hpp"

namespace uibnas::estimator {
namespace {

namespace fs = std::filesystem;

nlohmann::json network_json(const MeasuredFile& file, const std::string& key, nlohmann::json n) {
  n["latency"] = latency::measurement_to_json(file.networks.at(key));
  if (auto r = file.rounds.find(key); r != file.rounds.end()) {
    n["rounds"] = nlohmann::json::array();
    for (const auto& m : r->second) n["rounds"].push_back(latency::measurement_to_json(m));
  }
  if (auto p = file.slot_parts.find(key); p != file.slot_parts.end()) {
    n["slot_parts_median_ms"] = p->second.median_ms;
    n["slot_parts_min_ms"] = p->second.min_ms;
  }
  return n;
}

}  // namespace

std::string measured_key(const std::string& name, int resolution) { return name + "@" + std::to_string(resolution); }

MeasuredFile load_measured(const std::string& path, int threads) {
  MeasuredFile out;
  if (!fs::exists(path)) return out;
  try {
    const nlohmann::json j = common::read_json_file(path, "a validation measurement file");
    const int file_threads = common::json_int(j.at("threads"), path + ": /threads");
    if (file_threads != threads)
      throw common::InputError(path + ": /threads is " + std::to_string(file_threads) + ", the table's " +
                       std::to_string(threads));
    for (const auto& n : j.at("networks")) {
      const std::string key = measured_key(n.at("name").get<std::string>(), common::json_int(n.at("resolution"), path + ": /networks/resolution"));
      out.networks[key] = latency::measurement_from_json(n.at("latency"));
      if (n.contains("rounds"))
        for (const auto& r : n.at("rounds")) out.rounds[key].push_back(latency::measurement_from_json(r));
      if (n.contains("slot_parts_median_ms"))
        out.slot_parts[key] = {n.at("slot_parts_median_ms").get<std::vector<double>>(),
                               n.at("slot_parts_min_ms").get<std::vector<double>>()};
    }
    if (j.contains("fma_probe_gmacs")) out.probe_gmacs = j.at("fma_probe_gmacs").get<std::vector<double>>();
  } catch (const common::InputError&) {
    throw;
  } catch (const std::exception& e) {
    throw common::InputError(path + ": " + e.what());
  }
  return out;
}

void save_measured(const std::string& path, int threads, const MeasuredFile& file,
                   const std::vector<ValidationTarget>& targets) {
  nlohmann::json networks = nlohmann::json::array();
  std::set<std::string> written;
  for (const auto& t : targets) {
    const std::string key = measured_key(t.name, t.resolution);
    if (written.insert(key).second)
      networks.push_back(network_json(file, key, {{"name", t.name}, {"group", t.group}, {"resolution", t.resolution}}));
  }
  for (const auto& [key, m] : file.networks)  // earlier runs' networks that this run did not touch
    if (!written.count(key)) {
      const auto at = key.rfind('@');
      networks.push_back(network_json(
          file, key, {{"name", key.substr(0, at)}, {"group", ""}, {"resolution", std::stoi(key.substr(at + 1))}}));
    }
  common::write_file_atomically(
      path, nlohmann::json{{"threads", threads}, {"fma_probe_gmacs", file.probe_gmacs}, {"networks", networks}}.dump(1) +
                "\n");
}

}  // namespace uibnas::estimator
