// The --cpus option of the commands that time or run work (profile, run, validate, hwinfo): pins the
// process to some CPUs, e.g. a phone's big cores, before oneTBB starts its workers (they inherit the
// mask, and oneTBB sizes its arena from it). One place parses, checks and applies it.
#pragma once
#include <string>
#include <vector>

#include <boost/program_options.hpp>

namespace uibnas::cli {

// Adds --cpus LIST stored into `cpus`.
void add_cpu_list_option(boost::program_options::options_description& options, std::string& cpus);

// "4-7" or "0,2,4-5" on a machine of `cpu_count` CPUs (numbered 0..cpu_count-1): the CPUs, sorted
// and distinct. Throws InputError naming --cpus and the offending item.
std::vector<int> parse_cpu_list(const std::string& text, int cpu_count);

// The shortest list text for sorted distinct CPUs: {0, 2, 4, 5} -> "0,2,4-5".
std::string format_cpu_list(const std::vector<int>& cpus);

// Restricts every thread of this process to `cpus` (threads started later inherit it). Throws
// InputError when the kernel refuses (CPUs offline or outside a cgroup's set).
void pin_process_to_cpus(const std::vector<int>& cpus);

// The CPUs of --cpus on this machine (get_nprocs_conf); empty when --cpus was not given.
std::vector<int> given_cpu_list(const std::string& text, const boost::program_options::variables_map& vm);

// The rule between --threads and --cpus: a --threads left at its default above the CPUs given becomes
// their count; one given above them is refused unless --force-threads (threads would share CPUs).
void fit_threads_to_cpus(int& threads, const std::vector<int>& cpus, const boost::program_options::variables_map& vm);

// given_cpu_list, fit_threads_to_cpus and pin_process_to_cpus in one: for the commands with --threads.
// Returns the CPUs; empty without --cpus (nothing pinned).
std::vector<int> apply_cpu_list_option(const std::string& text, int& threads,
                                       const boost::program_options::variables_map& vm);

}  // namespace uibnas::cli
