// uibnas space info FILE | sample FILE -n N --seed S [--format timm|json] | locate MODEL|ARCH --space FILE
#include <cstdio>
#include <iostream>
#include <optional>

#include "arch_defs/catalogue.hpp"
#include "common/error.hpp"
#include "latency/space_signatures.hpp"
#include "cli/command.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/encoding.hpp"
#include "searchspace/locate.hpp"
#include "searchspace/sampling.hpp"

namespace uibnas::cli {
namespace {

namespace po = boost::program_options;
using namespace uibnas::searchspace;

constexpr const char* kUsage =
    "usage: uibnas space info FILE\n"
    "       uibnas space sample FILE [-n N] [--seed S] [--format timm|json] [--uniform decisions|candidates]\n"
    "       uibnas space locate MODEL|ARCH --space FILE";

template <typename T>
std::string braces(const std::vector<T>& values) {
  std::string s = "{";
  for (const T& v : values) {
    if (s.size() > 1) s += ',';
    s += arch_defs::format_number(static_cast<double>(v));
  }
  s += '}';
  return s;
}

std::string block_text(const BlockOptions& b) {
  static const char* positions[] = {"", "first: ", "rest: "};
  std::string s = positions[static_cast<int>(b.position)];
  s += arch_defs::block_type_token(b.type);
  if (!b.kernels.empty()) s += " kernel " + braces(b.kernels);
  if (!b.start_dw.empty()) s += " start_dw " + braces(b.start_dw);
  if (!b.middle_dw.empty()) s += " middle_dw " + braces(b.middle_dw);
  if (!b.expansions.empty()) s += " expansion " + braces(b.expansions);
  if (!b.widths.empty()) s += " widths " + braces(b.widths);
  return s;
}

std::string size_text(const BigUint& n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, " (10^%.2f)", n.log10());
  return n.to_string() + buf;
}

void print_info(const SearchSpace& space) {
  const SpaceSpec& sp = space.spec();
  std::printf("%s  (%s, format version %d)\n", sp.id.c_str(), sp.source.c_str(), sp.version);
  if (!sp.description.empty()) std::printf("%s\n", sp.description.c_str());
  std::printf("\nresolutions  %s\nstem         %dx%d stride 2, widths %s\n", braces(sp.resolutions).c_str(), sp.stem_kernel,
              sp.stem_kernel, braces(sp.stem_widths).c_str());
  std::printf("fixed        act %s, layer scale %s, head cn 1x1 -> %d, pool, 1x1 -> %d, linear -> %d\n\n",
              arch_defs::activation_name(sp.act), sp.layer_scale ? arch_defs::format_number(*sp.layer_scale).c_str() : "none",
              sp.head_features, sp.head_hidden, sp.num_classes);
  std::printf("%-6s %-7s %-6s %-24s %s\n", "stage", "stride", "depth", "widths", "blocks");
  for (size_t s = 0; s < sp.stages.size(); ++s) {
    const StageSpec& st = sp.stages[s];
    std::vector<std::string> lines;
    for (const auto& b : st.blocks) lines.push_back(block_text(b));
    if (st.attention) {
      const AttentionOptions& a = *st.attention;
      lines.push_back("mqa count " + braces(a.counts) + ", one before each of the last blocks; heads " + braces(a.heads) +
                      " key_dim " + braces(a.key_dims) + " kv_stride " + braces(a.kv_strides) + " kv_kernel " +
                      std::to_string(a.kv_kernel));
    }
    std::string depth = std::to_string(st.min_depth);
    if (st.max_depth > st.min_depth) depth += '-' + std::to_string(st.max_depth);
    for (size_t i = 0; i < lines.size(); ++i)
      std::printf("%-6s %-7s %-6s %-24s %s\n", i ? "" : std::to_string(s).c_str(), i ? "" : std::to_string(st.stride).c_str(),
                  i ? "" : depth.c_str(), i ? "" : braces(st.widths).c_str(), lines[i].c_str());
  }
  int choosing = 0;
  for (const auto& d : space.decisions()) choosing += d.options() > 1;
  std::printf("\ndecisions    %zu (%d with more than one option)\n", space.decisions().size(), choosing);
  for (size_t s = 0; s < sp.stages.size(); ++s)
    std::printf("stage %zu      %s candidates\n", s, size_text(space.stage_cardinality(static_cast<int>(s))).c_str());
  std::printf("cardinality  %s\n", size_text(space.cardinality()).c_str());
  // What `profile --space` has to time: the number sizes a profiling run before it starts. Counted
  // only up to profile's default limit, so that a huge space's info stays instant.
  try {
    std::printf("parts        %zu distinct signatures (what profile --space times)\n",
                latency::space_signatures(space, 1, latency::kDefaultProfileSignatures).size());
  } catch (const common::InputError&) {
    std::printf("parts        more than %zu distinct signatures (profile --space refuses them by default)\n",
                latency::kDefaultProfileSignatures);
  }
}

// Loads a space; a malformed file prints every error on its own line and gives exit status 2.
bool load(const std::string& path, std::optional<SearchSpace>& out) {
  try {
    out.emplace(load_search_space(path));
    return true;
  } catch (const SpaceFormatError& e) {
    for (const auto& line : e.errors()) std::cerr << "error: " << line << "\n";
    return false;
  }
}

int info(const Args& args) {
  po::options_description opts("options");
  std::string file;
  opts.add_options()("space", po::value(&file)->required(), "search-space JSON file");
  po::positional_options_description pos;
  pos.add("space", 1);
  po::variables_map vm;
  if (!parse_command_line(args, "usage: uibnas space info FILE\n\nStages, choices and the exact number of candidates.",
                          opts, pos, vm))
    return 0;
  std::optional<SearchSpace> space;
  if (!load(file, space)) return 2;
  print_info(*space);
  return 0;
}

int sample_command(const Args& args) {
  po::options_description opts("options");
  std::string file, format, uniform;
  long long count = 1;
  std::uint64_t seed = 0;
  opts.add_options()
      ("space", po::value(&file)->required(), "search-space JSON file")
      ("count,n", po::value(&count)->default_value(1), "how many candidates")
      ("seed", po::value(&seed)->default_value(0), "random seed; the same seed gives the same candidates")
      ("format,f", po::value(&format)->default_value("timm"),
       "timm: encoding, resolution and block strings per line | json: one architecture JSON object per line")
      ("uniform", po::value(&uniform)->default_value("decisions"),
       "decisions: every decision uniform | candidates: every candidate equally likely");
  po::positional_options_description pos;
  pos.add("space", 1);
  po::variables_map vm;
  if (!parse_command_line(args, "usage: uibnas space sample FILE [-n N] [--seed S] [--format timm|json] "
                                "[--uniform decisions|candidates]\n\nRandom candidates, reproducible by seed.",
                          opts, pos, vm))
    return 0;
  if (format != "timm" && format != "json") throw common::InputError("--format must be timm or json, got '" + format + "'");
  if (uniform != "decisions" && uniform != "candidates")
    throw common::InputError("--uniform must be decisions or candidates, got '" + uniform + "'");
  if (count < 1 || count > 10000000) throw common::InputError("-n must be in [1, 10000000], got " + std::to_string(count));
  std::optional<SearchSpace> space;
  if (!load(file, space)) return 2;
  Rng rng(seed);
  const SamplingMode mode = uniform == "candidates" ? SamplingMode::PerCandidate : SamplingMode::PerDecision;
  for (long long i = 0; i < count; ++i) {
    const arch_defs::Architecture arch = to_architecture(*space, sample(*space, rng, mode));
    if (format == "json") {
      std::cout << arch_defs::architecture_to_json(arch).dump() << "\n";
      continue;
    }
    nlohmann::json stages = nlohmann::json::array();
    for (const auto& stage : arch.stages) {
      nlohmann::json blocks = nlohmann::json::array();
      for (const auto& b : stage) blocks.push_back(arch_defs::to_block_string(b));
      stages.push_back(blocks);
    }
    std::cout << arch.name << " " << arch.input_size << " " << stages.dump() << "\n";
  }
  return 0;
}

int locate_command(const Args& args) {
  po::options_description opts("options");
  std::string model, file;
  opts.add_options()
      ("model", po::value(&model)->required(), "built-in model name or architecture JSON file")
      ("space", po::value(&file)->required(), "search-space JSON file");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse_command_line(args, "usage: uibnas space locate MODEL|ARCH --space FILE\n\nThe choices of an architecture "
                                "in a space, or the first reason it lies outside (exit status 1).",
                          opts, pos, vm))
    return 0;
  const arch_defs::Architecture arch = arch_defs::resolve_architecture(model);
  std::optional<SearchSpace> space;
  if (!load(file, space)) return 2;
  const Location where = locate(*space, arch);
  if (!where.inside) {
    std::cout << arch.name << " is not in " << space->id() << ": " << where.reason << "\n";
    return 1;
  }
  std::cout << arch.name << " is in " << space->id() << "\nencoding  " << encode(*space, where.choices)
            << "\nchoices   " << describe(*space, where.choices) << "\n";
  return 0;
}

}  // namespace

int run_space(const Args& args) {
  const std::string action = args.empty() ? "" : args[0];
  const Args rest(args.begin() + (args.empty() ? 0 : 1), args.end());
  if (action == "info") return info(rest);
  if (action == "sample") return sample_command(rest);
  if (action == "locate") return locate_command(rest);
  if (action == "--help" || action == "-h") {
    std::cout << kUsage << "\n";
    return 0;
  }
  throw common::InputError(action.empty() ? "uibnas space needs an action: info, sample or locate"
                                  : "unknown space action '" + action + "' (expected info, sample or locate)");
}

}  // namespace uibnas::cli
