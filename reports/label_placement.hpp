// Point labels that do not overlap: each label is tried at positions around its point, nearest
// first, and takes the first one that stays inside the plot and clear of every marker and every
// label placed before it. A label with no free position is left out of the drawing (the point keeps
// its tooltip, and the figure's CSV names it).
#pragma once
#include <string>
#include <vector>

#include "reports/svg_writer.hpp"

namespace uibnas::reports {

struct Box {
  double x = 0, y = 0, w = 0, h = 0;  // top-left corner and size, pixels
  bool overlaps(const Box& o) const { return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h; }
  bool inside(const Box& o) const { return x >= o.x && y >= o.y && x + w <= o.x + o.w && y + h <= o.y + o.h; }
};

struct LabelRequest {
  double x = 0, y = 0;  // the point, pixels
  std::string text;
};

struct PlacedLabel {
  bool placed = false;
  Box box;              // the text's box when placed
  bool leader = false;  // far enough from its point to need a connecting line
};

struct LabelLayout {
  double font_px = 11;
  double marker_radius = 4;  // every point is an obstacle of this radius
};

// Places labels in the given order (earlier ones get the nearest positions), clear of `reserved`
// boxes (a legend) too.
std::vector<PlacedLabel> place_labels(const std::vector<LabelRequest>& labels, const Box& bounds,
                                      const std::vector<Box>& reserved = {}, const LabelLayout& layout = {});

// A text's box at the chart font size: an upper estimate of its width, for layout.
double text_width(const std::string& text, double font_px = 11);

// Draws the placed labels (class "point-label") with a leader line where one is needed.
void draw_labels(SvgWriter& svg, const std::vector<LabelRequest>& labels, const std::vector<PlacedLabel>& placed);

}  // namespace uibnas::reports
