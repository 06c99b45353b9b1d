// uibnas hwinfo [--json] [--threads N] [--seconds S]: CPU description, measured FMA peak and
// memory bandwidth per thread count, and the resulting ridge point (MACs/byte).
#include <cstdio>
#include <iostream>

#include "common/error.hpp"
#include "cli/command.hpp"
#include "cli/cpu_list_option.hpp"
#include "cli/thread_option.hpp"
#include "latency/hardware.hpp"

namespace uibnas::cli {
namespace {

// What phones and boards vary (only where known, so x86 VMs print nothing more): the CPUs this process
// is pinned to, each core's frequency, the hottest thermal zone.
void print_device_state(const latency::HardwareInfo& hw) {
  if (!hw.allowed_cpus.empty()) std::printf("pinned     CPUs %s\n", format_cpu_list(hw.allowed_cpus).c_str());
  std::string frequencies;
  for (const auto& c : hw.cores)
    if (c.max_khz > 0)
      frequencies += (frequencies.empty() ? "" : ", ") + std::string("cpu") + std::to_string(c.cpu) + " " +
                     std::to_string(c.cur_khz / 1000) + "/" + std::to_string(c.max_khz / 1000);
  if (!frequencies.empty()) std::printf("MHz        %s (current/max)\n", frequencies.c_str());
  const std::string heat = latency::hottest_reading_text(hw.thermal);
  if (!heat.empty()) std::printf("thermal    %s (hottest of %zu zones)\n", heat.c_str(), hw.thermal.size());
}

}  // namespace

int run_hwinfo(const Args& args) {
  namespace po = boost::program_options;
  int threads = 0;
  double seconds = 0;
  std::string cpus;
  po::options_description opts("options");
  const latency::HardwareInfo cpu = latency::describe_cpu();
  add_thread_options(opts, threads, cpu.logical_cpus, "measure 1..N threads");
  add_cpu_list_option(opts, cpus);
  opts.add_options()
      ("seconds", po::value(&seconds)->default_value(0.2), "time per microbenchmark")
      ("json", "print JSON");
  po::variables_map vm;
  if (!parse_command_line(args, "usage: uibnas hwinfo [--threads N] [--cpus LIST] [--seconds S] [--json]\n\n"
                                "CPU model, ISA, caches; measured FP32 FMA peak (GMAC/s) and read bandwidth (GB/s)\n"
                                "for 1..N threads, and the ridge point PeakMACs / PeakBandwidth (MACs/byte).",
                          opts, {}, vm))
    return 0;
  check_thread_options(threads, vm);
  apply_cpu_list_option(cpus, threads, vm);
  if (!(seconds > 0 && seconds <= 60)) throw common::InputError("--seconds must be in (0, 60]");
  const latency::HardwareInfo hw = latency::measure_hardware(threads, seconds);
  if (vm.count("json")) {
    std::cout << latency::hardware_to_json(hw).dump(1) << "\n";
    return 0;
  }
  std::printf("CPU        %s (%s), %d logical CPUs\n", hw.cpu_model.c_str(), hw.vendor.c_str(), hw.logical_cpus);
  std::string isa;
  for (const auto& f : hw.isa) isa += f + " ";
  std::printf("ISA        %s\nkernels    %s\n", isa.c_str(), hw.kernel_isa.c_str());
  std::printf("caches     L1d %lld KiB, L2 %lld KiB, L3 %lld KiB (per cpu0's view)\n", hw.l1d_bytes / 1024,
              hw.l2_bytes / 1024, hw.l3_bytes / 1024);
  print_device_state(hw);
  std::printf("\n%8s %14s %16s %22s\n", "threads", "FMA GMAC/s", "read GB/s", "ridge point MACs/B");
  for (const auto& p : hw.peaks)
    std::printf("%8d %14.1f %16.1f %22.1f\n", p.threads, p.gmacs, p.bandwidth_gbs, p.ridge_point());
  return 0;
}

}  // namespace uibnas::cli
