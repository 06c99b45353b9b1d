// uibnas: hardware-aware exploration of MobileNet-V4 architectures. One binary, one file per subcommand.
#include <iostream>

#include "common/error.hpp"
#include "cli/command.hpp"
#include "cli/standard_output.hpp"

namespace {

void print_usage(std::ostream& out) {
  out << "usage: uibnas <command> [options]   (uibnas <command> --help for its options)\n\ncommands:\n";
  for (const auto& c : uibnas::cli::commands()) {
    std::string name = c.name;
    name.resize(12, ' ');
    out << "  " << name << c.summary << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(std::cerr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return uibnas::cli::finish_standard_output(0);
  }
  for (const auto& c : uibnas::cli::commands()) {
    if (name != c.name) continue;
    try {
      return uibnas::cli::finish_standard_output(c.run(uibnas::cli::Args(argv + 2, argv + argc)));
    } catch (const uibnas::common::InputError& e) {
      std::cerr << "error: " << e.what() << "\n";
      return 2;
    } catch (const boost::program_options::error& e) {
      std::cerr << "error: uibnas " << name << ": " << e.what() << " (see uibnas " << name << " --help)\n";
      return 2;
    } catch (const std::exception& e) {
      std::cerr << "error: internal: " << e.what() << "\n";
      return 1;
    }
  }
  std::cerr << "error: unknown command '" << name << "' (see uibnas --help)\n";
  return 2;
}
