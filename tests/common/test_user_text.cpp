// User text at the boundary: the UTF-8 rule (RFC 3629) and the excerpt an error message quotes.
#include <catch2/catch.hpp>

#include <string>

#include "common/error.hpp"
#include "common/user_text.hpp"

using namespace uibnas;

TEST_CASE("is_valid_utf8 accepts well-formed UTF-8 only", "[text]") {
  for (const char* ok : {"", "conv_small", "caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xef\xbf\xbf",
                         "\xf4\x8f\xbf\xbf"})
    CHECK(common::is_valid_utf8(ok));
  for (const char* bad : {"\xff", "a\x80", "\xc3", "\xc0\xaf",  // stray byte, lone continuation, cut short, overlong
                          "\xe0\x80\xaf", "\xed\xa0\x80",     // overlong 3-byte, a UTF-16 surrogate
                          "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80", "\xe2\x82"})  // above U+10FFFF, 5 bytes, cut
    CHECK_FALSE(common::is_valid_utf8(bad));
}

TEST_CASE("require_utf8 names the value and the first bad byte", "[text]") {
  CHECK_NOTHROW(common::require_utf8("laptop-\xc3\xa9", "--hardware"));
  CHECK_THROWS_MATCHES(common::require_utf8("ab\xc3\xa9\xff", "--hardware"), common::InputError,
                       Catch::Message("--hardware is not valid UTF-8 (byte 0xff at offset 4)"));
}

TEST_CASE("excerpt keeps 60 characters of a long string and says how long it was", "[text]") {
  CHECK(common::excerpt("uir_r1_a3_k5_s2_e4_c80") == "uir_r1_a3_k5_s2_e4_c80");
  const std::string megabyte(1000000, 'x');
  CHECK(common::excerpt(megabyte) == std::string(60, 'x') + "\xe2\x80\xa6 (1000000 bytes)");
  // Characters, not bytes: 61 two-byte characters keep 60 of them (120 bytes) of the 122.
  std::string accents;
  for (int i = 0; i < 61; ++i) accents += "\xc3\xa9";
  CHECK(common::excerpt(accents) == accents.substr(0, 120) + "\xe2\x80\xa6 (122 bytes)");
  CHECK(common::excerpt(std::string(60, 'y')) == std::string(60, 'y'));
  CHECK(common::excerpt("abcdef", 3) == "abc\xe2\x80\xa6 (6 bytes)");
}

TEST_CASE("excerpt writes control characters and stray bytes as hex escapes, so a message stays one line", "[text]") {
  CHECK(common::excerpt("a\nb\tc") == "a\\x0ab\\x09c");
  CHECK(common::excerpt("name\xff\xc3") == "name\\xff\\xc3");
  CHECK(common::is_valid_utf8(common::excerpt("\xed\xa0\x80\x7f")));
  CHECK(common::excerpt("\xed\xa0\x80\x7f") == "\\xed\\xa0\\x80\\x7f");
}
