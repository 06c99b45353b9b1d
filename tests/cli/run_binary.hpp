// Runs the built `uibnas` binary as a user would and captures its exit status, stdout and stderr.
#pragma once
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

struct BinaryResult {
  int status = -1;
  std::string out, err;
};

inline BinaryResult run_uibnas(const std::string& args) {
  namespace fs = std::filesystem;
  const std::string tag = std::to_string(::getpid()) + "_" + std::to_string(std::rand());
  const fs::path out = fs::temp_directory_path() / ("uibnas_out_" + tag);
  const fs::path err = fs::temp_directory_path() / ("uibnas_err_" + tag);
  const std::string cmd = std::string(UIBNAS_BINARY) + " " + args + " >" + out.string() + " 2>" + err.string() + " </dev/null";
  const int raw = std::system(cmd.c_str());
  BinaryResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  r.out = slurp(out);
  r.err = slurp(err);
  fs::remove(out);
  fs::remove(err);
  return r;
}
