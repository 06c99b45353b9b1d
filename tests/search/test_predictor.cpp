// The ridge-regression predictor: exact on noiseless linear data, its leave-one-out error against
// refits by hand, its features on a known network, and the objectives' registry and directions.
#include <catch2/catch.hpp>

#include <fstream>

#include "arch_defs/catalogue.hpp"
#include "common/error.hpp"
#include "search/objective_registry.hpp"
#include "search/predictor.hpp"
#include "search_test_support.hpp"

using namespace uibnas;
using namespace uibnas::search;

TEST_CASE("ridge regression recovers a noiseless linear law", "[search][predictor]") {
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  for (int i = 0; i < 12; ++i) {
    x.push_back({double(i), double((i * 7) % 5), 3.0});  // the constant third feature is ignored
    y.push_back(70 + 0.5 * i - 0.25 * ((i * 7) % 5));
  }
  const RidgeFit fit = fit_ridge(x, y, 1e-9);
  CHECK(fit.predict({20, 1, 3}) == Approx(70 + 10 - 0.25).epsilon(1e-6));
  CHECK(fit.loo_rmse < 1e-6);
  CHECK(fit.scale[2] == 0);
}

TEST_CASE("the leave-one-out error equals refitting without each row", "[search][predictor]") {
  // One feature, λ → 0: ordinary least squares, so each left-out fit is a line through the other rows.
  const std::vector<double> xs = {0, 1, 2, 3, 5}, ys = {1, 3, 2, 5, 6};
  std::vector<std::vector<double>> x;
  for (double v : xs) x.push_back({v});
  double se = 0;
  for (size_t out = 0; out < xs.size(); ++out) {
    double sx = 0, sy = 0, sxx = 0, sxy = 0, n = 0;
    for (size_t i = 0; i < xs.size(); ++i)
      if (i != out) sx += xs[i], sy += ys[i], sxx += xs[i] * xs[i], sxy += xs[i] * ys[i], n += 1;
    const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx), intercept = (sy - slope * sx) / n;
    se += std::pow(ys[out] - (intercept + slope * xs[out]), 2);
  }
  CHECK(fit_ridge(x, ys, 1e-9).loo_rmse == Approx(std::sqrt(se / 5)).epsilon(1e-6));
}

TEST_CASE("architecture features of conv_small", "[search][predictor]") {
  const arch_defs::Architecture a = arch_defs::resolve_architecture("conv_small");
  const arch_defs::Network net = arch_defs::build_network(a);
  const arch_defs::ParamsMacs costs = arch_defs::network_params_macs(net, a.input_size);
  const std::vector<double> f = architecture_features(net, a.input_size, costs);
  REQUIRE(f.size() == feature_names().size());
  CHECK(f[0] == 224);
  CHECK(f[2] == Approx(costs.params / 1e6));
  double depth = 0;
  for (int s = 0; s < kMaxStages; ++s) depth += f[size_t(3 + 3 * s)];
  CHECK(depth == double(net.blocks.size()));
  CHECK(f[3 + 3 * 0 + 1] == net.blocks[size_t(net.stage_ends[0] - 1)].out_channels);
}

TEST_CASE("a predictor fits on published variants, a bad row names its line", "[search][predictor]") {
  const std::string csv = uibnas::testing::unique_temp_path("fit.csv");
  std::ofstream(csv) << "architecture,top1\nconv_small,73.8\nconv_medium,79.1\nconv_large,82.9\nhybrid_medium,80.4\n";
  const searchspace::SearchSpace space = searchspace::load_search_space(search_test::tiny_space_file());
  const PredictorObjective p(csv, space);
  CHECK(p.fit().rows == 4);
  CHECK(std::isfinite(p.fit().loo_rmse));
  std::ofstream(csv) << "architecture,top1\nconv_small,73.8\nconv_medium,abc\n";
  CHECK_THROWS_WITH(PredictorObjective(csv, space), Catch::Contains("top-1 'abc' is not a number"));
  // Read like every input: an endless device is refused, not read until memory runs out.
  CHECK_THROWS_WITH(PredictorObjective("/dev/zero", space), Catch::Contains("not a regular file"));
}

TEST_CASE("objective names, arguments and directions", "[search][objective]") {
  const searchspace::SearchSpace space = searchspace::load_search_space(search_test::tiny_space_file());
  const ObjectiveContext context{&space, nullptr, LatencyModel::Macs, 0};
  CHECK(make_objective("macs", context).direction == Direction::Minimise);
  CHECK(make_objective("macs:max", context).direction == Direction::Maximise);
  CHECK(make_objective("macs:max", context).label() == "macs:max");
  CHECK(make_objective("published:min", context).label() == "published:min");
  CHECK_THROWS_WITH(make_objective("accuracy", context), Catch::Contains("unknown objective 'accuracy'") &&
                                                           Catch::Contains("predictor:FILE.csv") &&
                                                           Catch::Contains("naswot"));
  CHECK_THROWS_WITH(make_objective("predictor", context), Catch::Contains("needs an argument"));
  CHECK_THROWS_WITH(make_objective("params:x", context), Catch::Contains("takes no argument"));
  const ObjectiveSpec s = parse_objective_spec("predictor:a.csv:max");
  CHECK((s.name == "predictor" && s.argument == "a.csv" && s.direction == Direction::Maximise));
}
