// Numeric options that used to wrap around or be taken as NaN: a negative seed, a non-finite interval.
// Each ends in exit status 2 and one `error:` line naming the option; valid values still run.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "run_binary.hpp"
#include "tests/support/test_data.hpp"

namespace {

void check_refused(const std::string& args, const std::string& expected) {
  const BinaryResult r = run_uibnas(args);
  INFO(args << "\n" << r.err);
  CHECK(r.status == 2);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK_THAT(r.err, Catch::StartsWith("error: uibnas ") && Catch::Contains(expected));
}

}  // namespace

TEST_CASE("a negative seed is refused instead of wrapping around", "[cli][options]") {
  const std::string space = std::string(UIBNAS_SOURCE_DIR) + "/searchspace/spaces/conv-s.json";
  check_refused("space sample " + space + " -n 1 --seed -1", "the argument ('-1') for option '--seed' is invalid: expected a number from 0");
  check_refused("search --space " + space + " --seed -3 --budget 1", "option '--seed' is invalid");
}

TEST_CASE("non-finite numbers are refused for numeric options", "[cli][options]") {
  for (const char* value : {"nan", "inf", "-inf"})
    check_refused(std::string("search --space x.json --budget 1 --checkpoint-seconds ") + value,
                  "for option '--checkpoint-seconds' is invalid: expected a finite number");
  check_refused("profile --hardware h --checkpoint-seconds nan", "option '--checkpoint-seconds' is invalid: expected a finite number");
}
