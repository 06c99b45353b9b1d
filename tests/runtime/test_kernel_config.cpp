// The per-family kernel choice: one "use AVX-512" decision picks the kernel of every family, and
// the CPU check and the UIBNAS_DISABLE_AVX512 switch decide it.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "runtime/kernels/kernel_config.hpp"

using namespace uibnas::runtime::kernels;

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

TEST_CASE("without AVX-512 every kernel family runs its generic kernel", "[kernels][config]") {
  const KernelConfigs c = make_kernel_configs(false);
  CHECK(std::string(c.isa) == "generic");
  const auto names = kernel_names(c);
  REQUIRE(names.size() == 8);
  std::set<std::string> families;
  for (const auto& [family, name] : names) {
    INFO(family << ": " << name);
    CHECK(ends_with(name, "__generic"));
    families.insert(family);
  }
  CHECK(families.size() == names.size());
}

TEST_CASE("with vector kernels every kernel family switches to this build's ISA", "[kernels][config]") {
  const KernelConfigs on = make_kernel_configs(true);
  const auto names = kernel_names(on);
  const auto generic = kernel_names(make_kernel_configs(false));
  REQUIRE(names.size() == generic.size());
#if UIBNAS_KERNELS_X86 || UIBNAS_KERNELS_NEON
  const std::string isa = UIBNAS_KERNELS_X86 ? "avx512f" : "neon";  // NEON names: __neon or __neonfma
  CHECK(std::string(on.isa).rfind(isa, 0) == 0);
  for (std::size_t i = 0; i < names.size(); ++i) {
    INFO(names[i].first << ": " << names[i].second);
    CHECK(names[i].first == generic[i].first);
    CHECK(names[i].second.find("__" + isa) != std::string::npos);
  }
  CHECK(std::string(vector_kernels_switch()) == (UIBNAS_KERNELS_X86 ? "UIBNAS_DISABLE_AVX512" : "UIBNAS_DISABLE_NEON"));
#else
  CHECK(names == generic);  // no vector kernels in this build
#endif
}

TEST_CASE("NEON kernels need asimd, and the vector kernels are this build's", "[kernels][config]") {
  CpuFeatures f;
  CHECK_FALSE(cpu_runs_neon_kernels(f));
  f.asimd = true;
  CHECK(cpu_runs_neon_kernels(f));
  CpuFeatures all;
  all.avx512f = all.avx512dq = all.fma = all.asimd = true;
  CHECK(cpu_runs_vector_kernels(all) == bool(UIBNAS_KERNELS_X86 || UIBNAS_KERNELS_NEON));
#if UIBNAS_KERNELS_NEON
  CHECK(cpu_features().asimd);  // every AArch64 Linux CPU, and qemu-aarch64, reports it
#endif
}

TEST_CASE("AVX-512 kernels need avx512f, avx512dq and fma", "[kernels][config]") {
  CpuFeatures f;
  f.avx512f = f.avx512dq = f.fma = true;
  CHECK(cpu_runs_avx512_kernels(f));
  for (bool CpuFeatures::*flag : {&CpuFeatures::avx512f, &CpuFeatures::avx512dq, &CpuFeatures::fma}) {
    CpuFeatures missing = f;
    missing.*flag = false;
    CHECK_FALSE(cpu_runs_avx512_kernels(missing));
  }
  CpuFeatures avx2_only;
  avx2_only.avx2 = avx2_only.fma = true;
  CHECK_FALSE(cpu_runs_avx512_kernels(avx2_only));
}

TEST_CASE("UIBNAS_DISABLE_AVX512 disables AVX-512 for any value but unset, empty or 0", "[kernels][config]") {
  CHECK_FALSE(vector_kernels_disabled_by(nullptr));
  CHECK_FALSE(vector_kernels_disabled_by(""));
  CHECK_FALSE(vector_kernels_disabled_by("0"));
  CHECK(vector_kernels_disabled_by("1"));
  CHECK(vector_kernels_disabled_by("yes"));
  CHECK(vector_kernels_disabled_by("00"));
}
