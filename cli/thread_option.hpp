// The --threads option every subcommand that runs work in parallel shares (profile, run, search,
// hwinfo), with --force-threads: one place adds them and one rule checks the count, so an absurd
// value is refused before any thread or per-thread buffer exists.
#pragma once
#include <boost/program_options.hpp>

namespace uibnas::cli {

// More than this many threads per hardware thread only with --force-threads.
constexpr int kThreadsPerHardwareThread = 4;
// The most threads even with --force-threads.
constexpr int kMaxForcedThreads = 1024;

// Adds --threads (-t) stored into `threads` with `default_threads`, and --force-threads.
void add_thread_options(boost::program_options::options_description& options, int& threads, int default_threads,
                        const char* help);

// Throws InputError naming --threads unless 1 <= threads <= 4 x hardware threads, or <= 1024 with
// --force-threads. `hardware_threads` is std::thread::hardware_concurrency() (0: unknown, taken as 1).
void check_thread_count(int threads, bool forced, unsigned hardware_threads);

// check_thread_count for the options parsed into `vm`, on this machine.
void check_thread_options(int threads, const boost::program_options::variables_map& vm);

}  // namespace uibnas::cli
