// The largest architecture uibnas accepts. Every count read from a block string or an architecture
// file is checked against these where it is parsed, so sizes derived from them (operators, shapes,
// buffers) stay bounded; costs derived from them are still summed with overflow checks
// (common/checked_math.hpp), since the product of the limits does not fit in 64 bits.
#pragma once

namespace uibnas::arch_defs::limits {

constexpr int kMaxStages = 64;            // "stages" in one architecture
constexpr int kMaxBlocks = 1024;          // blocks of one network, after repeats
constexpr int kMaxRepeat = 64;            // r in a block string
constexpr int kMaxKernel = 15;            // k, a, p
constexpr int kMaxStride = 2;             // s
constexpr int kMaxBlockChannels = 16384;  // c in a block string, before the channel multiplier
constexpr int kMaxChannels = 65536;       // any width of the network: stem, block outputs, head
constexpr int kMaxStemChannels = 4096;    // "stem", before the channel multiplier
constexpr double kMaxExpansion = 16.0;    // e: expanded widths stay within 16 x kMaxChannels
constexpr int kMaxHeads = 64;             // h
constexpr int kMaxHeadDim = 1024;         // d
constexpr int kMaxKvStride = 8;           // v
constexpr int kMinInputSize = 32;         // input_size, test_input_size
constexpr int kMaxInputSize = 4096;
constexpr int kMaxClasses = 1000000;      // num_classes
constexpr int kMaxLoweringResolution = 8192;  // any resolution a network is lowered at (--resolution)

}  // namespace uibnas::arch_defs::limits
