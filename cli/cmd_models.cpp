// uibnas models [--json]: the known architectures with params, MACs and published top-1, the MNv4
// variants first, then the baselines of other families.
#include <cstdio>
#include <iostream>

#include "arch_defs/catalogue.hpp"
#include "arch_defs/operators.hpp"
#include "cli/command.hpp"

namespace uibnas::cli {

int run_models(const Args& args) {
  namespace po = boost::program_options;
  po::options_description opts("options");
  opts.add_options()("json", "print JSON instead of a table");
  po::variables_map vm;
  if (!parse_command_line(args, "usage: uibnas models [--json]\n\nThe built-in architectures (arch_defs/models/*.json): "
                                "params, MACs at the default resolution, published top-1.",
                          opts, {}, vm))
    return 0;

  nlohmann::json rows = nlohmann::json::array();
  for (const auto& arch : arch_defs::published_architectures()) {
    const arch_defs::OperatorList ops = arch_defs::lower_network(arch_defs::build_network(arch), arch.input_size);
    nlohmann::json r;
    r["model"] = arch.name;
    r["family"] = arch.family;
    r["params"] = ops.total.params;
    r["macs"] = ops.total.macs;
    r["resolution"] = arch.input_size;
    auto top1 = arch.timm_top1.find(arch.input_size);
    r["top1"] = top1 == arch.timm_top1.end() ? nlohmann::json(nullptr) : nlohmann::json(top1->second);
    r["paper_top1"] = arch.paper.is_object() && arch.paper.contains("top1") ? arch.paper["top1"] : nlohmann::json(nullptr);
    rows.push_back(r);
  }
  if (vm.count("json")) {
    std::cout << rows.dump(1) << "\n";
    return 0;
  }
  auto pct = [](const nlohmann::json& v) {
    char b[16];
    if (v.is_null()) return std::string("-");
    std::snprintf(b, sizeof b, "%.2f", v.get<double>());
    return std::string(b);
  };
  auto print_row = [&](const nlohmann::json& r, const char* last) {
    std::printf("%-32s %12lld %15lld %5d %8s %8s\n", r["model"].get<std::string>().c_str(), r["params"].get<long long>(),
                r["macs"].get<long long>(), r["resolution"].get<int>(), pct(r["top1"]).c_str(), last);
  };
  std::printf("%-32s %12s %15s %5s %8s %8s\n", "model", "params", "MACs", "res", "top-1", "paper");
  for (const auto& r : rows)
    if (r["family"] == "mobilenetv4") print_row(r, pct(r["paper_top1"]).c_str());
  std::printf("\n%-32s %12s %15s %5s %8s %8s\n", "baseline", "params", "MACs", "res", "top-1", "family");
  for (const auto& r : rows)
    if (r["family"] != "mobilenetv4") print_row(r, r["family"].get<std::string>().c_str());
  std::printf("\ntop-1: timm's trained weights (default tag) at the default resolution; paper: MobileNetV4 Table 6. "
              "'-': none published.\n");
  return 0;
}

}  // namespace uibnas::cli
