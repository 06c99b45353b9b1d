#include "reports/provenance_section.hpp"

#include <set>

#include "reports/options_text.hpp"

namespace uibnas::reports {

namespace {

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : separator) + i;
  return out;
}

std::string bytes_text(long long b) {
  if (b >= (1LL << 20)) return std::to_string(b >> 20) + " MiB";
  return std::to_string(b >> 10) + " KiB";
}

CsvTable fingerprint(const LoadedTable& t) {
  const latency::HardwareInfo& hw = t.table.hardware;
  CsvTable c;
  c.header = {"field", "value"};
  c.rows = {{"table", t.path},
            {"hardware name", t.table.hardware_name},
            {"threads", std::to_string(t.table.threads)},
            {"CPU", hw.cpu_model + " (" + hw.vendor + ", " + std::to_string(hw.logical_cpus) + " logical CPUs)"},
            {"ISA", joined(hw.isa, " ")},
            {"kernel ISA", hw.kernel_isa},
            {"caches", "L1d " + bytes_text(hw.l1d_bytes) + ", L2 " + bytes_text(hw.l2_bytes) + ", L3 " + bytes_text(hw.l3_bytes)}};
  for (const auto& p : hw.peaks)
    c.rows.push_back({"peaks at " + std::to_string(p.threads) + " thread(s)",
                      csv_number(p.gmacs) + " GMAC/s, " + csv_number(p.bandwidth_gbs) + " GB/s, ridge point " +
                          csv_number(p.ridge_point()) + " MACs/byte"});
  std::vector<std::string> kernels;
  for (const auto& [family, kernel] : hw.kernels) kernels.push_back(family + ": " + kernel);
  if (!kernels.empty()) c.rows.push_back({"kernels", joined(kernels, ", ")});
  const latency::BuildInfo& b = t.table.build;
  c.rows.push_back({"build", "uibnas " + b.version + ", commit " + b.commit + ", " + b.compiler + ", " + b.flags});
  c.rows.push_back({"entries / end-to-end runs",
                    std::to_string(t.table.entries.size()) + " / " + std::to_string(t.table.end_to_end.size())});
  return c;
}

CsvTable commands(const ReportInputs& in) {
  CsvTable c;
  c.header = {"input", "kind", "command or options"};
  for (const auto& r : in.ranks) c.rows.push_back({r.path, "rank results", r.result.command});
  for (const auto& v : in.validations) c.rows.push_back({v.path, "validation", "uibnas validate with " + options_text(v.options)});
  for (const auto& s : in.searches) {
    if (s.has_search) c.rows.push_back({s.path, "search", "uibnas search with " + options_text(s.options)});
    if (s.rediscovery)
      c.rows.push_back({s.path, "rediscovery", "uibnas search --rediscover " + s.rediscovery->value("model", "") + " with " +
                                                   options_text(s.rediscovery->value("settings", nlohmann::json::object()))});
  }
  for (const auto& t : in.tables)
    c.rows.push_back({t.path, "latency table", "uibnas profile --hardware " + t.table.hardware_name + " (protocol " +
                                                   t.table.protocol.value("repeats", nlohmann::json(nullptr)).dump() +
                                                   " repeats, " + t.table.protocol.value("rounds", nlohmann::json(nullptr)).dump() +
                                                   " rounds)"});
  return c;
}

}  // namespace

Section provenance_section(const ReportInputs& in) {
  Section s{"provenance", "Hardware, builds and commands", {}, {}, {}, {}};
  const latency::BuildInfo self = latency::current_build();
  s.notes.push_back("This report: uibnas " + self.version + ", commit " + self.commit + ", " + self.compiler + ".");
  std::set<std::string> ids;  // two tables of one machine and thread count get "-2", and so on
  for (const auto& t : in.tables) {
    const std::string base = "hardware-" + slug(t.table.hardware_name) + "-t" + std::to_string(t.table.threads);
    std::string id = base;
    for (int n = 2; !ids.insert(id).second; ++n) id = base + "-" + std::to_string(n);
    s.tables.push_back({id,
                        "Fingerprint of " + t.table.hardware_name + ", " + std::to_string(t.table.threads) + " thread(s)",
                        fingerprint(t)});
  }
  if (in.tables.empty()) s.skipped.push_back("no latency table given: no hardware fingerprint");
  s.tables.push_back({"commands", "The command lines and options the inputs record", commands(in)});
  return s;
}

}  // namespace uibnas::reports
