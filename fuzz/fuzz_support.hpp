// What every fuzz target shares. An input the code refuses with an InputError is a pass; anything
// else that escapes (another exception, a crash, a broken round trip) is a finding.
#pragma once
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace uibnas::fuzz {

inline std::string as_text(const uint8_t* data, size_t size) { return std::string(reinterpret_cast<const char*>(data), size); }

// Runs `parse_and_use`; a refusal (InputError, the documented failure of every input reader) is fine.
template <class F>
void refusals_are_fine(F&& parse_and_use) {
  try {
    parse_and_use();
  } catch (const common::InputError&) {
  }
}

// An invariant of accepted input; a violation aborts so libFuzzer keeps the input.
inline void expect(bool holds, const char* what) {
  if (!holds) {
    std::fprintf(stderr, "fuzz: invariant broken: %s\n", what);
    std::abort();
  }
}

// A per-process scratch path on tmpfs (no disk I/O per input), removed when the fuzzer exits.
inline std::string scratch_path(const std::string& name) {
  struct Scratch {
    std::vector<std::string> paths;
    ~Scratch() {
      for (const auto& p : paths) std::remove(p.c_str());
    }
  };
  static Scratch scratch;
  const std::string dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  const std::string path = dir + "/uibnas-fuzz-" + std::to_string(getpid()) + "-" + name;
  if (std::find(scratch.paths.begin(), scratch.paths.end(), path) == scratch.paths.end()) scratch.paths.push_back(path);
  return path;
}

// For the readers that take a path: the bytes in a scratch file.
inline std::string bytes_in_file(const uint8_t* data, size_t size, const std::string& name) {
  const std::string path = scratch_path(name);
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data), std::streamsize(size));
  return path;
}

}  // namespace uibnas::fuzz
