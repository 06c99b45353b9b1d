#include "search/objective.hpp"

#include "searchspace/decode.hpp"

namespace uibnas::search {

const char* direction_name(Direction d) { return d == Direction::Minimise ? "min" : "max"; }

const arch_defs::Architecture& Candidate::architecture() const {
  if (!arch_) arch_ = searchspace::to_architecture(space_, choices_, "candidate");
  return *arch_;
}

const arch_defs::Network& Candidate::network() const {
  if (!net_) net_ = arch_defs::build_network(architecture());
  return *net_;
}

const arch_defs::ParamsMacs& Candidate::params_macs() const {
  if (!params_macs_) params_macs_ = arch_defs::network_params_macs(network(), resolution());
  return *params_macs_;
}

}  // namespace uibnas::search
