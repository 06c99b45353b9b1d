#include "reports/top1_front.hpp"

namespace uibnas::reports {
namespace {

bool dominates(const ModelPoint& a, const ModelPoint& b) {
  return a.latency <= b.latency && a.top1 >= b.top1 && (a.latency < b.latency || a.top1 > b.top1);
}

}  // namespace

std::vector<std::optional<Domination>> top1_latency_front(const std::vector<ModelPoint>& points) {
  std::vector<std::optional<Domination>> out(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    const ModelPoint* best = nullptr;
    for (const ModelPoint& q : points)
      if (dominates(q, points[i]) &&
          (best == nullptr || q.latency < best->latency || (q.latency == best->latency && q.top1 > best->top1)))
        best = &q;
    if (best == nullptr) continue;
    const ModelPoint& p = points[i];
    out[i] = Domination{best->name, p.latency > 0 ? 100.0 * (best->latency / p.latency - 1.0) : 0.0, best->top1 - p.top1};
  }
  return out;
}

}  // namespace uibnas::reports
