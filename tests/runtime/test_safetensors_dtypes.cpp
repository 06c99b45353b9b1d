// safetensors dtypes: names and sizes, exact F16/BF16/F64 decoding, f32 -> f16/bf16 rounding.
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "runtime/weights/half_float.hpp"
#include "runtime/weights/safetensors.hpp"
#include "safetensors_test_support.hpp"

using namespace uibnas::runtime::weights;
using namespace safetensors_test;

TEST_CASE("safetensors: dtype names and sizes", "[safetensors]") {
  CHECK(std::string(dtype_name(DType::F32)) == "F32");
  CHECK(std::string(dtype_name(DType::BF16)) == "BF16");
  CHECK(std::string(dtype_name(DType::Bool)) == "BOOL");
  CHECK(dtype_size(DType::F64) == 8);
  CHECK(dtype_size(DType::F16) == 2);
  CHECK(dtype_size(DType::I64) == 8);
  CHECK(dtype_size(DType::Bool) == 1);
  CHECK(dtype_from_name("I16") == DType::I16);
  CHECK_FALSE(dtype_from_name("F8_E4M3").has_value());
  CHECK(TensorInfo{"s", DType::F32, {}, 0, 4}.numel() == 1);
  CHECK(TensorInfo{"t", DType::F32, {2, 0, 3}, 0, 0}.numel() == 0);
}

TEST_CASE("safetensors: F16 decoding is exact", "[safetensors]") {
  // Hand-computed binary16 values.
  struct Case {
    uint16_t h;
    float expect;
  };
  const Case cases[] = {
      {0x3C00, 1.0f},
      {0xC000, -2.0f},
      {0x0001, 0x1p-24f},             // smallest subnormal
      {0x8001, -0x1p-24f},
      {0x03FF, 1023 * 0x1p-24f},      // largest subnormal = 6.097555160522461e-05
      {0x0400, 0x1p-14f},             // smallest normal
      {0x7BFF, 65504.0f},             // largest finite
      {0xFBFF, -65504.0f},
      {0x3555, 0.333251953125f},      // 1/3 rounded: 2^-2 * (1 + 341/1024)
      {0x3C01, 1.0009765625f},        // 1 + 2^-10
      {0x7C00, std::numeric_limits<float>::infinity()},
      {0xFC00, -std::numeric_limits<float>::infinity()},
  };
  std::vector<uint16_t> halfs;
  for (const Case& c : cases) halfs.push_back(c.h);
  halfs.push_back(0x8000);  // -0
  halfs.push_back(0x7E00);  // quiet NaN
  halfs.push_back(0x7C01);  // signalling NaN (must not become inf)
  halfs.push_back(0xFE00);  // negative NaN

  TempDir tmp;
  const std::string path = tmp.file("f16.safetensors");
  const std::string header = R"({"h":{"dtype":"F16","shape":[2,8],"data_offsets":[0,32]}})";
  write_bytes(path, st_bytes(header, raw(halfs)));
  const SafetensorsFile f = SafetensorsFile::open(path);
  CHECK(f.find("h")->dtype == DType::F16);
  CHECK(f.is_float(*f.find("h")));
  const std::vector<float> v = f.read_f32("h");
  REQUIRE(v.size() == 16);
  for (size_t i = 0; i < std::size(cases); ++i) {
    INFO("half 0x" << std::hex << cases[i].h);
    CHECK(bits(v[i]) == bits(cases[i].expect));
  }
  CHECK(v[12] == 0.0f);
  CHECK(std::signbit(v[12]));
  CHECK(std::isnan(v[13]));
  CHECK(std::isnan(v[14]));
  CHECK(std::isnan(v[15]));
  CHECK(std::signbit(v[15]));

  // All 65536 bit patterns against the ldexp reference, and f32 -> f16 -> f32 round trips.
  for (uint32_t h = 0; h <= 0xFFFF; ++h) {
    const float x = f16_to_f32(static_cast<uint16_t>(h));
    const double ref = f16_reference(static_cast<uint16_t>(h));
    if (std::isnan(ref)) {
      REQUIRE(std::isnan(x));
      REQUIRE(std::isnan(f16_to_f32(f32_to_f16(x))));
    } else {
      REQUIRE(static_cast<double>(x) == ref);
      REQUIRE(std::signbit(x) == static_cast<bool>(h & 0x8000));
      REQUIRE(f32_to_f16(x) == h);
    }
  }
}

