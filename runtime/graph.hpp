// The operator DAG (Boost.Graph) of a lowered network: checks it is acyclic and fully connected to
// the output, and answers the order and liveness questions the execution plan asks.
#pragma once
#include <memory>
#include <vector>

#include "arch_defs/operators.hpp"

namespace uibnas::runtime {

class OperatorGraph {
 public:
  explicit OperatorGraph(arch_defs::OperatorList ops);

  const arch_defs::OperatorList& ops() const { return ops_; }
  // Operators in an order where every producer precedes its consumers.
  const std::vector<int>& topological_order() const { return order_; }
  const std::vector<int>& consumers(int op) const { return consumers_[op]; }
  // Position (in topological_order) of the last operator that reads op's output; the output op lives to the end.
  int last_use(int op) const { return last_use_[op]; }

 private:
  arch_defs::OperatorList ops_;
  std::vector<int> order_;
  std::vector<std::vector<int>> consumers_;
  std::vector<int> last_use_;
};

}  // namespace uibnas::runtime
