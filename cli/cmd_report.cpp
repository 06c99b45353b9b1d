// uibnas report: one self-contained HTML report (inline SVG and CSS) with the CSV of every figure
// beside it, from latency tables, rank results, validation and search folders.
#include <cstdio>

#include "cli/command.hpp"
#include "reports/report.hpp"

namespace uibnas::cli {
namespace {

namespace po = boost::program_options;

constexpr const char* kUsage =
    "usage: uibnas report DIR|FILE... -o report.html\n\n"
    "Builds one self-contained HTML page (inline SVG and CSS, no network, readable without JavaScript) from\n"
    "whatever it is given, recognised by content: latency tables (uibnas profile), rank results (uibnas rank\n"
    "--json), validation folders (uibnas validate --out) and search folders (uibnas search --out, with\n"
    "rediscover.json when present); a folder is scanned for them. Sections: top-1 vs latency per table, the\n"
    "ridge-point sweep, latency by block kind, estimated vs measured, the search cloud, front and hypervolume,\n"
    "the hardware fingerprints and the recorded command lines; a section without its input is skipped with a\n"
    "note. Every figure's data is written as CSV to <stem>_files/ beside the page.";

}  // namespace

int run_report(const Args& args) {
  std::vector<std::string> inputs;
  std::string output;
  po::options_description opts("options");
  opts.add_options()
      ("input", po::value(&inputs)->multitoken(), "latency table, rank results, validation or search folder, or a folder of them")
      ("output,o", po::value(&output)->required(), "the HTML file to write (its CSV files go to <stem>_files/)");
  po::positional_options_description positional;
  positional.add("input", -1);
  po::variables_map vm;
  if (!parse_command_line(args, kUsage, opts, positional, vm)) return 0;
  std::string command = "uibnas report";
  for (const auto& a : args) command += " " + a;
  const reports::WrittenReport w = reports::write_report({inputs, output, command});
  std::printf("wrote %s (%zu bytes: %d figures, %d tables, %d skipped) and its CSV files in %s\n", w.html_path.c_str(),
              w.html_bytes, w.figures, w.tables, w.skipped, w.csv_folder.c_str());
  return 0;
}

}  // namespace uibnas::cli
