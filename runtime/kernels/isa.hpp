// Which instruction-set paths the kernels can be compiled with here. AVX-512 code lives in
// *_avx512.cpp files under a per-function target attribute (UIBNAS_AVX512), so the library builds for
// a baseline x86-64 and kernel_config.cpp picks those functions at run time; NEON code lives in
// *_neon.cpp files, built only for aarch64.
#pragma once

#ifndef UIBNAS_KERNELS_X86
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define UIBNAS_KERNELS_X86 1
#else
#define UIBNAS_KERNELS_X86 0
#endif
#endif

// NEON with FMA is part of every AArch64 CPU: the *_neon.cpp kernels need no target attribute, and
// the run-time check (cpu_features().asimd) only guards against a kernel that hides it.
#ifndef UIBNAS_KERNELS_NEON
#if defined(__aarch64__) && defined(__ARM_NEON)
#define UIBNAS_KERNELS_NEON 1
#else
#define UIBNAS_KERNELS_NEON 0
#endif
#endif

#define UIBNAS_AVX512 __attribute__((target("avx512f,avx512dq,fma")))
#define UIBNAS_AVX512_INLINE __attribute__((target("avx512f,avx512dq,fma"), always_inline)) inline

// For plain loops outside the kernel families (random draws, statistics): the compiler builds an
// AVX-512, an AVX2 and a baseline copy and the loader picks the widest the CPU has, with no config.
#if UIBNAS_KERNELS_X86 && defined(__GNUC__) && !defined(__clang__)
#define UIBNAS_WIDEST_VECTORS __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define UIBNAS_WIDEST_VECTORS
#endif
