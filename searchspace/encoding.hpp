// The canonical short name of a candidate: "<space id>:<base-36 number>". The number packs the
// active decisions in mixed radix (the first decision is the least significant digit); inactive and
// single-option decisions take no digits, so deep candidates get longer names and the name round-trips
// to the canonical choice vector.
#pragma once
#include <string>

#include "searchspace/search_space.hpp"

namespace uibnas::searchspace {

std::string encode(const SearchSpace& space, const Choices& choices);

// Throws InputError naming the problem: another space's id, a character that is not base 36, leading
// zeros, or a number beyond the candidate it describes.
Choices decode(const SearchSpace& space, const std::string& encoding);

// The active decisions as "name=label" pairs separated by spaces: "resolution=256 stem.width=32 ...".
std::string describe(const SearchSpace& space, const Choices& choices);

}  // namespace uibnas::searchspace
