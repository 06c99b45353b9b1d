// A search's state on disk, so that a killed search continues where its last checkpoint left it.
// The file holds the options that define the search (a resume with other options is refused), the
// completed generations, the history (encodings and metric values, exact: JSON doubles round-trip),
// the strategy's population, the hypervolume bounds and the hypervolume per generation. It is written
// to a temporary file and renamed, so a kill never leaves half a checkpoint.
#pragma once
#include <string>

#include "common/atomic_file.hpp"

#include <nlohmann/json.hpp>

#include "search/search_run.hpp"

namespace uibnas::search {

using common::write_file_atomically;

inline constexpr const char* kCheckpointFormat = "uibnas-search-checkpoint";
inline constexpr int kCheckpointVersion = 1;

nlohmann::json checkpoint_to_json(const SearchState& state, const SearchProblem& problem, const nlohmann::json& options);
// Throws InputError naming `path` for another format, a corrupt file, or options that differ from
// `options` (the search it holds is another one).
SearchState checkpoint_from_json(const nlohmann::json& j, const SearchProblem& problem, const nlohmann::json& options,
                                 const std::string& path);


}  // namespace uibnas::search
