// Labels never overlap each other, the points, or reserved boxes, and stay inside the plot.
#include <catch2/catch.hpp>

#include <random>

#include "reports/label_placement.hpp"

using namespace uibnas::reports;

namespace {

void check_layout(const std::vector<LabelRequest>& labels, const std::vector<PlacedLabel>& placed, const Box& bounds,
                  const std::vector<Box>& reserved) {
  const LabelLayout layout;
  for (size_t i = 0; i < placed.size(); ++i) {
    if (!placed[i].placed) continue;
    const Box& b = placed[i].box;
    CHECK(b.inside(bounds));
    CHECK(b.w >= text_width(labels[i].text));
    for (size_t k = 0; k < placed.size(); ++k) {
      const double r = layout.marker_radius;
      CHECK_FALSE(b.overlaps({labels[k].x - r, labels[k].y - r, 2 * r, 2 * r}));
      if (k != i && placed[k].placed) CHECK_FALSE(b.overlaps(placed[k].box));
    }
    for (const Box& r : reserved) CHECK_FALSE(b.overlaps(r));
  }
}

}  // namespace

TEST_CASE("labels of well-separated points all sit next to them", "[reports]") {
  const std::vector<LabelRequest> labels{{100, 100, "conv_small"}, {300, 200, "conv_medium"}, {500, 300, "conv_large"}};
  const Box bounds{0, 0, 800, 400};
  const std::vector<PlacedLabel> placed = place_labels(labels, bounds);
  check_layout(labels, placed, bounds, {});
  for (size_t i = 0; i < labels.size(); ++i) {
    REQUIRE(placed[i].placed);
    CHECK_FALSE(placed[i].leader);
    CHECK(placed[i].box.x == Approx(labels[i].x + 7));  // the first choice: right of the point, centred
    CHECK(placed[i].box.y + placed[i].box.h / 2 == Approx(labels[i].y));
  }
}

TEST_CASE("a crowded cluster gets no overlapping label", "[reports]") {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> near(380, 420);
  std::vector<LabelRequest> labels;
  for (int i = 0; i < 40; ++i) labels.push_back({near(rng), near(rng), "MNv4 model_" + std::to_string(i)});
  const Box bounds{0, 0, 900, 800};
  const std::vector<Box> reserved{{420, 380, 200, 60}};  // a legend right of the cluster
  const std::vector<PlacedLabel> placed = place_labels(labels, bounds, reserved);
  check_layout(labels, placed, bounds, reserved);
  int shown = 0;
  for (const auto& p : placed) shown += p.placed;
  CHECK(shown >= 20);  // the rings around the cluster hold at least half of them
  CHECK(placed[0].placed);
}

TEST_CASE("a label that fits nowhere inside the bounds is left out", "[reports]") {
  const std::vector<LabelRequest> labels{{10, 10, "a label far too long for this tiny plot"}};
  const std::vector<PlacedLabel> placed = place_labels(labels, {0, 0, 60, 30});
  CHECK_FALSE(placed[0].placed);
}