TEST_CASE("safetensors: f32 -> f16/bf16 rounds to nearest even", "[safetensors]") {
  CHECK(f32_to_f16(65519.0f) == 0x7BFF);
  CHECK(f32_to_f16(65520.0f) == 0x7C00);  // halfway past 65504 -> inf (ties to even)
  CHECK(f32_to_f16(1e10f) == 0x7C00);
  CHECK(f32_to_f16(-1e10f) == 0xFC00);
  CHECK(f32_to_f16(1.0f + 0x1p-11f) == 0x3C00);       // tie -> even (down)
  CHECK(f32_to_f16(1.0f + 3 * 0x1p-11f) == 0x3C02);   // tie -> even (up)
  CHECK(f32_to_f16(1.0f + 0x1p-11f + 0x1p-20f) == 0x3C01);
  CHECK(f32_to_f16(0x1p-25f) == 0x0000);               // tie between 0 and 2^-24 -> 0
  CHECK(f32_to_f16(3 * 0x1p-25f) == 0x0002);           // tie between 1 and 2 ulps -> 2
  CHECK(f32_to_f16(0x1p-25f + 0x1p-40f) == 0x0001);
  CHECK(f32_to_f16(1e-10f) == 0x0000);
  CHECK(f32_to_f16(-0.0f) == 0x8000);
  CHECK((f32_to_f16(std::nanf("")) & 0x7C00) == 0x7C00);
  CHECK((f32_to_f16(std::nanf("")) & 0x03FF) != 0);
  CHECK(f32_to_bf16(1.0f) == 0x3F80);
  CHECK(f32_to_bf16(std::bit_cast<float>(0x3F808000u)) == 0x3F80);  // tie -> even
  CHECK(f32_to_bf16(std::bit_cast<float>(0x3F818000u)) == 0x3F82);  // tie -> even (up)
  CHECK(f32_to_bf16(std::bit_cast<float>(0x3F808001u)) == 0x3F81);
  CHECK(std::isnan(bf16_to_f32(f32_to_bf16(std::nanf("")))));
}

TEST_CASE("safetensors: BF16 and F64 decoding", "[safetensors]") {
  const std::vector<uint16_t> bf = {0x3F80, 0xC000, 0x4049, 0x7F80, 0xFF80, 0x0001, 0x8000, 0x7FC0};
  const std::vector<double> f64 = {1.5, 0.1, -1e300, 1e-50, 0x1.fffffe8p127, 0x1.ffffffp127};
  TempDir tmp;
  const std::string path = tmp.file("bf.safetensors");
  const std::string header =
      R"({"b":{"dtype":"BF16","shape":[8],"data_offsets":[0,16]},)"
      R"("d":{"dtype":"F64","shape":[6],"data_offsets":[16,64]}})";
  write_bytes(path, st_bytes(header, raw(bf) + raw(f64)));
  const SafetensorsFile f = SafetensorsFile::open(path);

  const std::vector<float> b = f.read_f32("b");
  CHECK(b[0] == 1.0f);                                   // 0x3F80
  CHECK(b[1] == -2.0f);                                  // 0xC000
  CHECK(b[2] == 3.140625f);                              // 0x4049 = 0x40490000
  CHECK(b[3] == std::numeric_limits<float>::infinity());
  CHECK(b[4] == -std::numeric_limits<float>::infinity());
  CHECK(b[5] == 0x1p-133f);                              // float bits 0x00010000: subnormal
  CHECK(bits(b[6]) == 0x80000000u);                      // -0
  CHECK(std::isnan(b[7]));

  const std::vector<float> d = f.read_f32("d");
  CHECK(d[0] == 1.5f);
  CHECK(d[1] == 0.1f);
  CHECK(d[2] == -std::numeric_limits<float>::infinity());
  CHECK(d[3] == 0.0f);
  CHECK(d[4] == std::numeric_limits<float>::max());       // FLT_MAX + 2^102: below halfway, rounds down
  CHECK(d[5] == std::numeric_limits<float>::infinity());  // FLT_MAX + 2^103: halfway, ties to inf
}
