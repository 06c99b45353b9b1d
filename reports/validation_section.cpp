#include "reports/validation_section.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "reports/label_placement.hpp"
#include "reports/options_text.hpp"
#include "reports/plot_frame.hpp"

namespace uibnas::reports {

namespace {

constexpr double kSize = 560, kBand = 0.10;

// The ±10% band around y = x over the frame's x domain, as one closed path.
std::string band_path(const PlotFrame& f) {
  const double lo = f.x.domain_lo, hi = f.x.domain_hi;
  return "M" + svg_number(f.px(lo)) + " " + svg_number(f.py(lo * (1 + kBand))) + "L" + svg_number(f.px(hi)) + " " +
         svg_number(f.py(hi * (1 + kBand))) + "L" + svg_number(f.px(hi)) + " " + svg_number(f.py(hi * (1 - kBand))) +
         "L" + svg_number(f.px(lo)) + " " + svg_number(f.py(lo * (1 - kBand))) + "Z";
}

Figure scatter_figure(const ValidationFolder& v, const std::string& id) {
  double lo = 1e300, hi = 0;
  for (const auto& p : v.points) lo = std::min({lo, p.measured_ms, p.lut_ms}), hi = std::max({hi, p.measured_ms, p.lut_ms});
  const AxisSpec x{lo, hi, true, "measured (ms)"}, y{lo, hi, true, "lookup-table estimate (ms)"};
  const PlotFrame f = make_frame(plot_area(kSize, kSize), x, y);  // equal domains: y = x is the diagonal
  SvgWriter svg(kSize, kSize, "svg-" + id, "estimated vs measured latency");
  svg.path(band_path(f), "band");
  draw_axes(svg, f, x, y);
  svg.line(f.px(f.x.domain_lo), f.py(f.x.domain_lo), f.px(f.x.domain_hi), f.py(f.x.domain_hi), "diagonal");
  CsvTable csv;
  csv.header = {"name", "group", "measured_ms", "lut_ms", "error_percent", "within_10"};
  std::vector<LabelRequest> labels;
  svg.begin_group("points");
  for (const auto& p : v.points) {
    const double err = 100 * (p.lut_ms / p.measured_ms - 1);
    const bool published = p.group == "published";
    svg.circle(f.px(p.measured_ms), f.py(p.lut_ms), 4, published ? "measured-published" : "measured-sampled",
               p.name + ": measured " + csv_number(p.measured_ms) + " ms, estimate " + csv_number(p.lut_ms) + " ms (" +
                   csv_number(err) + "%)");
    if (published) labels.push_back({f.px(p.measured_ms), f.py(p.lut_ms), model_label(p.name)});
    csv.rows.push_back({p.name, p.group, csv_number(p.measured_ms), csv_number(p.lut_ms), csv_number(err),
                        std::abs(err) <= 100 * kBand ? "1" : "0"});
  }
  svg.end_group();
  const std::vector<LegendItem> legend{{"published variant", "measured-published", false},
                                       {"sampled candidate", "measured-sampled", false},
                                       {"within ±10%", "band", true}};
  const Box legend_at = legend_box(f.area.right - 4, f.area.bottom - 4, legend);
  const PlotArea& a = f.area;
  draw_labels(svg, labels, place_labels(labels, {a.left + 1, a.top + 1, a.right - a.left - 2, a.bottom - a.top - 2}, {legend_at}));
  draw_legend(svg, legend_at, legend);
  svg.set_data_points(int(v.points.size()));
  Figure fig;
  fig.id = id;
  fig.title = "Estimated vs measured: " + v.hardware_name + ", " + std::to_string(v.threads) + " thread(s)";
  fig.caption = "The lookup-table estimate of each validated architecture against its measured latency (" +
                v.statistic + " statistic), both on log scales; the shaded band is within ±10% of the measurement.";
  fig.svg = svg.str();
  fig.data = std::move(csv);
  return fig;
}

CsvTable metrics_table(const ValidationFolder& v) {
  CsvTable t;
  t.header = {"estimator", "group", "n", "rmse_ms", "rmspe_percent", "within_5_percent", "within_10_percent",
              "spearman", "kendall", "mean_bias_percent"};
  auto num = [](const nlohmann::json& j, const char* key, double scale = 1) {
    if (!j.contains(key) || !j[key].is_number()) return std::string();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", scale * j[key].get<double>());
    return std::string(buf);
  };
  for (const auto& a : v.agreement)
    t.rows.push_back({a.value("estimator", ""), a.value("group", ""), num(a, "count"), num(a, "rmse_ms"),
                      num(a, "rmspe_percent"), num(a, "within_5", 100), num(a, "within_10", 100), num(a, "spearman"),
                      num(a, "kendall"), num(a, "mean_bias_percent")});
  return t;
}

}  // namespace

void add_validation(Section& section, const ValidationFolder& v, const std::string& suffix) {
  section.notes.push_back(v.path + ": validation of " + v.table_path + " (" + v.hardware_name + ", " +
                          std::to_string(v.threads) + " thread(s)), " + std::to_string(v.points.size()) +
                          " architectures; options " + options_text(v.options));
  section.notes.push_back(v.steadiness.empty() ? "machine steadiness: not recorded in " + v.path
                                               : v.steadiness);
  if (v.points.empty()) section.skipped.push_back(v.path + ": validation.csv holds no architecture to draw");
  else section.figures.push_back(scatter_figure(v, "validation-scatter-" + suffix));
  section.tables.push_back({"validation-metrics-" + suffix, "Agreement of every estimator: " + v.hardware_name + ", " +
                                                                std::to_string(v.threads) + " thread(s)",
                            metrics_table(v)});
}

}  // namespace uibnas::reports
