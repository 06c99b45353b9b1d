// The frame of an x-y chart: its plotting area inside the SVG, the two scales, and the axes with
// ticks, grid lines and titles; plus a legend box.
#pragma once
#include <string>
#include <vector>

#include "reports/label_placement.hpp"
#include "reports/scale.hpp"
#include "reports/svg_writer.hpp"

namespace uibnas::reports {

struct PlotArea {
  double left = 0, top = 0, right = 0, bottom = 0;  // pixels inside the SVG
};

struct PlotFrame {
  PlotArea area;
  Scale x, y;
  double px(double v) const { return x.map(v); }
  double py(double v) const { return y.map(v); }
};

struct AxisSpec {
  double lo = 0, hi = 1;  // the data's extent; the frame widens it to nice values
  bool log = false;
  std::string title;
};

// The area of a width x height SVG left for the data, after room for tick labels and titles.
PlotArea plot_area(double width, double height);

PlotFrame make_frame(const PlotArea& area, const AxisSpec& x, const AxisSpec& y);

// Grid, both axes with ticks and tick labels, and the axis titles.
void draw_axes(SvgWriter& svg, const PlotFrame& frame, const AxisSpec& x, const AxisSpec& y);

// The x axis of a chart of horizontal bars between `top` and `bottom`: grid lines, about `ticks`
// tick labels under `bottom`, and the title below them.
void draw_bar_chart_axis(SvgWriter& svg, const Scale& x, int ticks, double top, double bottom, const std::string& title);

struct LegendItem {
  std::string label;
  std::string css_class;  // the class of the marker (a small circle) or bar (a small square)
  bool bar = false;
};

// The box a legend of `items` takes with its bottom-right corner at (right, bottom).
Box legend_box(double right, double bottom, const std::vector<LegendItem>& items);
void draw_legend(SvgWriter& svg, const Box& box, const std::vector<LegendItem>& items);

}  // namespace uibnas::reports
