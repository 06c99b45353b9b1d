// The subcommand interface of the `uibnas` binary: each subcommand is one file and one function.
#pragma once
#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

namespace uibnas::cli {

using Args = std::vector<std::string>;

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const Args& args);  // returns the exit status; throws InputError for bad input
};

const std::vector<Command>& commands();

// Parses `args` against `options` (+ positional names); prints help and returns false on --help.
// Unknown options and bad values (also a negative unsigned or a non-finite number) throw
// boost::program_options errors, which main() turns into exit 2.
bool parse_command_line(const Args& args, const char* usage, boost::program_options::options_description& options,
                        const boost::program_options::positional_options_description& positional,
                        boost::program_options::variables_map& vm);

// "12,345,678"-free plain helpers for tables.
std::string human_count(long long v);   // 3.77M, 1.56G
std::string shape_text(int c, int h, int w);

// Throws InputError "--repeat must be at most 100000, got N" when a count that drives time or memory
// is past its bound (each command's lower bounds are checked, and worded, where it reads them).
void check_at_most(const char* option, long long value, long long most);

// The most runs of one network or part a command times (--repeat, --warmup).
constexpr long long kMaxRuns = 100000;

// The most items of a comma-separated option value: each item is resolved, loaded or measured.
constexpr std::size_t kMaxListItems = 1000;

// The items of a comma-separated option value ("conv_small,hybrid_medium"), empty items skipped.
// Throws InputError naming `option` ("--models") past kMaxListItems.
std::vector<std::string> split_list(const std::string& list, const char* option);

int run_models(const Args& args);
int run_show(const Args& args);
int run_run(const Args& args);
int run_space(const Args& args);
int run_hwinfo(const Args& args);
int run_profile(const Args& args);
int run_table(const Args& args);
int run_estimate(const Args& args);
int run_validate(const Args& args);
int run_gap(const Args& args);
int run_search(const Args& args);
int run_proxies(const Args& args);
int run_rank(const Args& args);
int run_report(const Args& args);

}  // namespace uibnas::cli
