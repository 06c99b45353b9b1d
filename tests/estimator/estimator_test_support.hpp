// Networks for the estimator tests: the published models (MNv4 variants and baselines) and seeded
// samples of every shipped space.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include <algorithm>

#include "arch_defs/catalogue.hpp"
#include "arch_defs/network.hpp"
#include "searchspace/decode.hpp"
#include "searchspace/sampling.hpp"

struct TestNetwork {
  uibnas::arch_defs::Architecture arch;
  uibnas::arch_defs::Network net;
  int resolution = 0;
};

inline std::vector<std::string> shipped_space_files() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(std::string(UIBNAS_SOURCE_DIR) + "/searchspace/spaces"))
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

inline std::vector<TestNetwork> test_networks(int samples_per_space, bool published = true) {
  std::vector<TestNetwork> out;
  if (published)
    for (const auto& a : uibnas::arch_defs::published_architectures())
      out.push_back({a, uibnas::arch_defs::build_network(a), a.input_size});
  for (const auto& file : shipped_space_files()) {
    const uibnas::searchspace::SearchSpace sp = uibnas::searchspace::load_search_space(file);
    uibnas::searchspace::Rng rng(7);
    for (int i = 0; i < samples_per_space; ++i) {
      const uibnas::arch_defs::Architecture a = uibnas::searchspace::to_architecture(sp, uibnas::searchspace::sample(sp, rng));
      out.push_back({a, uibnas::arch_defs::build_network(a), a.input_size});
    }
  }
  return out;
}
