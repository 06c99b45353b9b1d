// The big integer behind cardinalities and encodings, against values computed by hand.
#include <catch2/catch.hpp>

#include "searchspace/big_uint.hpp"

using uibnas::searchspace::BigUint;

TEST_CASE("BigUint multiplies, adds and prints past 128 bits", "[big_uint]") {
  BigUint two_100(1);
  for (int i = 0; i < 100; ++i) two_100 *= 2u;
  CHECK(two_100.to_string() == "1267650600228229401496703205376");
  CHECK(two_100.to_string(16) == "1" + std::string(25, '0'));

  const BigUint max64(~0ull);
  CHECK((max64 * max64).to_string() == "340282366920938463426481119284349108225");  // (2^64 - 1)^2
  CHECK((BigUint(0xffffffffull) + BigUint(1)).to_string() == "4294967296");
  CHECK((max64 + BigUint(1)).to_string() == "18446744073709551616");
  CHECK(BigUint(0).to_string() == "0");
  CHECK((BigUint(12345) * BigUint(0)).is_zero());

  BigUint p(1);
  for (int i = 0; i < 20; ++i) p *= 36u;
  CHECK(p.to_string() == "13367494538843734067838845976576");  // 36^20
  CHECK(p.to_string(36) == "1" + std::string(20, '0'));
}

TEST_CASE("BigUint divides by small numbers and reads digits", "[big_uint]") {
  BigUint v;
  REQUIRE(BigUint::parse("zz", 36, v));
  CHECK(v == BigUint(1295));
  CHECK(v.divide(36) == 35);
  CHECK(v == BigUint(35));

  BigUint big;
  REQUIRE(BigUint::parse("1267650600228229401496703205377", 10, big));  // 2^100 + 1
  CHECK(big.divide(2) == 1);
  CHECK(big.to_string() == "633825300114114700748351602688");  // 2^99

  CHECK_FALSE(BigUint::parse("", 36, v));
  CHECK_FALSE(BigUint::parse("1A", 36, v));  // upper case is not a digit
  CHECK_FALSE(BigUint::parse("12", 2, v));
  CHECK_FALSE(BigUint::parse("-1", 10, v));
}

TEST_CASE("BigUint log10 and to_double", "[big_uint]") {
  BigUint ten30;
  REQUIRE(BigUint::parse("1" + std::string(30, '0'), 10, ten30));
  CHECK(ten30.log10() == Approx(30.0).margin(1e-12));
  BigUint two_100(1);
  for (int i = 0; i < 100; ++i) two_100 *= 2u;
  CHECK(two_100.log10() == Approx(100 * 0.30102999566398120).margin(1e-9));
  CHECK(two_100.to_double() == Approx(1.2676506002282294e30));
  CHECK(BigUint(1000).log10() == Approx(3.0));
  CHECK(std::isinf(BigUint(0).log10()));
}
