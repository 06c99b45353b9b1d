#include "search/proxy_objective.hpp"

namespace uibnas::search {

ProxyObjective::ProxyObjective(ProxyKind kind, const ProxySettings& settings) : kind_(kind), settings_(settings) {
  validate_proxy_settings(settings_);
}

double ProxyObjective::value(const Candidate& c) const { return proxy_score(kind_, c.architecture(), settings_); }

}  // namespace uibnas::search
