#include "reports/tradeoff_figure.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "reports/label_placement.hpp"
#include "reports/plot_frame.hpp"

namespace uibnas::reports {

namespace {

constexpr double kWidth = 900, kHeight = 500;

std::string family_class(const std::string& family) {
  static const std::vector<std::string> known{"mobilenetv4", "mobilenetv1", "mobilenetv2", "mobilenetv3", "efficientnet"};
  return std::find(known.begin(), known.end(), family) != known.end() ? "family-" + family : "family-other";
}

// The front as a staircase: from each member across to the next one's latency, then up to its top-1.
// Its segments (as thin boxes) are kept clear of labels.
std::string front_path(const PlotFrame& f, std::vector<const RankedModel*> front, std::vector<Box>& segments) {
  std::sort(front.begin(), front.end(), [](auto* a, auto* b) { return a->latency_ms < b->latency_ms; });
  std::string d;
  double px = 0, py = 0;
  for (size_t i = 0; i < front.size(); ++i) {
    const double x = f.px(front[i]->latency_ms), y = f.py(front[i]->top1);
    if (i == 0) {
      d += "M" + svg_number(x) + " " + svg_number(y);
    } else {
      d += "H" + svg_number(x) + "V" + svg_number(y);
      segments.push_back({px, py - 1, x - px, 2});
      segments.push_back({x - 1, std::min(y, py), 2, std::abs(py - y)});
    }
    px = x, py = y;
  }
  return d;
}

CsvTable tradeoff_csv(const TableRanking& table, const std::vector<PlacedLabel>& placed) {
  CsvTable csv;
  csv.header = {"model", "family", "top1", "latency_ms", "latency_source", "resolution", "macs", "params", "pareto",
                "dominated_by", "label_shown"};
  for (size_t i = 0; i < table.models.size(); ++i) {
    const RankedModel& m = table.models[i];
    csv.rows.push_back({m.name, m.family, csv_number(m.top1), csv_number(m.latency_ms), rank_latency_name(m.latency_source),
                        std::to_string(m.resolution), csv_number(double(m.macs)), csv_number(double(m.params)), m.on_front() ? "1" : "0",
                        m.dominated_by ? m.dominated_by->model : "", placed[i].placed ? "1" : "0"});
  }
  return csv;
}

std::string tooltip(const RankedModel& m) {
  std::string t = m.name + ": top-1 " + csv_number(m.top1) + "%, " + csv_number(m.latency_ms) + " ms";
  if (m.dominated_by)
    t += "; dominated by " + m.dominated_by->model + " (" + csv_number(m.dominated_by->latency_pct) + "% latency, " +
         csv_number(m.dominated_by->top1_delta) + " top-1)";
  return t;
}

}  // namespace

Figure tradeoff_figure(const TableRanking& table, const std::string& id) {
  double lo = 1e300, hi = 0, top_lo = 1e300, top_hi = -1e300;
  for (const auto& m : table.models) {
    lo = std::min(lo, m.latency_ms), hi = std::max(hi, m.latency_ms);
    top_lo = std::min(top_lo, m.top1), top_hi = std::max(top_hi, m.top1);
  }
  const AxisSpec x{lo, hi, true, "latency (ms)"}, y{top_lo - 0.5, top_hi + 0.5, false, "ImageNet top-1 (%)"};
  const PlotFrame f = make_frame(plot_area(kWidth, kHeight), x, y);
  SvgWriter svg(kWidth, kHeight, "svg-" + id, "top-1 vs latency on " + table.hardware);
  draw_axes(svg, f, x, y);
  std::vector<const RankedModel*> front;
  for (const auto& m : table.models)
    if (m.on_front()) front.push_back(&m);
  std::vector<Box> reserved;
  if (!front.empty()) svg.path(front_path(f, front, reserved), "front");
  std::vector<LabelRequest> labels;
  std::map<std::string, bool> families;
  svg.begin_group("points");
  for (const auto& m : table.models) {
    const double px = f.px(m.latency_ms), py = f.py(m.top1);
    svg.circle(px, py, 4.5, family_class(m.family) + (m.on_front() ? " on-front" : " dominated"), tooltip(m));
    labels.push_back({px, py, model_label(m.name)});
    families[m.family] = true;
  }
  svg.end_group();
  // Front members are labelled first: they get the nearest positions.
  std::vector<size_t> order(labels.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return table.models[a].on_front() > table.models[b].on_front(); });
  std::vector<LabelRequest> ordered;
  for (size_t i : order) ordered.push_back(labels[i]);
  std::vector<LegendItem> legend;
  for (const auto& [family, _] : families) legend.push_back({family, family_class(family), false});
  legend.push_back({"Pareto-optimal (black ring)", "family-other on-front", false});
  const PlotArea& a = f.area;
  const Box legend_at = legend_box(a.right - 4, a.bottom - 4, legend);
  reserved.push_back(legend_at);
  const std::vector<PlacedLabel> placed_ordered =
      place_labels(ordered, {a.left + 1, a.top + 1, a.right - a.left - 2, a.bottom - a.top - 2}, reserved);
  std::vector<PlacedLabel> placed(labels.size());
  for (size_t k = 0; k < order.size(); ++k) placed[order[k]] = placed_ordered[k];
  draw_labels(svg, labels, placed);
  draw_legend(svg, legend_at, legend);
  svg.set_data_points(int(table.models.size()));
  Figure fig;
  fig.id = id;
  fig.title = "Top-1 vs latency: " + table.hardware + ", " + std::to_string(table.threads) + " thread(s)";
  fig.caption = "Each model's ImageNet top-1 against its latency on " + table.table +
                " (log scale); the dashed staircase joins the Pareto-optimal models (no other model is both faster "
                "and more accurate), faded points are dominated. Hover a point for its numbers.";
  fig.svg = svg.str();
  fig.data = tradeoff_csv(table, placed);
  return fig;
}

}  // namespace uibnas::reports
