// <immintrin.h> for the *_avx512.cpp kernel files. GCC 12 warns falsely inside its own
// _mm512_undefined_* helpers (GCC bug 105593), and about the ABI of file-local helpers that pass
// __m512 under a target attribute; both are silenced here, once.
#pragma once
#include "runtime/kernels/isa.hpp"

#if UIBNAS_KERNELS_X86
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#endif
