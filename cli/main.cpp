// uibnas: hardware-aware exploration of MobileNet-V4 architectures. One binary, one file per subcommand.
#include <filesystem>
#include <iostream>
#include <new>

#include "common/error.hpp"
#include "common/stop_request.hpp"
#include "common/user_text.hpp"
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

// One line, however long or odd the input a message quotes.
void print_error(const std::string& message) { std::cerr << "error: " << uibnas::common::excerpt(message, 2000) << "\n"; }

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
    } catch (const uibnas::common::Interrupted& e) {
      std::cerr << e.what() << "\n";
      return uibnas::common::kInterruptedExitStatus;
    } catch (const uibnas::common::InputError& e) {
      print_error(e.what());
      return 2;
    } catch (const boost::program_options::error& e) {
      print_error("uibnas " + name + ": " + e.what() + " (see uibnas " + name + " --help)");
      return 2;
    } catch (const std::filesystem::filesystem_error& e) {  // the environment: a path, a permission, a full disk
      print_error(e.what());
      return 2;
    } catch (const std::ios_base::failure& e) {
      print_error(std::string("input/output error: ") + e.what());
      return 2;
    } catch (const std::bad_alloc&) {
      print_error("out of memory while running uibnas " + name + " (more memory than this process may use)");
      return 2;
    } catch (const std::exception& e) {
      print_error(std::string("internal: ") + e.what());
      return 1;
    }
  }
  print_error("unknown command '" + uibnas::common::excerpt(name) + "' (see uibnas --help)");
  return 2;
}
