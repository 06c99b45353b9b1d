#include "searchspace/encoding.hpp"

namespace uibnas::searchspace {

std::string encode(const SearchSpace& space, const Choices& choices) {
  space.check(choices);
  const auto& decisions = space.decisions();
  BigUint number;
  for (size_t i = decisions.size(); i-- > 0;) {
    const int options = decisions[i].options();
    if (options < 2 || !space.is_active(choices, static_cast<int>(i))) continue;
    number *= static_cast<std::uint32_t>(options);
    number += static_cast<std::uint32_t>(choices[i]);
  }
  return space.id() + ":" + number.to_string(36);
}

Choices decode(const SearchSpace& space, const std::string& encoding) {
  const size_t colon = encoding.rfind(':');
  if (colon == std::string::npos)
    throw common::InputError("candidate '" + encoding + "': expected SPACE:DIGITS, e.g. '" + space.id() + ":1z4k'");
  const std::string id = encoding.substr(0, colon), digits = encoding.substr(colon + 1);
  if (id != space.id())
    throw common::InputError("candidate '" + encoding + "' belongs to space '" + id + "', not '" + space.id() + "'");
  BigUint number;
  if (!BigUint::parse(digits, 36, number))
    throw common::InputError("candidate '" + encoding + "': '" + digits + "' is not a base-36 number (0-9, a-z)");
  if (digits.size() > 1 && digits[0] == '0')
    throw common::InputError("candidate '" + encoding + "': leading zeros are not canonical");
  const auto& decisions = space.decisions();
  Choices c(decisions.size(), 0);
  // Gates only look at earlier decisions, so activity is known when each digit is read.
  for (size_t i = 0; i < decisions.size(); ++i) {
    const int options = decisions[i].options();
    if (options < 2 || !space.is_active(c, static_cast<int>(i))) continue;
    c[i] = static_cast<int>(number.divide(static_cast<std::uint32_t>(options)));
  }
  if (!number.is_zero())
    throw common::InputError("candidate '" + encoding + "': the number is larger than any candidate with these choices");
  return c;
}

std::string describe(const SearchSpace& space, const Choices& choices) {
  space.check(choices);
  std::string out;
  const auto& decisions = space.decisions();
  for (size_t i = 0; i < decisions.size(); ++i) {
    if (!space.is_active(choices, static_cast<int>(i))) continue;
    out += (out.empty() ? "" : " ") + decisions[i].name + "=" + decisions[i].labels[choices[i]];
  }
  return out;
}

}  // namespace uibnas::searchspace
