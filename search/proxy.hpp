// Training-free quality proxies computed by the uibnas runtime at random initialisation, with BN in
// train mode (batch statistics, runtime/proxy_executor.hpp):
// - naswot (Mellor et al. 2021): binary codes "activation output > 0" of every BN + activation layer
//   over a minibatch; K_H[i][j] = units where samples i and j agree (N_A - Hamming distance);
//   score = log|det K_H|.
// - zen (Lin et al. 2021): log E_n ||f(x_n) - f(x_n + 0.01 eps_n)||_F of the pre-GAP feature map (the
//   last stage's output), plus sum over BN layers of log sqrt(mean over channels of the batch variance);
//   weights N(0, 1) as in the paper.
// - meco (Jiang et al. 2023): for each BN layer's output (after its activation, if any) of the first
//   sample, the minimum eigenvalue of the Pearson correlation matrix of its channels over the spatial
//   positions; score = sum over layers.
// The head (global pool, conv_head, classifier) is not run: no proxy reads it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arch_defs/architecture.hpp"

namespace uibnas::search {

enum class ProxyKind { Naswot, Zen, Meco };

const char* proxy_name(ProxyKind k);  // "naswot", "zen", "meco"
std::optional<ProxyKind> parse_proxy(const std::string& name);
const std::vector<ProxyKind>& proxy_kinds();  // every kind, in the order above

struct ProxySettings {  // scores depend on every field: recorded with results
  int batch = 8;         // images per minibatch (naswot's K_H is batch x batch)
  int resolution = 64;   // input size; reduced from the models' 224+ so one score costs milliseconds
  int repeats = 1;       // independent initialisations and minibatches, scores averaged
  std::uint64_t seed = 0;  // weights and data
  std::string data = "gaussian";  // input pixels N(0, 1), or a folder of PPM/PGM images (proxy_images.hpp)
};

// Throws InputError naming the field when a setting is out of range (batch >= 2, resolution >= 32,
// repeats >= 1, data not empty); a data folder is checked when it is read.
void validate_proxy_settings(const ProxySettings& settings);

// Scores `arch` at random initialisation; deterministic for given settings; uses one thread; thread-safe.
double proxy_score(ProxyKind kind, const arch_defs::Architecture& arch, const ProxySettings& settings);

}  // namespace uibnas::search
