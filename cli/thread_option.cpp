#include "cli/thread_option.hpp"

#include <algorithm>
#include <string>
#include <thread>

#include "common/error.hpp"

namespace uibnas::cli {

void add_thread_options(boost::program_options::options_description& options, int& threads, int default_threads,
                        const char* help) {
  namespace po = boost::program_options;
  options.add_options()
      ("threads,t", po::value(&threads)->default_value(default_threads), help)
      ("force-threads", "allow --threads above 4 x the hardware threads (at most 1024)");
}

void check_thread_count(int threads, bool forced, unsigned hardware_threads) {
  if (threads < 1) throw common::InputError("--threads must be at least 1, got " + std::to_string(threads));
  const long long allowed = kThreadsPerHardwareThread * static_cast<long long>(std::max(1u, hardware_threads));
  if (forced && threads > kMaxForcedThreads)
    throw common::InputError("--threads must be at most " + std::to_string(kMaxForcedThreads) +
                             " even with --force-threads, got " + std::to_string(threads));
  if (!forced && threads > allowed)
    throw common::InputError("--threads " + std::to_string(threads) + " is more than " +
                             std::to_string(kThreadsPerHardwareThread) + " x the " +
                             std::to_string(std::max(1u, hardware_threads)) +
                             " hardware threads here; pass --force-threads to use it anyway");
}

void check_thread_options(int threads, const boost::program_options::variables_map& vm) {
  check_thread_count(threads, vm.count("force-threads") > 0, std::thread::hardware_concurrency());
}

}  // namespace uibnas::cli
