#include "reports/latency_breakdown_figure.hpp"

#include <algorithm>
#include <map>

#include "arch_defs/catalogue.hpp"
#include "arch_defs/network.hpp"
#include "common/error.hpp"
#include "estimator/table_estimators.hpp"
#include "reports/plot_frame.hpp"

namespace uibnas::reports {

namespace {

constexpr double kWidth = 900, kRowHeight = 22, kLeft = 210, kRight = 880, kTop = 12;
// Every part kind of a latency signature (latency/signature.hpp), then the fitted overhead.
const std::vector<std::string> kKinds{"stem", "cn", "er", "uir", "mqa", "ds", "dsa", "ir", "head", "overhead"};

struct Breakdown {
  std::string model;
  int resolution = 0, roofline_parts = 0;
  std::map<std::string, double> ms;  // by kind
  double total = 0;    // the estimate
  double stacked = 0;  // the bar's length: its positive parts
};

Breakdown breakdown_of(const estimator::NetworkEstimate& e) {
  Breakdown b{e.name, e.resolution, 0, {}, 0, 0};
  for (const auto& p : e.parts) {
    b.ms[p.kind] += p.lut_ms;
    b.roofline_parts += p.from_roofline;
  }
  b.ms["overhead"] = e.lut_overhead_ms;
  for (const auto& [_, v] : b.ms) b.total += v, b.stacked += std::max(v, 0.0);
  return b;
}

std::vector<Breakdown> estimate_all(const LoadedTable& table, const std::vector<ModelAtResolution>& models,
                                    std::vector<std::string>& unknown) {
  estimator::EstimatorOptions options;
  options.allow_missing = true;  // a part the table lacks is the roofline's, and the CSV says how many
  const estimator::TableEstimators estimators(table.table, table.path, options);
  std::vector<Breakdown> out;
  for (const auto& m : models) {
    try {
      const arch_defs::Architecture arch = arch_defs::resolve_architecture(m.name);
      const int resolution = m.resolution > 0 ? m.resolution : arch.input_size;
      out.push_back(breakdown_of(estimators.estimate(arch_defs::build_network(arch), resolution, arch.name)));
    } catch (const common::InputError&) {
      unknown.push_back(m.name);
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.total < b.total; });
  return out;
}

}  // namespace

Figure latency_breakdown_figure(const LoadedTable& table, const std::vector<ModelAtResolution>& models,
                                const std::string& id, std::vector<std::string>& unknown) {
  const std::vector<Breakdown> rows = estimate_all(table, models, unknown);
  double longest = 0;
  for (const auto& b : rows) longest = std::max(longest, b.stacked);
  const double bars_bottom = kTop + kRowHeight * double(rows.size()), height = bars_bottom + 46 + 26;
  const Scale x = linear_scale(0, longest, kLeft, kRight, 8);
  SvgWriter svg(kWidth, height, "svg-" + id, "latency by block kind on " + table.table.hardware_name);
  draw_bar_chart_axis(svg, x, 8, kTop, bars_bottom, "lookup-table estimate (ms)");
  CsvTable csv;
  csv.header = {"model", "resolution", "kind", "ms", "share_percent", "roofline_parts"};
  for (size_t r = 0; r < rows.size(); ++r) {
    const Breakdown& b = rows[r];
    const double y = kTop + kRowHeight * double(r);
    svg.text(kLeft - 6, y + kRowHeight / 2 + 4, model_label(b.model) + " @" + std::to_string(b.resolution), "row-label", "end");
    double start = 0;
    for (const std::string& kind : kKinds) {
      const auto it = b.ms.find(kind);
      if (it == b.ms.end() || it->second == 0) continue;
      // A negative overhead (the parts alone overestimate the network) is drawn back over the bar's end.
      const double from = std::min(start, start + it->second), to = std::max(start, start + it->second);
      svg.rect(x.map(from), y + 3, x.map(to) - x.map(from), kRowHeight - 6,
               "kind-" + kind + (it->second < 0 ? " negative" : ""), b.model + ": " + kind + " " + csv_number(it->second) + " ms");
      csv.rows.push_back({b.model, std::to_string(b.resolution), kind, csv_number(it->second),
                          csv_number(100 * it->second / b.total), std::to_string(b.roofline_parts)});
      start += it->second;
    }
  }
  std::vector<LegendItem> legend;
  for (const std::string& kind : kKinds) legend.push_back({kind, "kind-" + kind, true});
  double lx = kLeft;
  for (const auto& item : legend) {  // one legend row under the axis title
    svg.rect(lx, height - 18, 10, 10, item.css_class);
    svg.text(lx + 14, height - 9, item.label, "legend-label");
    lx += 28 + text_width(item.label);
  }
  svg.set_data_points(int(csv.rows.size()));
  Figure fig;
  fig.id = id;
  fig.title = "Where the latency goes: " + table.table.hardware_name + ", " + std::to_string(table.table.threads) + " thread(s)";
  fig.caption = "Each model's lookup-table estimate on " + table.path +
                ", its parts' entries summed by block kind (stem; cn: plain conv; er: fused inverted bottleneck; "
                "uir: universal inverted bottleneck; mqa: attention; ds/dsa: depthwise-separable; ir: inverted residual; "
                "head: pool, 1x1 conv and classifier) plus the "
                "per-network overhead fitted on the table's end-to-end runs (outlined, drawn back from the bar's end, "
                "where it is negative). Parts the table lacks are estimated "
                "with its block-fitted roofline (roofline_parts in the CSV).";
  fig.svg = svg.str();
  fig.data = std::move(csv);
  return fig;
}

}  // namespace uibnas::reports
