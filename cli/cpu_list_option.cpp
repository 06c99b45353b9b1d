#include "cli/cpu_list_option.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include <sched.h>
#include <sys/sysinfo.h>

#include "common/error.hpp"

namespace uibnas::cli {
namespace {

std::string machine_range(int cpu_count) { return cpu_count == 1 ? "0" : "0-" + std::to_string(cpu_count - 1); }

// A CPU number of `item`: digits only, below cpu_count.
int cpu_number(const std::string& number, const std::string& item, int cpu_count) {
  if (number.empty() || number.size() > 6 || number.find_first_not_of("0123456789") != std::string::npos)
    throw common::InputError("--cpus: '" + item + "' is not a CPU number or range (e.g. 4-7 or 0,2,4-5)");
  const int cpu = std::stoi(number);
  if (cpu >= cpu_count)
    throw common::InputError("--cpus: '" + number + "' is not a CPU of this machine (" + machine_range(cpu_count) + ")");
  return cpu;
}

}  // namespace

void add_cpu_list_option(boost::program_options::options_description& options, std::string& cpus) {
  options.add_options()("cpus", boost::program_options::value(&cpus),
                        "run only on these CPUs, e.g. 4-7 or 0,2,4-5 (a phone's big cores)");
}

std::vector<int> parse_cpu_list(const std::string& text, int cpu_count) {
  if (text.empty()) throw common::InputError("--cpus: empty list (give e.g. 4-7 or 0,2,4-5)");
  std::set<int> cpus;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    const std::size_t dash = item.find('-');
    const int first = cpu_number(item.substr(0, dash), item, cpu_count);
    const int last = dash == std::string::npos ? first : cpu_number(item.substr(dash + 1), item, cpu_count);
    if (last < first) throw common::InputError("--cpus: '" + item + "' runs backwards (write " +
                                               std::to_string(last) + "-" + std::to_string(first) + ")");
    for (int cpu = first; cpu <= last; ++cpu) cpus.insert(cpu);
    start = comma + 1;
  }
  return {cpus.begin(), cpus.end()};
}

std::string format_cpu_list(const std::vector<int>& cpus) {
  std::string out;
  for (std::size_t i = 0; i < cpus.size();) {
    std::size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    out += (out.empty() ? "" : ",") + std::to_string(cpus[i]) + (j > i ? "-" + std::to_string(cpus[j]) : "");
    i = j + 1;
  }
  return out;
}

void pin_process_to_cpus(const std::vector<int>& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : cpus) CPU_SET(cpu, &set);
  // Every thread already running (normally only this one), so that none escapes the mask.
  std::error_code ec;
  std::vector<pid_t> threads;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec))
    threads.push_back(pid_t(std::stol(task.path().filename().string())));
  if (threads.empty()) threads.push_back(0);
  for (pid_t tid : threads)
    if (sched_setaffinity(tid, sizeof set, &set) != 0 && errno != ESRCH)  // ESRCH: that thread has ended
      throw common::InputError("--cpus " + format_cpu_list(cpus) + ": cannot run there (" + std::strerror(errno) +
                               "; offline, or outside the CPUs this process may use?)");
}

std::vector<int> given_cpu_list(const std::string& text, const boost::program_options::variables_map& vm) {
  return vm.count("cpus") ? parse_cpu_list(text, get_nprocs_conf()) : std::vector<int>{};
}

void fit_threads_to_cpus(int& threads, const std::vector<int>& cpus, const boost::program_options::variables_map& vm) {
  const int given = int(cpus.size());
  if (given == 0 || threads <= given) return;
  if (vm.count("threads") && vm["threads"].defaulted()) {
    threads = given;
    return;
  }
  if (!vm.count("force-threads"))
    throw common::InputError("--threads " + std::to_string(threads) + " is more than the " + std::to_string(given) +
                             (given == 1 ? " CPU" : " CPUs") + " of --cpus " + format_cpu_list(cpus) +
                             " (threads would share CPUs); pass --force-threads to use it anyway");
}

std::vector<int> apply_cpu_list_option(const std::string& text, int& threads,
                                       const boost::program_options::variables_map& vm) {
  const std::vector<int> cpus = given_cpu_list(text, vm);
  if (cpus.empty()) return cpus;
  fit_threads_to_cpus(threads, cpus, vm);
  pin_process_to_cpus(cpus);
  return cpus;
}

}  // namespace uibnas::cli
