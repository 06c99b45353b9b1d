#include "reports/search_section.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "reports/options_text.hpp"
#include "reports/plot_frame.hpp"
#include "reports/rediscovery_table.hpp"

namespace uibnas::reports {

namespace {

constexpr double kWidth = 900, kHeight = 480;

double cell_number(const std::string& cell) {
  try {
    return cell.empty() ? NAN : std::stod(cell);
  } catch (const std::exception&) {
    return NAN;
  }
}

struct CloudAxes {
  std::string x, y;            // history columns
  std::string x_unit, y_unit;
};

// Latency across (when it is a metric) against the first other objective.
std::optional<CloudAxes> cloud_axes(const SearchFolder& s) {
  if (s.objectives.size() < 2) return std::nullopt;
  const auto latency = std::find_if(s.objectives.begin(), s.objectives.end(), [](const auto& o) { return o.label == "latency"; });
  const SearchMetric& x = latency != s.objectives.end() ? *latency : s.objectives[0];
  for (const auto& o : s.objectives)
    if (o.label != x.label) return CloudAxes{x.label, o.label, x.unit, o.unit};
  return std::nullopt;
}

AxisSpec axis_over(const std::vector<double>& values, const std::string& title) {
  double lo = 1e300, hi = -1e300;
  for (double v : values)
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (lo > hi) lo = 0, hi = 1;
  return AxisSpec{lo, hi, lo > 0 && hi / lo > 20, title};
}

// The published variant's metrics from rediscover.json, when they name both axes.
std::optional<std::pair<double, double>> variant_point(const SearchFolder& s, const CloudAxes& axes) {
  if (!s.rediscovery) return std::nullopt;
  const nlohmann::json metrics = s.rediscovery->value("direct", nlohmann::json::object())
                                     .value("variant", nlohmann::json::object())
                                     .value("metrics", nlohmann::json::object());
  if (!metrics.contains(axes.x) || !metrics.contains(axes.y) || !metrics[axes.x].is_number() || !metrics[axes.y].is_number())
    return std::nullopt;
  return std::make_pair(metrics[axes.x].get<double>(), metrics[axes.y].get<double>());
}

Figure cloud_figure(const SearchFolder& s, const CloudAxes& axes, const std::string& id) {
  const CsvTable& h = s.history;
  const size_t cx = size_t(h.column(axes.x)), cy = size_t(h.column(axes.y)), feasible = size_t(h.column("feasible")),
               encoding = size_t(h.column("encoding")), generation = size_t(h.column("generation"));
  std::vector<double> xs, ys;
  for (const auto& row : h.rows) xs.push_back(cell_number(row[cx])), ys.push_back(cell_number(row[cy]));
  const auto variant = variant_point(s, axes);
  if (variant) xs.push_back(variant->first), ys.push_back(variant->second);
  auto title = [](const std::string& label, const std::string& unit) { return unit.empty() ? label : label + " (" + unit + ")"; };
  const AxisSpec x = axis_over(xs, title(axes.x, axes.x_unit)), y = axis_over(ys, title(axes.y, axes.y_unit));
  const PlotFrame f = make_frame(plot_area(kWidth, kHeight), x, y);
  SvgWriter svg(kWidth, kHeight, "svg-" + id, "evaluated candidates");
  draw_axes(svg, f, x, y);
  // One path of zero-length round-capped segments draws thousands of dots in a few bytes each.
  std::string ok, bad;
  CsvTable csv;
  csv.header = {"generation", "encoding", axes.x, axes.y, "feasible", "front"};
  std::vector<std::pair<double, double>> front;
  for (size_t r = 0; r < h.rows.size(); ++r) {
    const auto& row = h.rows[r];
    const bool on_front = s.front.count(row[encoding]) > 0, is_feasible = row[feasible] == "1";
    csv.rows.push_back({row[generation], row[encoding], row[cx], row[cy], row[feasible], on_front ? "1" : "0"});
    if (!std::isfinite(xs[r]) || !std::isfinite(ys[r])) continue;
    (is_feasible ? ok : bad) += "M" + svg_number(f.px(xs[r])) + " " + svg_number(f.py(ys[r])) + "h0";
    if (on_front) front.emplace_back(xs[r], ys[r]);
  }
  if (!bad.empty()) svg.path(bad, "cloud-infeasible");
  if (!ok.empty()) svg.path(ok, "cloud");
  std::sort(front.begin(), front.end());
  front.erase(std::unique(front.begin(), front.end()), front.end());
  svg.begin_group("front-points");
  for (const auto& [fx, fy] : front)
    svg.circle(f.px(fx), f.py(fy), 3.5, "front-point", axes.x + " " + csv_number(fx) + ", " + axes.y + " " + csv_number(fy));
  svg.end_group();
  std::vector<LegendItem> legend{{"evaluated", "family-mobilenetv1", false}, {"front", "front-point", false}};
  if (!bad.empty()) legend.push_back({"infeasible", "family-other", false});
  if (variant) {
    const std::string model = s.rediscovery->value("model", "published variant");
    svg.circle(f.px(variant->first), f.py(variant->second), 6, "variant", model);
    svg.text(f.px(variant->first) + 9, f.py(variant->second) - 8, model_label(model), "point-label");
    legend.push_back({model_label(model) + " (published)", "variant", false});
  }
  draw_legend(svg, legend_box(f.area.right - 4, f.area.bottom - 4, legend), legend);
  svg.set_data_points(int(csv.rows.size()));
  Figure fig;
  fig.id = id;
  fig.title = "Search: " + axes.y + " vs " + axes.x + " (" + s.path + ")";
  fig.caption = "Every evaluated candidate of history.csv (" + std::to_string(h.rows.size()) +
                "), the feasible Pareto front of front.csv in red" +
                (variant ? std::string(", and the published variant rediscover.json names") : std::string()) + ".";
  fig.svg = svg.str();
  fig.data = std::move(csv);
  return fig;
}

Figure hypervolume_figure(const SearchFolder& s, const std::string& id) {
  std::vector<double> gens, values;
  for (size_t g = 0; g < s.hypervolume.size(); ++g) gens.push_back(double(g)), values.push_back(s.hypervolume[g].value_or(NAN));
  const AxisSpec x = axis_over(gens, "generation"), y = axis_over(values, "hypervolume");
  const PlotFrame f = make_frame(plot_area(kWidth, 320), {x.lo, x.hi, false, x.title}, {y.lo, y.hi, false, y.title});
  SvgWriter svg(kWidth, 320, "svg-" + id, "hypervolume by generation");
  draw_axes(svg, f, x, y);
  CsvTable csv;
  csv.header = {"generation", "hypervolume"};
  std::string d;
  for (size_t g = 0; g < values.size(); ++g) {
    csv.rows.push_back({std::to_string(g), csv_number(values[g])});
    if (!std::isfinite(values[g])) continue;
    d += (d.empty() ? "M" : "L") + svg_number(f.px(gens[g])) + " " + svg_number(f.py(values[g]));
  }
  if (!d.empty()) svg.path(d, "hv");
  svg.begin_group("points");
  for (size_t g = 0; g < values.size(); ++g)
    if (std::isfinite(values[g]))
      svg.circle(f.px(gens[g]), f.py(values[g]), 2.5, "hv-point", "generation " + std::to_string(g) + ": " + csv_number(values[g]));
  svg.end_group();
  svg.set_data_points(int(csv.rows.size()));
  Figure fig;
  fig.id = id;
  fig.title = "Hypervolume by generation (" + s.path + ")";
  fig.caption = "The front's hypervolume after each generation (search.json; objectives normalised by the first "
                "generation's bounds, reference point 1.2 on every axis).";
  fig.svg = svg.str();
  fig.data = std::move(csv);
  return fig;
}

}  // namespace

void add_search(Section& section, const SearchFolder& s, const std::string& suffix) {
  if (s.has_search) {
    section.notes.push_back(s.path + ": " + std::to_string(s.history.rows.size()) + " candidates evaluated; options " +
                            options_text(s.options));
    const auto axes = cloud_axes(s);
    if (axes) section.figures.push_back(cloud_figure(s, *axes, "search-cloud-" + suffix));
    else section.skipped.push_back(s.path + ": the evaluated cloud needs two objectives, the search had one");
    section.figures.push_back(hypervolume_figure(s, "search-hypervolume-" + suffix));
  } else {
    section.skipped.push_back(s.path + ": no history.csv and search.json (a --rediscover folder): no cloud, no hypervolume");
  }
  if (s.rediscovery) add_rediscovery(section, *s.rediscovery, s.path, suffix);
}

}  // namespace uibnas::reports
