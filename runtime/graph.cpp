#include "runtime/graph.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/topological_sort.hpp>
#include <stdexcept>

namespace uibnas::runtime {

OperatorGraph::OperatorGraph(arch_defs::OperatorList ops) : ops_(std::move(ops)) {
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
  const int n = static_cast<int>(ops_.ops.size());
  Graph g(n);
  consumers_.assign(n, {});
  for (int v = 0; v < n; ++v)
    for (int u : ops_.ops[v].inputs) {
      if (u >= n) throw std::logic_error("operator " + ops_.ops[v].name + " reads a missing operator");
      if (u >= 0) {
        boost::add_edge(u, v, g);
        consumers_[u].push_back(v);
      }
    }
  std::vector<Graph::vertex_descriptor> reversed;
  try {
    boost::topological_sort(g, std::back_inserter(reversed));
  } catch (const boost::not_a_dag&) {
    throw std::logic_error("operator graph of " + std::to_string(n) + " operators has a cycle");
  }
  order_.assign(reversed.rbegin(), reversed.rend());
  std::vector<int> position(n);
  for (int i = 0; i < n; ++i) position[order_[i]] = i;
  last_use_.assign(n, -1);
  for (int v = 0; v < n; ++v)
    for (int c : consumers_[v]) last_use_[v] = std::max(last_use_[v], position[c]);
  if (ops_.output >= 0) last_use_[ops_.output] = n;
  for (int v = 0; v < n; ++v)
    if (last_use_[v] < 0 && v != ops_.output)
      throw std::logic_error("operator " + ops_.ops[v].name + " feeds nothing");
}

}  // namespace uibnas::runtime
