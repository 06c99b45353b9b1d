// A per-hardware latency lookup table: block entries keyed by signature, end-to-end measurements
// of whole networks, and the context that makes the numbers meaningful (hardware fingerprint,
// build, measurement protocol). Stored as versioned JSON, written atomically.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "latency/hardware.hpp"
#include "latency/signature.hpp"

namespace uibnas::latency {

inline constexpr const char* kTableSchema = "uibnas-latency-table";
inline constexpr int kTableVersion = 1;

struct Measurement {
  double median_ms = 0, p10_ms = 0, p90_ms = 0, min_ms = 0;
  int repeats = 0;
  double spread() const { return p10_ms > 0 ? p90_ms / p10_ms : 0; }  // p90 / p10
};

// A measurement as the table (and `uibnas validate`'s measured.json) stores it. measurement_from_json
// throws std::invalid_argument for inconsistent statistics and nlohmann's errors for missing ones.
nlohmann::json measurement_to_json(const Measurement& m);
Measurement measurement_from_json(const nlohmann::json& j);

struct TableEntry {
  BlockSignature signature;
  Measurement latency;
};

struct EndToEnd {
  std::string model;
  int resolution = 0;
  Measurement latency;
  std::vector<std::string> parts;  // signature keys of stem, blocks, head in execution order
};

struct BuildInfo {
  std::string compiler, flags, commit, version;
  nlohmann::json to_json() const;
};
BuildInfo current_build();

struct LatencyTable {
  std::string hardware_name;  // the user's label (--hardware)
  int threads = 1;
  HardwareInfo hardware;
  BuildInfo build;
  nlohmann::json protocol;    // how entries were measured (documented in docs/measurement.md)
  std::map<std::string, TableEntry> entries;  // by signature key
  std::vector<EndToEnd> end_to_end;
  // The thermal readings at the last save of profiling (those at its start are in hardware.thermal);
  // empty where none was readable and in older tables.
  std::vector<ThermalReading> thermal_end;

  const TableEntry* find(const std::string& key) const;
  const EndToEnd* find_end_to_end(const std::string& model, int resolution) const;
};

nlohmann::json table_to_json(const LatencyTable& t);
// Throws InputError naming the file for a corrupt table, another schema or an unknown version.
LatencyTable table_from_json(const nlohmann::json& j, const std::string& source);
LatencyTable load_table(const std::string& path);
// Writes to a temporary file in the same directory and renames it over `path`.
void save_table(const LatencyTable& t, const std::string& path);

// Where both tables of merge_tables have an entry (or end-to-end run): the better-founded one (more
// repeats, then the smaller p90/p10 spread, then `a`'s), or always `a`'s (`a` is the newer state, e.g.
// a validation folder's own table over the table it started from).
enum class MergeConflict { better_founded, keep_first };

// Union of two tables of the same hardware and thread count (unless `force`).
LatencyTable merge_tables(const LatencyTable& a, const LatencyTable& b, bool force,
                          MergeConflict conflict = MergeConflict::better_founded);

}  // namespace uibnas::latency
