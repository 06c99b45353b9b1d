#include "latency/latency_table.hpp"

#include <climits>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/json_file.hpp"

#ifndef UIBNAS_BUILD_FLAGS
#define UIBNAS_BUILD_FLAGS "unknown"
#endif
#include "build_commit.hpp"  // UIBNAS_GIT_COMMIT, written at every build (cmake/build_commit.cmake)
#ifndef UIBNAS_VERSION
#define UIBNAS_VERSION "0"
#endif

namespace uibnas::latency {

using nlohmann::json;

json measurement_to_json(const Measurement& m) {
  return {{"median_ms", m.median_ms}, {"p10_ms", m.p10_ms}, {"p90_ms", m.p90_ms}, {"min_ms", m.min_ms}, {"repeats", m.repeats}};
}

Measurement measurement_from_json(const json& j) {
  Measurement m;
  m.median_ms = j.at("median_ms").get<double>();
  m.p10_ms = j.at("p10_ms").get<double>();
  m.p90_ms = j.at("p90_ms").get<double>();
  m.min_ms = j.at("min_ms").get<double>();
  // Read wide and checked: get<int> would take 4294967297 or 2.5 for 1 or 2 repeats.
  const json& repeats = j.at("repeats");
  if (!repeats.is_number_integer() || repeats.get<std::int64_t>() < 1 || repeats.get<std::int64_t>() > INT_MAX)
    throw std::invalid_argument("inconsistent measurement " + j.dump() + ": repeats must be a whole number from 1");
  m.repeats = repeats.get<int>();
  if (!(m.median_ms >= 0 && m.min_ms >= 0 && m.p10_ms >= 0 && m.p90_ms >= m.p10_ms))
    throw std::invalid_argument("inconsistent measurement " + j.dump());
  return m;
}

namespace {

// Prefers the better-founded of two measurements of the same thing.
bool better(const Measurement& x, const Measurement& y) {
  if (x.repeats != y.repeats) return x.repeats > y.repeats;
  return x.spread() < y.spread();
}

}  // namespace

json BuildInfo::to_json() const {
  return {{"compiler", compiler}, {"flags", flags}, {"commit", commit}, {"version", version}};
}

BuildInfo current_build() {
  BuildInfo b;
#if defined(__clang__)
  b.compiler = "clang " __clang_version__;
#elif defined(__GNUC__)
  b.compiler = "gcc " __VERSION__;
#else
  b.compiler = "unknown";
#endif
  b.flags = UIBNAS_BUILD_FLAGS;
  b.commit = UIBNAS_GIT_COMMIT;
  b.version = UIBNAS_VERSION;
  return b;
}

const TableEntry* LatencyTable::find(const std::string& key) const {
  auto it = entries.find(key);
  return it == entries.end() ? nullptr : &it->second;
}

const EndToEnd* LatencyTable::find_end_to_end(const std::string& model, int resolution) const {
  for (const auto& e : end_to_end)
    if (e.model == model && e.resolution == resolution) return &e;
  return nullptr;
}

json table_to_json(const LatencyTable& t) {
  json entries = json::array();
  for (const auto& [key, e] : t.entries)
    entries.push_back({{"signature", key}, {"block", signature_to_json(e.signature)}, {"latency", measurement_to_json(e.latency)}});
  json e2e = json::array();
  for (const auto& e : t.end_to_end)
    e2e.push_back({{"model", e.model}, {"resolution", e.resolution}, {"latency", measurement_to_json(e.latency)}, {"parts", e.parts}});
  json j = {{"schema", kTableSchema}, {"version", kTableVersion}, {"hardware_name", t.hardware_name}, {"threads", t.threads},
            {"hardware", hardware_to_json(t.hardware)}, {"build", t.build.to_json()}, {"protocol", t.protocol},
            {"entries", entries}, {"end_to_end", e2e}};
  if (!t.thermal_end.empty()) j["thermal_end"] = thermal_to_json(t.thermal_end);
  return j;
}

LatencyTable table_from_json(const json& j, const std::string& source) {
  if (!j.is_object() || !j.contains("schema") || j["schema"] != kTableSchema)
    throw common::InputError(common::with_context(source, std::string("not a uibnas latency table (\"schema\" is not \"") + kTableSchema + "\")"));
  // Compared as JSON numbers, not read into an int, so that 4294967297 cannot pass for version 1.
  const json& version = j.contains("version") ? j["version"] : json();
  if (!version.is_number_integer())
    throw common::InputError(common::with_context(source, "/version: missing or not an integer"));
  if (version != kTableVersion)
    throw common::InputError(common::with_context(source, "/version: table version " + version.dump() +
                                              " is not supported by this uibnas (it reads version " +
                                              std::to_string(kTableVersion) + ")"));
  LatencyTable t;
  std::string where = "/";
  try {
    where = "/hardware_name";
    t.hardware_name = j.at("hardware_name").get<std::string>();
    where = "/threads";
    t.threads = j.at("threads").get<int>();
    if (t.threads < 1) throw std::invalid_argument("threads must be at least 1");
    t.hardware = hardware_from_json(j.at("hardware"), source);
    where = "/build";
    const json& b = j.at("build");
    t.build = {b.at("compiler").get<std::string>(), b.at("flags").get<std::string>(), b.at("commit").get<std::string>(),
               b.at("version").get<std::string>()};
    where = "/protocol";
    t.protocol = j.at("protocol");
    const json& entries = j.at("entries");
    for (size_t i = 0; i < entries.size(); ++i) {
      where = "/entries/" + std::to_string(i);
      TableEntry e{signature_from_json(entries[i].at("block")), measurement_from_json(entries[i].at("latency"))};
      const std::string key = entries[i].at("signature").get<std::string>();
      if (key != e.signature.key()) throw std::invalid_argument("signature \"" + key + "\" does not match its block fields");
      if (!t.entries.emplace(key, e).second) throw std::invalid_argument("duplicate entry \"" + key + "\"");
    }
    const json& e2e = j.at("end_to_end");
    for (size_t i = 0; i < e2e.size(); ++i) {
      where = "/end_to_end/" + std::to_string(i);
      t.end_to_end.push_back({e2e[i].at("model").get<std::string>(), e2e[i].at("resolution").get<int>(),
                              measurement_from_json(e2e[i].at("latency")),
                              e2e[i].at("parts").get<std::vector<std::string>>()});
    }
    where = "/thermal_end";
    if (j.contains("thermal_end")) t.thermal_end = thermal_from_json(j.at("thermal_end"));
  } catch (const common::InputError&) {
    throw;
  } catch (const std::exception& e) {
    throw common::InputError(common::with_context(source, where + ": " + e.what()));
  }
  return t;
}

LatencyTable load_table(const std::string& path) {
  return table_from_json(common::read_json_file(path, "corrupt latency table: file"), path);
}

void save_table(const LatencyTable& t, const std::string& path) {
  common::write_file_atomically(path, table_to_json(t).dump(1) + "\n");
}

LatencyTable merge_tables(const LatencyTable& a, const LatencyTable& b, bool force, MergeConflict conflict) {
  if (!force) {
    if (a.threads != b.threads)
      throw common::InputError("tables were measured at different thread counts (" + std::to_string(a.threads) + " and " +
                       std::to_string(b.threads) + "); --force merges them anyway");
    if (a.hardware_name != b.hardware_name || a.hardware.cpu_model != b.hardware.cpu_model)
      throw common::InputError("tables come from different hardware ('" + a.hardware_name + "', " + a.hardware.cpu_model + " and '" +
                       b.hardware_name + "', " + b.hardware.cpu_model + "); --force merges them anyway");
  }
  const bool b_may_win = conflict == MergeConflict::better_founded;
  LatencyTable out = a;
  for (const auto& [key, e] : b.entries) {
    auto it = out.entries.find(key);
    if (it == out.entries.end()) out.entries.emplace(key, e);
    else if (b_may_win && better(e.latency, it->second.latency)) it->second = e;
  }
  for (const auto& e : b.end_to_end) {
    auto it = std::find_if(out.end_to_end.begin(), out.end_to_end.end(),
                           [&](const EndToEnd& x) { return x.model == e.model && x.resolution == e.resolution; });
    if (it == out.end_to_end.end()) out.end_to_end.push_back(e);
    else if (b_may_win && better(e.latency, it->latency)) *it = e;
  }
  return out;
}

}  // namespace uibnas::latency
