#include "reports/label_placement.hpp"

#include <algorithm>
#include <cmath>


namespace uibnas::reports {

namespace {

constexpr size_t kFirstRing = 8;  // candidates per ring; beyond the first, a label needs a leader line

// Offsets of a label box's anchor corner from its point: right, left, above, below, the diagonals,
// then the same directions further out.
std::vector<Box> candidate_boxes(const LabelRequest& l, double w, double h, double gap) {
  std::vector<Box> out;
  for (double r : {1.0, 2.5, 4.0, 6.0}) {
    const double d = gap * r;
    const double dy = (r - 1) * h;  // the vertical step grows with the ring
    out.push_back({l.x + d, l.y - h / 2, w, h});
    out.push_back({l.x - d - w, l.y - h / 2, w, h});
    out.push_back({l.x - w / 2, l.y - d - h - dy, w, h});
    out.push_back({l.x - w / 2, l.y + d + dy, w, h});
    out.push_back({l.x + d, l.y - d - h - dy, w, h});
    out.push_back({l.x - d - w, l.y - d - h - dy, w, h});
    out.push_back({l.x + d, l.y + d + dy, w, h});
    out.push_back({l.x - d - w, l.y + d + dy, w, h});
  }
  return out;
}

}  // namespace

double text_width(const std::string& text, double font_px) { return 0.62 * font_px * double(text.size()) + 2; }

std::vector<PlacedLabel> place_labels(const std::vector<LabelRequest>& labels, const Box& bounds,
                                      const std::vector<Box>& reserved, const LabelLayout& layout) {
  std::vector<Box> obstacles = reserved;
  const double r = layout.marker_radius;
  for (const auto& l : labels) obstacles.push_back({l.x - r, l.y - r, 2 * r, 2 * r});
  const double h = layout.font_px + 2, gap = r + 3;
  std::vector<PlacedLabel> out(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) {
    const double w = text_width(labels[i].text, layout.font_px);
    const std::vector<Box> candidates = candidate_boxes(labels[i], w, h, gap);
    for (size_t c = 0; c < candidates.size() && !out[i].placed; ++c) {
      const Box& b = candidates[c];
      bool free = b.inside(bounds);
      for (size_t k = 0; free && k < obstacles.size(); ++k) free = !b.overlaps(obstacles[k]);
      if (!free) continue;
      out[i] = {true, b, c >= kFirstRing};
      obstacles.push_back(b);
    }
  }
  return out;
}

void draw_labels(SvgWriter& svg, const std::vector<LabelRequest>& labels, const std::vector<PlacedLabel>& placed) {
  svg.begin_group("labels");
  for (size_t i = 0; i < labels.size() && i < placed.size(); ++i) {
    if (!placed[i].placed) continue;
    const Box& b = placed[i].box;
    if (placed[i].leader) {
      const double x = std::clamp(labels[i].x, b.x, b.x + b.w), y = std::clamp(labels[i].y, b.y, b.y + b.h);
      svg.line(labels[i].x, labels[i].y, x, y, "leader");
    }
    svg.text(b.x + 1, b.y + b.h - 3, labels[i].text, "point-label");
  }
  svg.end_group();
}

}  // namespace uibnas::reports
