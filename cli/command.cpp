#include "cli/command.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "common/error.hpp"
#include "common/user_text.hpp"

namespace uibnas::cli {

namespace po = boost::program_options;

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"models", "list the known architectures with params, MACs and published top-1", run_models},
      {"show", "per-block table of an architecture: shapes, params, MACs, bytes", run_show},
      {"run", "run a network on the CPU: top-5 and latency (median, p10, p90, min)", run_run},
      {"space", "search spaces: info, sample, locate", run_space},
      {"hwinfo", "CPU, ISA, caches, measured FMA peak, bandwidth and ridge point", run_hwinfo},
      {"profile", "fill a per-hardware latency table (blocks alone, models end to end)", run_profile},
      {"table", "latency tables: info, export --csv, merge", run_table},
      {"estimate", "latency of a network from a table: lookup table, roofline, MACs; per-part breakdown", run_estimate},
      {"validate", "measure networks end to end and score every estimator against them", run_validate},
      {"gap", "take apart a network's time beside its parts timed alone", run_gap},
      {"search", "search a space: random, regularized evolution or NSGA-II over latency, params, MACs, accuracy", run_search},
      {"proxies", "training-free proxies (naswot, zen, meco) of the trained models vs their top-1", run_proxies},
      {"rank", "the models with a published top-1 on each table's top-1 x latency front; ridge-point sweep", run_rank},
      {"report", "one self-contained HTML report (and CSVs) from tables, rank, validation and search results", run_report},
  };
  return table;
}

namespace {

// boost::lexical_cast reads "-1" as 2^64 - 1 for an unsigned option and "nan" or "inf" as doubles:
// a wrapped seed or a NaN interval would be used silently, so both are refused for every command.
void check_number_values(const po::parsed_options& parsed, const po::variables_map& vm) {
  for (const auto& option : parsed.options) {
    if (option.string_key.empty() || !vm.count(option.string_key)) continue;
    const boost::any& value = vm[option.string_key].value();
    const std::string text = option.value.empty() ? std::string() : option.value.back();
    const bool is_unsigned = value.type() == typeid(unsigned) || value.type() == typeid(unsigned long) ||
                             value.type() == typeid(unsigned long long);
    const size_t first = text.find_first_not_of(" \t");
    const bool negative = first != std::string::npos && text[first] == '-';
    const bool not_finite = (value.type() == typeid(double) && !std::isfinite(boost::any_cast<double>(value))) ||
                            (value.type() == typeid(float) && !std::isfinite(boost::any_cast<float>(value)));
    if ((is_unsigned && negative) || not_finite)
      throw po::error("the argument ('" + text + "') for option '--" + option.string_key + "' is invalid: expected " +
                      (not_finite ? "a finite number" : "a number from 0"));
  }
}

// Option values end up in JSON output (a table's hardware name, a model file's name, the paths a
// summary records), which cannot hold bytes that are not UTF-8: they are refused here, for every command.
void check_text_values(const po::parsed_options& parsed) {
  for (const auto& option : parsed.options)
    for (const std::string& value : option.value)
      common::require_utf8(value, option.position_key >= 0 ? "the " + option.string_key + " argument"
                                                           : "the argument for option '--" + option.string_key + "'");
}

}  // namespace

bool parse_command_line(const Args& args, const char* usage, po::options_description& options,
                        const po::positional_options_description& positional, po::variables_map& vm) {
  options.add_options()("help,h", "show this help");
  const po::parsed_options parsed = po::command_line_parser(args).options(options).positional(positional).run();
  check_text_values(parsed);
  po::store(parsed, vm);
  check_number_values(parsed, vm);
  if (vm.count("help")) {
    std::cout << usage << "\n\n" << options << "\n";
    return false;
  }
  po::notify(vm);
  return true;
}

std::string human_count(long long v) {
  char buf[32];
  if (v >= 1000000000LL) std::snprintf(buf, sizeof buf, "%.2fG", v / 1e9);
  else if (v >= 1000000LL) std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
  else if (v >= 1000LL) std::snprintf(buf, sizeof buf, "%.1fK", v / 1e3);
  else std::snprintf(buf, sizeof buf, "%lld", v);
  return buf;
}

std::string shape_text(int c, int h, int w) {
  return std::to_string(c) + "x" + std::to_string(h) + "x" + std::to_string(w);
}

void check_at_most(const char* option, long long value, long long most) {
  if (value > most)
    throw common::InputError(std::string(option) + " must be at most " + std::to_string(most) + ", got " + std::to_string(value));
}

std::vector<std::string> split_list(const std::string& list, const char* option) {
  std::vector<std::string> items;
  std::stringstream ss(list);
  for (std::string item; std::getline(ss, item, ',');) {
    if (item.empty()) continue;
    if (items.size() == kMaxListItems)
      throw common::InputError(std::string(option) + " lists more than " + std::to_string(kMaxListItems) + " items");
    items.push_back(item);
  }
  return items;
}

}  // namespace uibnas::cli
