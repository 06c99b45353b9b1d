// uibnas proxies: training-free proxies (search/proxy.hpp) of every built-in trained model beside
// params and MACs, and how each ranks the models against their published top-1.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "arch_defs/catalogue.hpp"
#include "arch_defs/operators.hpp"
#include "cli/command.hpp"
#include "cli/model_selection.hpp"
#include "common/error.hpp"
#include "common/statistics.hpp"
#include "search/proxy.hpp"

namespace uibnas::cli {
namespace {

const char* kUsage =
    "usage: uibnas proxies [--models all|LIST] [--proxies all|LIST] [--batch B] [--resolution R] [--seed S]\n"
    "                      [--repeats K] [--data gaussian|FOLDER] [--json]\n\n"
    "Scores the built-in models that have a published top-1 with training-free proxies at random\n"
    "initialisation (BN with batch statistics, one thread): naswot, zen, meco. Prints\n"
    "each model's top-1, params and MACs (at its default resolution) and proxy scores, then the Spearman\n"
    "and Kendall (tau-b) correlation of every column with top-1.";

struct Row {
  std::string model;
  double top1 = 0;
  long long params = 0, macs = 0;
  std::vector<double> scores;  // one per chosen proxy
};

std::vector<search::ProxyKind> chosen_proxies(const std::string& list) {
  if (list == "all") return search::proxy_kinds();
  std::vector<search::ProxyKind> kinds;
  for (const std::string& name : split_list(list, "--proxies")) {
    const auto kind = search::parse_proxy(name);
    if (!kind) throw common::InputError("unknown proxy '" + name + "' (known: naswot, zen, meco)");
    kinds.push_back(*kind);
  }
  if (kinds.empty()) throw common::InputError("--proxies names no proxy");
  return kinds;
}

Row score_model(const arch_defs::Architecture& arch, const std::vector<search::ProxyKind>& kinds,
                const search::ProxySettings& settings) {
  const arch_defs::OperatorList ops = arch_defs::lower_network(arch_defs::build_network(arch), arch.input_size);
  Row row{arch.name, *arch_defs::published_top1(arch), ops.total.params, ops.total.macs, {}};
  for (search::ProxyKind kind : kinds) row.scores.push_back(search::proxy_score(kind, arch, settings));
  return row;
}

struct Correlation {
  std::string column;
  double spearman = std::nan(""), kendall = std::nan("");
};

std::vector<Correlation> correlations(const std::vector<Row>& rows, const std::vector<search::ProxyKind>& kinds) {
  std::vector<double> top1;
  for (const Row& r : rows) top1.push_back(r.top1);
  auto column = [&](const std::string& name, auto value) {
    std::vector<double> v;
    for (const Row& r : rows) v.push_back(value(r));
    Correlation c{name};
    if (rows.size() >= 2) {
      c.spearman = common::spearman(v, top1);
      c.kendall = common::kendall_tau_b(v, top1);
    }
    return c;
  };
  std::vector<Correlation> out{column("params", [](const Row& r) { return double(r.params); }),
                               column("MACs", [](const Row& r) { return double(r.macs); })};
  for (size_t k = 0; k < kinds.size(); ++k)
    out.push_back(column(search::proxy_name(kinds[k]), [k](const Row& r) { return r.scores[k]; }));
  return out;
}

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

void print_json(const std::vector<Row>& rows, const std::vector<search::ProxyKind>& kinds,
                const search::ProxySettings& s, const std::vector<Correlation>& corr) {
  nlohmann::json j;
  j["settings"] = {{"batch", s.batch}, {"resolution", s.resolution}, {"repeats", s.repeats}, {"seed", s.seed},
                   {"data", s.data}};
  j["models"] = nlohmann::json::array();
  for (const Row& r : rows) {
    nlohmann::json m{{"model", r.model}, {"top1", r.top1}, {"params", r.params}, {"macs", r.macs}};
    for (size_t k = 0; k < kinds.size(); ++k) m[search::proxy_name(kinds[k])] = number_or_null(r.scores[k]);
    j["models"].push_back(m);
  }
  for (const Correlation& c : corr)
    j["correlations"][c.column] = {{"spearman", number_or_null(c.spearman)}, {"kendall", number_or_null(c.kendall)}};
  std::cout << j.dump(1) << "\n";
}

void print_table(const std::vector<Row>& rows, const std::vector<search::ProxyKind>& kinds,
                 const search::ProxySettings& s, const std::vector<Correlation>& corr) {
  std::printf("%-32s %6s %8s %8s", "model", "top-1", "params", "MACs");
  for (search::ProxyKind k : kinds) std::printf(" %10s", search::proxy_name(k));
  std::printf("\n");
  for (const Row& r : rows) {
    std::printf("%-32s %6.2f %8s %8s", r.model.c_str(), r.top1, human_count(r.params).c_str(),
                human_count(r.macs).c_str());
    for (double v : r.scores) std::printf(" %10.3f", v);
    std::printf("\n");
  }
  std::printf("\n%-8s %9s %9s\n", "vs top-1", "spearman", "kendall");
  for (const Correlation& c : corr) {
    auto text = [](double v) {
      char b[16];
      std::snprintf(b, sizeof b, "%.3f", v);
      return std::isfinite(v) ? std::string(b) : std::string("-");
    };
    std::printf("%-8s %9s %9s\n", c.column.c_str(), text(c.spearman).c_str(), text(c.kendall).c_str());
  }
  std::printf("\nproxies at batch %d, %d px, %d repeat(s), seed %llu, data %s; params and MACs at each model's "
              "default resolution.\n", s.batch, s.resolution, s.repeats, (unsigned long long)s.seed, s.data.c_str());
}

}  // namespace

int run_proxies(const Args& args) {
  namespace po = boost::program_options;
  search::ProxySettings settings;
  std::string models = "all", proxies = "all";
  po::options_description opts("options");
  opts.add_options()
      ("models,m", po::value(&models), "comma-separated built-in models, or 'all' (those with a published top-1)")
      ("proxies,p", po::value(&proxies), "comma-separated proxies (naswot, zen, meco), or 'all'")
      ("batch", po::value(&settings.batch)->default_value(settings.batch), "images per minibatch")
      ("resolution", po::value(&settings.resolution)->default_value(settings.resolution), "input size of the proxies")
      ("seed", po::value(&settings.seed)->default_value(settings.seed), "seed of weights and data")
      ("repeats", po::value(&settings.repeats)->default_value(settings.repeats), "initialisations averaged")
      ("data", po::value(&settings.data)->default_value(settings.data),
       "input images: 'gaussian' (N(0, 1) pixels) or a folder of binary PPM/PGM files")
      ("json", "print JSON instead of a table");
  po::variables_map vm;
  if (!parse_command_line(args, kUsage, opts, {}, vm)) return 0;
  search::validate_proxy_settings(settings);
  // One minibatch of every layer's activations is held at once: batch x channels x resolution^2.
  check_at_most("--batch", settings.batch, 256);
  check_at_most("--resolution", settings.resolution, 1024);
  check_at_most("--repeats", settings.repeats, 1000);
  const std::vector<search::ProxyKind> kinds = chosen_proxies(proxies);
  std::vector<Row> rows;
  for (const arch_defs::Architecture& arch : ranked_models(models)) rows.push_back(score_model(arch, kinds, settings));
  const std::vector<Correlation> corr = correlations(rows, kinds);
  if (vm.count("json")) print_json(rows, kinds, settings, corr);
  else print_table(rows, kinds, settings, corr);
  return 0;
}

}  // namespace uibnas::cli
