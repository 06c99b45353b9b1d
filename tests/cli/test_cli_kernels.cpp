// `uibnas hwinfo --json` records the kernels the binary runs, the record latency tables carry:
// UIBNAS_DISABLE_AVX512 must switch the kernel of every family, not only some.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "run_binary.hpp"
#include "runtime/kernels/kernel_config.hpp"

using nlohmann::json;

namespace {

// Sets (value) or unsets (nullptr) an environment variable for the scope; the binary inherits it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) ::setenv(name, value, 1);
    else ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_.c_str(), old_->c_str(), 1);
    else ::unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

json hwinfo_json() {
  const BinaryResult r = run_uibnas("hwinfo --json --threads 1 --seconds 0.01");
  INFO(r.err);
  REQUIRE(r.status == 0);
  return json::parse(r.out);
}

// Every family's kernel name ends with the ISA suffix ("__generic" or "__avx512f").
void check_every_family_runs(const json& hw, const std::string& isa) {
  CHECK(hw.at("kernel_isa") == isa);
  const json& kernels = hw.at("kernels");
  CHECK(kernels.size() == 8);
  for (const char* family : {"gemm", "dwconv", "activation", "add", "channel_affine", "avgpool2x2",
                             "global_avgpool", "attention"}) {
    INFO(family);
    REQUIRE(kernels.contains(family));
    const std::string name = kernels.at(family).get<std::string>();
    CHECK(name.ends_with("__" + isa));
  }
}

}  // namespace

TEST_CASE("hwinfo under UIBNAS_DISABLE_AVX512=1 records the generic kernel of every family", "[cli][kernels]") {
  ScopedEnv env("UIBNAS_DISABLE_AVX512", "1");
  check_every_family_runs(hwinfo_json(), "generic");
}

TEST_CASE("hwinfo records the AVX-512 kernels exactly when the CPU runs them", "[cli][kernels]") {
  ScopedEnv env("UIBNAS_DISABLE_AVX512", nullptr);
  namespace k = uibnas::runtime::kernels;
  const bool avx512 = UIBNAS_KERNELS_X86 && k::cpu_runs_avx512_kernels(k::cpu_features());
  check_every_family_runs(hwinfo_json(), avx512 ? "avx512f" : "generic");
}
