// The checked cost arithmetic: exact results up to INT64_MAX, an error naming the count past it.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "common/checked_math.hpp"

using namespace uibnas::common;

TEST_CASE("checked sums and products are exact up to INT64_MAX and throw past it", "[checked_math]") {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  CHECK(checked_add(kMax - 5, 5, "x") == kMax);
  CHECK_THROWS_WITH(checked_add(kMax - 5, 6, "MAC count"), "MAC count overflows int64");
  CHECK(checked_mul(3037000499, 3037000499, "x") == 9223372030926249001);  // floor(sqrt(INT64_MAX))^2
  CHECK_THROWS_AS(checked_mul(3037000500, 3037000500, "x"), CountOverflow);
  // 65536 x 1048576 x 2048 x 2048 = 2^58; one more factor of 32 is 2^63.
  CHECK(checked_product("MAC count", 65536, 1048576, 2048, 2048) == (std::int64_t(1) << 58));
  CHECK_THROWS_WITH(checked_product("MAC count", 65536, 1048576, 2048, 2048, 32), "MAC count overflows int64");
  CHECK(checked_product("MAC count", -4, 8) == -32);
}
