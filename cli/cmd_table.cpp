// uibnas table info|export|merge: read, export and combine latency tables.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "cli/command.hpp"
#include "cli/cpu_list_option.hpp"
#include "common/statistics.hpp"
#include "latency/latency_table.hpp"

namespace uibnas::cli {
namespace {

// What a phone or board profile records about the device's state (latency/cpuinfo.*, cpu_sysfs.*,
// --cpus, --cooldown-seconds); nothing where the table has none of it.
void print_device_state(const latency::LatencyTable& t) {
  std::string freq;
  for (const latency::CoreInfo& c : t.hardware.cores)
    if (c.max_khz > 0 || c.cur_khz > 0) {
      char one[96];
      std::snprintf(one, sizeof one, "%scpu%d %s %.2f/%.2f GHz", freq.empty() ? "" : ", ", c.cpu,
                    c.name.empty() ? "" : c.name.c_str(), double(c.cur_khz) / 1e6, double(c.max_khz) / 1e6);
      freq += one;
    }
  if (!freq.empty()) std::printf("cores      %s (current/max at the start)\n", freq.c_str());
  auto thermal_text = [](const std::vector<latency::ThermalReading>& readings) {
    std::string s;
    for (const auto& r : readings) {
      char one[128];
      std::snprintf(one, sizeof one, "%s%s %.1f C", s.empty() ? "" : ", ", r.type.empty() ? r.zone.c_str() : r.type.c_str(),
                    r.celsius);
      s += one;
    }
    return s;
  };
  if (!t.hardware.thermal.empty()) std::printf("thermal    start: %s\n", thermal_text(t.hardware.thermal).c_str());
  if (!t.thermal_end.empty()) std::printf("           end:   %s\n", thermal_text(t.thermal_end).c_str());
  if (t.protocol.contains("cpus")) std::printf("cpus       %s (--cpus)\n", format_cpu_list(t.protocol.at("cpus").get<std::vector<int>>()).c_str());
  else if (!t.hardware.allowed_cpus.empty())
    std::printf("cpus       %s (the process's affinity)\n", format_cpu_list(t.hardware.allowed_cpus).c_str());
  if (t.protocol.contains("cooldown_seconds"))
    std::printf("cooldown   %g s between slots\n", t.protocol.at("cooldown_seconds").get<double>());
}

int table_info(const Args& args) {
  namespace po = boost::program_options;
  std::string path;
  po::options_description opts("options");
  opts.add_options()("table", po::value(&path)->required(), "latency table file")("entries", "list every entry");
  po::positional_options_description pos;
  pos.add("table", 1);
  po::variables_map vm;
  if (!parse_command_line(args, "usage: uibnas table info TABLE [--entries]\n\nWhat a latency table holds and how noisy it "
                                "is: the spread p90/p10 per entry and overall.", opts, pos, vm))
    return 0;
  const latency::LatencyTable t = latency::load_table(path);
  const auto* peak = t.hardware.at(t.threads);
  std::printf("table      %s\nhardware   %s: %s, kernels %s\n", path.c_str(), t.hardware_name.c_str(),
              t.hardware.cpu_model.c_str(), t.hardware.kernel_isa.c_str());
  if (peak)
    std::printf("peaks      %.1f GMAC/s, %.1f GB/s, ridge point %.1f MACs/byte at %d thread(s)\n", peak->gmacs,
                peak->bandwidth_gbs, peak->ridge_point(), t.threads);
  std::printf("threads    %d\nbuild      %s, %s, commit %s\n", t.threads, t.build.compiler.c_str(), t.build.flags.c_str(),
              t.build.commit.c_str());
  print_device_state(t);
  std::printf("entries    %zu blocks, %zu end-to-end\n", t.entries.size(), t.end_to_end.size());
  std::vector<double> spreads;
  if (vm.count("entries")) std::printf("\n%10s %10s %10s %8s  %s\n", "median ms", "p10 ms", "p90 ms", "p90/p10", "signature");
  for (const auto& [key, e] : t.entries) {
    spreads.push_back(e.latency.spread());
    if (vm.count("entries"))
      std::printf("%10.4f %10.4f %10.4f %8.3f  %s\n", e.latency.median_ms, e.latency.p10_ms, e.latency.p90_ms,
                  e.latency.spread(), key.c_str());
  }
  if (!spreads.empty())
    std::printf("\nspread p90/p10 over %zu entries: median %.3f, p90 %.3f, max %.3f\n", spreads.size(),
                common::median(spreads), common::percentile(spreads, 90), common::maximum(spreads));
  if (!t.end_to_end.empty()) {
    std::printf("\n%-34s %5s %10s %10s %10s %8s\n", "end to end", "res", "median ms", "p10 ms", "p90 ms", "p90/p10");
    for (const auto& e : t.end_to_end)
      std::printf("%-34s %5d %10.3f %10.3f %10.3f %8.3f\n", e.model.c_str(), e.resolution, e.latency.median_ms,
                  e.latency.p10_ms, e.latency.p90_ms, e.latency.spread());
  }
  return 0;
}

int table_export(const Args& args) {
  namespace po = boost::program_options;
  std::string path, out;
  po::options_description opts("options");
  opts.add_options()("table", po::value(&path)->required(), "latency table file")("csv", "CSV (the only format)")
      ("out,o", po::value(&out), "write here instead of stdout");
  po::positional_options_description pos;
  pos.add("table", 1);
  po::variables_map vm;
  if (!parse_command_line(args, "usage: uibnas table export TABLE --csv [-o FILE]", opts, pos, vm)) return 0;
  if (!vm.count("csv")) throw common::InputError("uibnas table export: say the format: --csv");
  const latency::LatencyTable t = latency::load_table(path);
  std::ostringstream os;
  os << "signature,kind,in_c,out_c,mid_c,kernel,start_kernel,end_kernel,stride,heads,key_dim,value_dim,kv_stride,act,"
        "layer_scale,aa,residual,in_h,in_w,threads,classes,head_style,se_c,se_act,se_gate,median_ms,p10_ms,p90_ms,min_ms,"
        "repeats\n";
  for (const auto& [key, e] : t.entries) {
    const auto& s = e.signature;
    os << '"' << key << "\"," << s.kind << ',' << s.in_c << ',' << s.out_c << ',' << s.mid_c << ',' << s.kernel << ','
       << s.start_kernel << ',' << s.end_kernel << ',' << s.stride << ',' << s.heads << ',' << s.key_dim << ','
       << s.value_dim << ',' << s.kv_stride << ',' << s.act << ',' << int(s.layer_scale) << ',' << s.aa << ','
       << int(s.residual) << ',' << s.in_h << ',' << s.in_w << ',' << s.threads << ',' << s.classes << ','
       << s.head_style << ',' << s.se_c << ',' << s.se_act << ',' << s.se_gate << ',' << e.latency.median_ms << ','
       << e.latency.p10_ms << ',' << e.latency.p90_ms << ',' << e.latency.min_ms << ',' << e.latency.repeats << '\n';
  }
  if (out.empty()) std::cout << os.str();
  else common::write_file_atomically(out, os.str());
  return 0;
}

int table_merge(const Args& args) {
  namespace po = boost::program_options;
  std::vector<std::string> inputs;
  std::string out;
  po::options_description opts("options");
  opts.add_options()("tables", po::value(&inputs)->multitoken()->required(), "two tables A B")
      ("out,o", po::value(&out)->required(), "merged table C")
      ("force", "merge tables of different hardware or thread count");
  po::positional_options_description pos;
  pos.add("tables", 2);
  po::variables_map vm;
  if (!parse_command_line(args, "usage: uibnas table merge A B -o C [--force]\n\nUnion of two tables; where both measured "
                                "a signature, the entry with more repeats (then the smaller p90/p10) wins.",
                          opts, pos, vm))
    return 0;
  if (inputs.size() != 2) throw common::InputError("uibnas table merge takes exactly two tables");
  const auto merged = latency::merge_tables(latency::load_table(inputs[0]), latency::load_table(inputs[1]), vm.count("force") > 0);
  latency::save_table(merged, out);
  std::printf("wrote %s: %zu entries, %zu end-to-end\n", out.c_str(), merged.entries.size(), merged.end_to_end.size());
  return 0;
}

}  // namespace

int run_table(const Args& args) {
  const std::string usage = "usage: uibnas table info|export|merge ... (uibnas table SUBCOMMAND --help)";
  if (args.empty()) throw common::InputError(usage);
  const Args rest(args.begin() + 1, args.end());
  if (args[0] == "info") return table_info(rest);
  if (args[0] == "export") return table_export(rest);
  if (args[0] == "merge") return table_merge(rest);
  if (args[0] == "--help" || args[0] == "-h") {
    std::cout << usage << "\n  info TABLE      entries, spread, hardware\n  export TABLE --csv\n  merge A B -o C [--force]\n";
    return 0;
  }
  throw common::InputError("unknown table subcommand '" + args[0] + "' (info, export, merge)");
}

}  // namespace uibnas::cli
