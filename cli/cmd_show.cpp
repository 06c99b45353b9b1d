// uibnas show MODEL|FILE [--resolution N] [--format table|json|csv|timm]: per-block costs.
#include <cstdio>
#include <iostream>

#include "arch_defs/catalogue.hpp"
#include "common/error.hpp"
#include "cli/command.hpp"
#include "runtime/graph.hpp"

namespace uibnas::cli {
namespace {

nlohmann::json shape_json(const arch_defs::TensorShape& s) { return {s.c, s.h, s.w}; }

void print_table(const std::string& model, const arch_defs::OperatorList& ops) {
  std::printf("%s @ %dx%d\n\n", model.c_str(), ops.resolution, ops.resolution);
  std::printf("%4s  %-12s %-6s %-9s %-13s %-13s %10s %12s %12s %12s\n", "#", "block", "kind", "variant", "in", "out",
              "params", "MACs", "weight B", "act B");
  for (size_t i = 0; i < ops.blocks.size(); ++i) {
    const arch_defs::BlockInfo& b = ops.blocks[i];
    const std::string variant = b.kind == "uir" ? b.detail.substr(0, b.detail.find(' ')) : "";
    std::printf("%4zu  %-12s %-6s %-9s %-13s %-13s %10lld %12lld %12lld %12lld\n", i, b.name.c_str(), b.kind.c_str(),
                variant.c_str(), shape_text(b.in.c, b.in.h, b.in.w).c_str(), shape_text(b.out.c, b.out.h, b.out.w).c_str(),
                (long long)b.cost.params, (long long)b.cost.macs, (long long)b.cost.weight_bytes,
                (long long)b.cost.activation_bytes);
  }
  const arch_defs::OpCost& t = ops.total;
  std::printf("%4s  %-12s %-6s %-9s %-13s %-13s %10lld %12lld %12lld %12lld\n", "", "total", "", "", "", "",
              (long long)t.params, (long long)t.macs, (long long)t.weight_bytes, (long long)t.activation_bytes);
  std::printf("\nparams %s, MACs %s (conv + linear + attention matmuls), %zu operators. Bytes are FP32; activation\n"
              "bytes count each operator's inputs read and output written, with BN, activation and layer scale\n"
              "folded into the producing conv.\n",
              human_count(t.params).c_str(), human_count(t.macs).c_str(), ops.ops.size());
}

void print_csv(const arch_defs::OperatorList& ops) {
  std::printf("index,name,kind,detail,in_c,in_h,in_w,out_c,out_h,out_w,params,macs,weight_bytes,activation_bytes\n");
  for (size_t i = 0; i < ops.blocks.size(); ++i) {
    const arch_defs::BlockInfo& b = ops.blocks[i];
    std::printf("%zu,%s,%s,%s,%d,%d,%d,%d,%d,%d,%lld,%lld,%lld,%lld\n", i, b.name.c_str(), b.kind.c_str(),
                b.detail.c_str(), b.in.c, b.in.h, b.in.w, b.out.c, b.out.h, b.out.w, (long long)b.cost.params,
                (long long)b.cost.macs, (long long)b.cost.weight_bytes, (long long)b.cost.activation_bytes);
  }
}

}  // namespace

static nlohmann::json show_json(const std::string& model, const arch_defs::OperatorList& ops) {
  nlohmann::json blocks = nlohmann::json::array();
  for (const auto& b : ops.blocks)
    blocks.push_back({{"name", b.name}, {"kind", b.kind}, {"in", shape_json(b.in)}, {"out", shape_json(b.out)},
                      {"params", b.cost.params}, {"macs", b.cost.macs}, {"weight_bytes", b.cost.weight_bytes},
                      {"activation_bytes", b.cost.activation_bytes}});
  return {{"model", model}, {"resolution", ops.resolution}, {"params", ops.total.params}, {"macs", ops.total.macs},
          {"blocks", blocks}};
}

int run_show(const Args& args) {
  namespace po = boost::program_options;
  po::options_description opts("options");
  std::string model, format;
  int resolution = 0;
  opts.add_options()
      ("model", po::value(&model)->required(), "built-in model name or architecture JSON file")
      ("resolution,r", po::value(&resolution), "input size in pixels (default: the model's input_size)")
      ("format,f", po::value(&format)->default_value("table"), "table | json | csv | timm");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse_command_line(args, "usage: uibnas show MODEL|FILE [--resolution N] [--format table|json|csv|timm]\n\n"
                                "Per-block table: shapes, params, MACs, weight and activation bytes, and totals.",
                          opts, pos, vm))
    return 0;
  if (format != "table" && format != "json" && format != "csv" && format != "timm")
    throw common::InputError("--format must be table, json, csv or timm, got '" + format + "'");
  const arch_defs::Architecture arch = arch_defs::resolve_architecture(model);
  if (format == "timm") {
    std::cout << arch_defs::architecture_to_json(arch).dump(1) << "\n";
    return 0;
  }
  if (!vm.count("resolution")) resolution = arch.input_size;
  const runtime::OperatorGraph graph(arch_defs::lower_network(arch_defs::build_network(arch), resolution));
  const arch_defs::OperatorList& ops = graph.ops();
  if (format == "json") std::cout << show_json(arch.name, ops).dump(1) << "\n";
  else if (format == "csv") print_csv(ops);
  else print_table(arch.name, ops);
  return 0;
}

}  // namespace uibnas::cli
