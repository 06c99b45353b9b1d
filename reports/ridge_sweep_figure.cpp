#include "reports/ridge_sweep_figure.hpp"

#include <algorithm>

#include "reports/label_placement.hpp"
#include "reports/plot_frame.hpp"

namespace uibnas::reports {

namespace {

constexpr double kWidth = 900, kRowHeight = 20, kLeft = 180, kRight = 880, kMarkRows = 3, kMarkRowHeight = 14;

std::vector<std::string> rows_in_order(const RidgePointSweep& sweep, const std::vector<std::string>& model_order) {
  std::vector<std::string> rows;
  auto add = [&](const std::string& m) {
    if (std::find(rows.begin(), rows.end(), m) == rows.end()) rows.push_back(m);
  };
  for (const auto& m : model_order) add(m);
  for (const auto& [m, _] : sweep.ranges) add(m);
  return rows;
}

// Mark labels stacked in the band above the bars: each takes the first row where it overlaps no other.
void draw_marks(SvgWriter& svg, const RidgePointSweep& sweep, const Scale& x, double band_top, double bars_bottom) {
  std::vector<SweepMark> marks = sweep.marks;
  std::sort(marks.begin(), marks.end(), [](const auto& a, const auto& b) { return a.ridge_point < b.ridge_point; });
  std::vector<Box> taken;
  svg.begin_group("marks");
  for (const SweepMark& m : marks) {
    const double px = x.map(m.ridge_point);
    const std::string text = m.label + " " + csv_number(m.ridge_point);
    Box box{px + 2, band_top, text_width(text, 10), kMarkRowHeight - 2};
    for (int row = 0; row < kMarkRows; ++row) {
      box.y = band_top + row * kMarkRowHeight;
      if (std::none_of(taken.begin(), taken.end(), [&](const Box& b) { return b.overlaps(box); })) break;
    }
    if (box.x + box.w > kWidth) box.x = px - 2 - box.w;
    taken.push_back(box);
    svg.line(px, box.y + box.h / 2, px, bars_bottom, "mark");
    svg.text(box.x, box.y + box.h - 2, text, "mark-label");
  }
  svg.end_group();
}

}  // namespace

Figure ridge_sweep_figure(const RidgePointSweep& sweep, const std::vector<std::string>& model_order,
                          const std::string& id) {
  const std::vector<std::string> rows = rows_in_order(sweep, model_order);
  const double band_top = 8, bars_top = band_top + kMarkRows * kMarkRowHeight + 6;
  const double bars_bottom = bars_top + kRowHeight * double(rows.size());
  const double height = bars_bottom + 46;
  const Scale x = linear_scale(sweep.from, sweep.to, kLeft, kRight, 10);
  SvgWriter svg(kWidth, height, "svg-" + id, "Pareto-optimal ridge points per model");
  draw_bar_chart_axis(svg, x, 10, bars_top, bars_bottom, "ridge point (MACs/byte)");
  CsvTable csv;
  csv.header = {"model", "from_ridge_point", "to_ridge_point"};
  svg.begin_group("ranges");
  for (size_t r = 0; r < rows.size(); ++r) {
    const double y = bars_top + kRowHeight * double(r);
    svg.text(kLeft - 6, y + kRowHeight / 2 + 4, model_label(rows[r]), "row-label", "end");
    const auto it = std::find_if(sweep.ranges.begin(), sweep.ranges.end(), [&](const auto& e) { return e.first == rows[r]; });
    if (it == sweep.ranges.end()) continue;
    for (const auto& [lo, hi] : it->second) {
      // A one-point interval still gets a visible sliver: the sweep's step.
      const double x0 = x.map(lo), x1 = std::max(x.map(hi), x.map(lo + sweep.step));
      svg.rect(x0, y + 3, x1 - x0, kRowHeight - 6, "range",
               rows[r] + ": Pareto-optimal for ridge points " + csv_number(lo) + " to " + csv_number(hi));
      csv.rows.push_back({rows[r], csv_number(lo), csv_number(hi)});
    }
  }
  svg.end_group();
  draw_marks(svg, sweep, x, band_top, bars_bottom);
  svg.set_data_points(int(csv.rows.size()));
  Figure fig;
  fig.id = id;
  fig.title = "Which models are Pareto-optimal at which ridge point";
  fig.caption = "A bar spans the ridge points (peak MACs / memory bandwidth) at which the model is on the "
                "top-1 vs roofline-latency Pareto front, swept from " + csv_number(sweep.from) + " to " +
                csv_number(sweep.to) + " MACs/byte in steps of " + csv_number(sweep.step) +
                ", bytes counted at 1 per element as in the paper's INT8 fits. Dashed lines mark the paper's phones "
                "(Pixel 6 CPU 31.2, S23 CPU 39.7; paper Tab. 16) and each profiled machine's fitted ridge point, "
                "which counts FP32 bytes and so sits at 4x its value on this axis.";
  fig.svg = svg.str();
  fig.data = std::move(csv);
  return fig;
}

}  // namespace uibnas::reports
