// The lookup-table estimator on hand-made tables whose answers are sums worked out here, its fast
// path against the breakdown, the fitted overhead, and missing entries.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "common/error.hpp"
#include "estimator/table_estimators.hpp"
#include "estimator_test_support.hpp"

using namespace uibnas;
using namespace uibnas::estimator;

namespace {

// Every distinct part of `nets` gets latency 0.01 ms * (its first-seen position + 1), min 90% of it.
latency::LatencyTable hand_table(const std::vector<TestNetwork>& nets, int threads, std::map<std::string, double>& ms) {
  latency::LatencyTable t;
  t.hardware_name = "hand";
  t.threads = threads;
  t.protocol = {{"warmup", 1}, {"repeats", 3}};
  for (const auto& n : nets)
    for (const auto& p : latency::network_parts(n.net, n.resolution, threads)) {
      const std::string key = p.signature.key();
      if (ms.count(key)) continue;
      const double v = 0.01 * double(ms.size() + 1);
      ms[key] = v;
      t.entries[key] = {p.signature, {v, v * 0.95, v * 1.1, v * 0.9, 3}};
    }
  return t;
}

double hand_sum(const TestNetwork& n, int threads, const std::map<std::string, double>& ms, double factor = 1) {
  double s = 0;
  for (const auto& p : latency::network_parts(n.net, n.resolution, threads)) s += factor * ms.at(p.signature.key());
  return s;
}

}  // namespace

TEST_CASE("without end-to-end runs the estimate is the sum of the parts' entries", "[lut]") {
  const std::vector<TestNetwork> nets = test_networks(3);
  std::map<std::string, double> ms;
  const latency::LatencyTable table = hand_table(nets, 2, ms);
  const TableEstimators est(table, "hand.json", {});
  const TableEstimators est_min(table, "hand.json", {Statistic::Min, std::nullopt, false});
  CHECK(est.lut().overhead().model.form == "none");
  CHECK(!est.roofline());      // a fingerprint without peaks
  CHECK(!est.calibration());   // and no end-to-end runs to calibrate on
  PreparedCandidate c;
  for (const auto& n : nets) {
    INFO(n.arch.name);
    const double expected = hand_sum(n, 2, ms);
    est.lut().prepare(n.net, n.resolution, c);
    CHECK(c.missing == 0);
    CHECK(est.lut().estimate(c) == Approx(expected).epsilon(1e-12));
    const NetworkEstimate e = est.estimate(n.net, n.resolution, n.arch.name);
    CHECK(e.lut_ms == Approx(expected).epsilon(1e-12));
    CHECK(e.lut_overhead_ms == 0);
    CHECK(e.threads == 2);
    for (const auto& p : e.parts) CHECK(p.lut_ms == ms.at(p.signature));
    est_min.lut().prepare(n.net, n.resolution, c);
    CHECK(est_min.lut().estimate(c) == Approx(hand_sum(n, 2, ms, 0.9)).epsilon(1e-12));
  }
}

TEST_CASE("the overhead fitted on end-to-end runs is added to every estimate", "[lut]") {
  const std::vector<TestNetwork> nets = test_networks(2);
  std::map<std::string, double> ms;
  latency::LatencyTable table = hand_table(nets, 1, ms);
  // Five published networks measured end to end 6% above the sum of their parts.
  for (size_t i = 0; i < 5; ++i) {
    latency::EndToEnd e{nets[i].arch.name, nets[i].resolution, {}, {}};
    const double m = hand_sum(nets[i], 1, ms) * 1.06;
    e.latency = {m, m, m, m, 3};
    for (const auto& p : latency::network_parts(nets[i].net, nets[i].resolution, 1)) e.parts.push_back(p.signature.key());
    table.end_to_end.push_back(e);
  }
  const TableEstimators est(table, "hand.json", {});
  CHECK(est.lut().overhead().model.form == "per-part+scale");
  CHECK(est.lut().overhead().model.proportional == Approx(0.06).epsilon(1e-9));
  CHECK(est.lut().overhead().model.per_part_ms == Approx(0).margin(1e-9));
  CHECK(est.lut().overhead().count == 5);
  REQUIRE(est.calibration());
  PreparedCandidate c;
  for (size_t i = 5; i < nets.size(); ++i) {  // sampled candidates, not among the fitted runs
    INFO(nets[i].arch.name);
    est.lut().prepare(nets[i].net, nets[i].resolution, c);
    CHECK(est.lut().estimate(c) == Approx(hand_sum(nets[i], 1, ms) * 1.06).epsilon(1e-9));
    const NetworkEstimate e = est.estimate(nets[i].net, nets[i].resolution, nets[i].arch.name);
    CHECK(e.lut_overhead_ms == Approx(hand_sum(nets[i], 1, ms) * 0.06).epsilon(1e-9));
    CHECK(std::isfinite(e.calibrated_roofline_ms));
    CHECK(std::isfinite(e.macs_ms));
  }
}

TEST_CASE("a missing entry is an error naming it, or with allow_missing a flagged roofline estimate", "[lut]") {
  const std::vector<TestNetwork> nets = test_networks(1);
  std::map<std::string, double> ms;
  latency::LatencyTable table = hand_table(nets, 1, ms);
  const TestNetwork& medium =
      *std::find_if(nets.begin(), nets.end(), [](const TestNetwork& n) { return n.arch.name == "mobilenetv4_conv_medium"; });
  const auto parts = latency::network_parts(medium.net, medium.resolution, 1);
  const std::string gone = parts[6].signature.key();
  table.entries.erase(gone);
  // Every other network using that part is missing it too; only conv_medium is checked.
  const TableEstimators strict(table, "hand.json", {});
  try {
    strict.estimate(medium.net, medium.resolution, medium.arch.name);
    FAIL("expected an InputError");
  } catch (const common::InputError& e) {
    const std::string what = e.what();
    CHECK(what.find("hand.json") != std::string::npos);
    CHECK(what.find(gone) != std::string::npos);
    CHECK(what.find(medium.net.blocks[5].name) != std::string::npos);
    CHECK(what.find("--allow-missing") != std::string::npos);
  }
  PreparedCandidate c;
  strict.lut().prepare(medium.net, medium.resolution, c);
  CHECK(c.missing >= 1);
  CHECK(std::isnan(strict.lut().estimate(c)));

  const TableEstimators lenient(table, "hand.json", {Statistic::Median, std::nullopt, true});
  const NetworkEstimate e = lenient.estimate(medium.net, medium.resolution, medium.arch.name);
  // The missing part, lowered alone from its signature, under the roofline fitted on the table's entries.
  const RidgePointFit& fit = lenient.block_fit();
  const latency::StandalonePart alone = latency::standalone_part(parts[6].signature);
  const double part_roofline =
      fit.ms_per_gmac / 1e9 *
      mac_equivalents(roofline_terms(arch_defs::lower_network_part(alone.net, alone.ref.part, alone.ref.block_index, alone.ref.input)),
                      fit.ridge_point);
  double expected = 0;
  int flagged = 0;
  for (const auto& p : e.parts) {
    if (p.signature == gone) {
      CHECK(p.from_roofline);
      CHECK(p.lut_ms == Approx(part_roofline).epsilon(1e-9));
      expected += part_roofline;
    } else {
      CHECK(!p.from_roofline);
      expected += ms.at(p.signature);
    }
    flagged += p.from_roofline;
  }
  CHECK(flagged == e.missing);
  CHECK(flagged >= 1);
  CHECK(e.lut_ms == Approx(expected).epsilon(1e-9));
}
