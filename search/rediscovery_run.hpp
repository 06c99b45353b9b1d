// `uibnas search --rediscover MODEL`: would a search have found the published variant? T0 is the
// variant's lookup-table latency on the table; a search of the space with TuNAS's reward at T0 under a
// quality objective Q (default macs:max, the capacity) then shows where the variant stands among what
// the search evaluated near T0, whether the final front dominates it, and which front member is nearest
// to it. The same follows for the paper's two-stage search (paper-facts.md §3): conv-m-stage1 (widths
// and depths), then conv-m-stage2 (the depthwise convs) with the widths and depths of stage 1's best.
//
// The reward is TuNAS's abs, Q + β·|T/T0 − 1|, with Q taken relative to the variant's (β scaled by
// the variant's Q), so that β means the same for any quality. Its default here is −2, not TuNAS's
// −0.10: MACs grow about as fast as latency, so with |β| below 1 a capacity reward keeps rising past
// T0 and the search drifts away from the latency it is meant to rediscover.
//
// The shipped tables hold the published variants' parts, not a space's: a missing part's latency is
// the roofline fitted on the table's entries (as with --allow-missing), and the report says how many
// of the space's parts the table holds.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "search/proxy.hpp"
#include "search/search_run.hpp"

namespace uibnas::search {

constexpr double kRediscoveryBeta = -2.0;
constexpr double kRediscoveryBand = 0.02;  // the variant's peers: latency within ±2% of T0
constexpr const char* kRediscoveryQuality = "macs:max";
constexpr const char* kFirstStageSpace = "conv-m-stage1.json";  // found beside --space
constexpr const char* kSecondStageSpace = "conv-m-stage2.json";

struct RediscoveryRequest {
  std::string model, space_file, table_path, out_dir;
  std::vector<std::string> objectives;  // empty: latency and kRediscoveryQuality
  std::string reward = "abs";
  std::optional<double> beta;           // relative to the variant's Q; default kRediscoveryBeta
  SearchSettings settings;
  bool progress = true;
  ProxySettings proxy;                  // the proxies' minibatch, when Q is one (--proxy-data)
  bool resume = false;                  // an out_dir/rediscover.json of the same request is shown, not redone
};

// Runs the three searches, writes out_dir/rediscover.json and rediscover.txt and prints the text. With
// resume, a finished rediscovery of the same model, space, table latency T0 and settings is printed
// again instead. The folder is locked while it runs; a stop signal ends it before anything is written.
// Throws InputError for an unknown model, a missing table or objectives other than latency and one Q.
void run_rediscovery(const RediscoveryRequest& request);

}  // namespace uibnas::search
