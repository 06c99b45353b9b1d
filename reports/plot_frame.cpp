#include "reports/plot_frame.hpp"

#include <algorithm>

namespace uibnas::reports {

PlotArea plot_area(double width, double height) { return PlotArea{66, 14, width - 18, height - 46}; }

PlotFrame make_frame(const PlotArea& area, const AxisSpec& x, const AxisSpec& y) {
  PlotFrame f;
  f.area = area;
  f.x = x.log ? log_scale(x.lo, x.hi, area.left, area.right) : linear_scale(x.lo, x.hi, area.left, area.right);
  f.y = y.log ? log_scale(y.lo, y.hi, area.bottom, area.top) : linear_scale(y.lo, y.hi, area.bottom, area.top);
  return f;
}

void draw_bar_chart_axis(SvgWriter& svg, const Scale& x, int ticks, double top, double bottom, const std::string& title) {
  svg.begin_group("axes");
  for (double t : x.ticks(ticks)) {
    svg.line(x.map(t), top, x.map(t), bottom, "grid");
    svg.text(x.map(t), bottom + 15, tick_label(t), "tick-label", "middle");
  }
  const double left = x.range_lo, right = x.range_hi;
  svg.line(left, bottom, right, bottom, "axis");
  svg.text((left + right) / 2, bottom + 34, title, "axis-title", "middle");
  svg.end_group();
}

void draw_axes(SvgWriter& svg, const PlotFrame& f, const AxisSpec& x, const AxisSpec& y) {
  const PlotArea& a = f.area;
  svg.begin_group("axes");
  for (double t : f.x.ticks()) {
    const double px = f.px(t);
    svg.line(px, a.top, px, a.bottom, "grid");
    svg.line(px, a.bottom, px, a.bottom + 4, "tick");
    svg.text(px, a.bottom + 15, tick_label(t), "tick-label", "middle");
  }
  for (double t : f.y.ticks()) {
    const double py = f.py(t);
    svg.line(a.left, py, a.right, py, "grid");
    svg.line(a.left - 4, py, a.left, py, "tick");
    svg.text(a.left - 6, py + 4, tick_label(t), "tick-label", "end");
  }
  svg.line(a.left, a.bottom, a.right, a.bottom, "axis");
  svg.line(a.left, a.top, a.left, a.bottom, "axis");
  svg.text((a.left + a.right) / 2, a.bottom + 34, x.title + (x.log ? " (log scale)" : ""), "axis-title", "middle");
  svg.text(16, (a.top + a.bottom) / 2, y.title + (y.log ? " (log scale)" : ""), "axis-title", "middle", -90);
  svg.end_group();
}

Box legend_box(double right, double bottom, const std::vector<LegendItem>& items) {
  double widest = 0;
  for (const auto& item : items) widest = std::max(widest, text_width(item.label));
  const double w = widest + 30, h = 16.0 * double(items.size()) + 8;
  return {right - w, bottom - h, w, h};
}

void draw_legend(SvgWriter& svg, const Box& box, const std::vector<LegendItem>& items) {
  if (items.empty()) return;
  const double left = box.x, top = box.y;
  svg.begin_group("legend");
  svg.rect(box.x, box.y, box.w, box.h, "legend-box");
  for (size_t i = 0; i < items.size(); ++i) {
    const double cy = top + 12 + 16.0 * double(i);
    if (items[i].bar) svg.rect(left + 6, cy - 5, 10, 10, items[i].css_class);
    else svg.circle(left + 11, cy, 4, items[i].css_class);
    svg.text(left + 22, cy + 4, items[i].label, "legend-label");
  }
  svg.end_group();
}

}  // namespace uibnas::reports
