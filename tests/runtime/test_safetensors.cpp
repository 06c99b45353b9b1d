// safetensors reader/writer: round trips, accepted layouts, every malformed-file error (files built
// byte by byte), a mutation fuzz, and the real large fixtures (optional, see tests/support/test_data.hpp). Dtypes: test_safetensors_dtypes.cpp.
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "runtime/weights/half_float.hpp"
#include "runtime/weights/safetensors.hpp"
#include "safetensors_test_support.hpp"
#include "tests/support/test_data.hpp"

namespace fs = std::filesystem;
using namespace uibnas::runtime::weights;
using Catch::Matchers::Contains;
using namespace safetensors_test;
using uibnas::common::InputError;

TEST_CASE("safetensors: write/read round trip with metadata", "[safetensors]") {
  TempDir tmp;
  const std::string path = tmp.file("model.safetensors");
  const std::vector<float> a = {1.f, -2.5f, 3.25f, 0.f, -0.f, 1e-40f};  // a subnormal float too
  const std::vector<float> scalar = {42.f};
  const std::vector<float> nonfinite = {std::numeric_limits<float>::infinity(), std::nanf("")};
  const std::map<std::string, std::string> meta = {{"model", "mobilenetv4_conv_small"}, {"note", "µ \"quoted\""}};
  write_safetensors(path,
                    {{"layer.weight", {2, 3}, a.data()},
                     {"scalar", {}, scalar.data()},
                     {"empty", {0, 4}, nullptr},
                     {"nonfinite", {2}, nonfinite.data()}},
                    meta);

  // Header length is a multiple of 8, so the data section is 8-byte aligned.
  const std::string bytes = read_bytes(path);
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[i]);
  CHECK(n % 8 == 0);
  CHECK(bytes.size() == 8 + n + (6 + 1 + 2) * 4);
  // No temporary file left behind.
  CHECK(std::distance(fs::directory_iterator(tmp.dir), fs::directory_iterator()) == 1);

  const SafetensorsFile f = SafetensorsFile::open(path);
  CHECK(f.path() == path);
  CHECK(f.metadata() == meta);
  REQUIRE(f.tensors().size() == 4);
  // File order of the data offsets (the empty tensor sits at offset 28, between scalar and nonfinite).
  CHECK(f.tensors()[0].name == "layer.weight");
  CHECK(f.tensors()[1].name == "scalar");
  CHECK(f.tensors()[2].name == "empty");
  CHECK(f.tensors()[3].name == "nonfinite");

  const TensorInfo* w = f.find("layer.weight");
  REQUIRE(w != nullptr);
  CHECK(w->dtype == DType::F32);
  CHECK(w->shape == std::vector<int64_t>{2, 3});
  CHECK(w->numel() == 6);
  CHECK(w->begin == 0);
  CHECK(w->end == 24);
  CHECK(f.is_float(*w));
  const std::vector<float> got = f.read_f32("layer.weight");
  REQUIRE(got.size() == a.size());
  for (size_t i = 0; i < a.size(); ++i) CHECK(bits(got[i]) == bits(a[i]));

  CHECK(f.find("scalar")->shape.empty());
  CHECK(f.read_f32("scalar") == scalar);
  CHECK(f.read_f32("empty").empty());
  CHECK(f.find("empty")->shape == std::vector<int64_t>{0, 4});
  const std::vector<float> nf = f.read_f32("nonfinite");
  CHECK(std::isinf(nf[0]));
  CHECK(std::isnan(nf[1]));
  CHECK(f.find("missing") == nullptr);
  REQUIRE_THROWS_WITH(f.read_f32("missing"), Contains(path) && Contains("no tensor named 'missing'"));

  float out[6];
  f.read_f32(*w, out);
  CHECK(out[2] == 3.25f);

  // Overwriting an existing file replaces it atomically; no metadata -> no __metadata__.
  const std::vector<float> b = {7.f};
  write_safetensors(path, {{"b", {1}, b.data()}});
  const SafetensorsFile g = SafetensorsFile::open(path);
  CHECK(g.metadata().empty());
  REQUIRE(g.tensors().size() == 1);
  CHECK(g.read_f32("b") == b);
  CHECK(read_bytes(path).find("__metadata__") == std::string::npos);

  // Copies share the buffer and stay valid after the original is gone.
  SafetensorsFile copy;
  {
    SafetensorsFile h = SafetensorsFile::open(path);
    copy = h;
  }
  CHECK(copy.read_f32("b") == b);
}

TEST_CASE("safetensors: writer rejects bad input and leaves the target untouched", "[safetensors]") {
  TempDir tmp;
  const std::string path = tmp.file("w.safetensors");
  const std::vector<float> v = {1.f, 2.f};
  write_safetensors(path, {{"keep", {2}, v.data()}});
  const std::string before = read_bytes(path);
  REQUIRE_THROWS_WITH(write_safetensors(path, {{"x", {1}, v.data()}, {"x", {1}, v.data()}}),
                      Contains(path) && Contains("duplicate tensor name 'x'"));
  REQUIRE_THROWS_WITH(write_safetensors(path, {{"x", {-1, 2}, v.data()}}), Contains("negative dimension -1"));
  REQUIRE_THROWS_WITH(write_safetensors(path, {{"x", {2}, nullptr}}), Contains("no data"));
  REQUIRE_THROWS_WITH(write_safetensors(path, {{"__metadata__", {2}, v.data()}}), Contains("reserved"));
  REQUIRE_THROWS_WITH(write_safetensors(path, {{std::string("bad\xff"), {2}, v.data()}}), Contains("header"));
  REQUIRE_THROWS_WITH(write_safetensors(tmp.file("no/such/dir/x.safetensors"), {{"x", {2}, v.data()}}),
                      Contains("no/such/dir/x.safetensors") && Contains("cannot create"));
  CHECK(read_bytes(path) == before);
  CHECK(std::distance(fs::directory_iterator(tmp.dir), fs::directory_iterator()) == 1);
}

TEST_CASE("safetensors: accepted layouts", "[safetensors]") {
  TempDir tmp;
  const std::string path = tmp.file("ok.safetensors");
  SECTION("header padded with spaces, integer tensors, unordered entries, gaps") {
    const std::vector<int64_t> ints = {-3, 5};
    const std::vector<float> fl = {2.0f};
    std::string header =
        R"({"f":{"dtype":"F32","shape":[1],"data_offsets":[20,24]},)"
        R"("n":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},)"
        R"("e":{"dtype":"U8","shape":[0],"data_offsets":[16,16]},)"
        R"("__metadata__":{"k":"v"}})";
    header += std::string(13, ' ');
    write_bytes(path, st_bytes(header, raw(ints) + std::string(4, '\0') + raw(fl)));
    const SafetensorsFile f = SafetensorsFile::open(path);
    REQUIRE(f.tensors().size() == 3);
    CHECK(f.tensors()[0].name == "n");
    CHECK(f.tensors()[1].name == "e");
    CHECK(f.tensors()[2].name == "f");
    CHECK(f.metadata().at("k") == "v");
    CHECK_FALSE(f.is_float(*f.find("n")));
    CHECK(f.read_f32("f") == fl);
    const auto bytes = f.bytes(*f.find("n"));
    REQUIRE(bytes.size() == 16);
    int64_t second;
    std::memcpy(&second, bytes.data() + 8, 8);
    CHECK(second == 5);
  }
  SECTION("empty header object, no data") {
    write_bytes(path, st_bytes("{}", ""));
    const SafetensorsFile f = SafetensorsFile::open(path);
    CHECK(f.tensors().empty());
    CHECK(f.metadata().empty());
  }
}

TEST_CASE("safetensors: malformed files are InputErrors naming the file", "[safetensors]") {
  TempDir tmp;
  const std::string path = tmp.file("bad.safetensors");
  const std::string good_header =
      R"({"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},)"
      R"("b":{"dtype":"F32","shape":[1],"data_offsets":[16,20]}})";
  const std::string good = st_bytes(good_header, std::string(20, '\x01'));
  write_bytes(path, good);
  REQUIRE_NOTHROW(SafetensorsFile::open(path));

  auto open_with = [&](const std::string& bytes) {
    write_bytes(path, bytes);
    return SafetensorsFile::open(path);
  };
  auto with_entry = [&](const std::string& entry, size_t data_bytes = 16) {
    return st_bytes(std::string(R"({"t":)") + entry + "}", std::string(data_bytes, '\0'));
  };

  SECTION("missing file") {
    const std::string missing = tmp.file("nope.safetensors");
    REQUIRE_THROWS_AS(SafetensorsFile::open(missing), InputError);
    REQUIRE_THROWS_WITH(SafetensorsFile::open(missing), Contains(missing) && Contains("cannot open"));
  }
  SECTION("a directory") {
    REQUIRE_THROWS_WITH(SafetensorsFile::open(tmp.dir.string()), Contains("directory"));
  }
  SECTION("shorter than 8 bytes") {
    REQUIRE_THROWS_WITH(open_with(""), Contains(path) && Contains("shorter than"));
    REQUIRE_THROWS_WITH(open_with(good.substr(0, 5)), Contains(path) && Contains("shorter than"));
  }
  SECTION("truncated in the header") {
    REQUIRE_THROWS_WITH(open_with(good.substr(0, 8 + good_header.size() / 2)),
                        Contains(path) && Contains("header length") && Contains("exceeds the file size"));
  }
  SECTION("truncated in the data section") {
    REQUIRE_THROWS_WITH(open_with(good.substr(0, good.size() - 3)),
                        Contains(path) && Contains("tensor 'b'") && Contains("out of range"));
    REQUIRE_THROWS_WITH(open_with(good.substr(0, 8 + good_header.size())), Contains("out of range"));
  }
  SECTION("header length beyond the file") {
    REQUIRE_THROWS_WITH(open_with(le64(uint64_t{1} << 40) + good.substr(8)),
                        Contains(path) && Contains("header length 1099511627776 exceeds"));
    REQUIRE_THROWS_WITH(open_with(le64(~uint64_t{0}) + good.substr(8)), Contains("exceeds the file size"));
  }
  SECTION("header is not valid JSON") {
    REQUIRE_THROWS_WITH(open_with(st_bytes(R"({"a": )", "")), Contains(path) && Contains("not valid JSON"));
    REQUIRE_THROWS_WITH(open_with(st_bytes(std::string("{}\0\0", 4), "")), Contains("not valid JSON"));
    REQUIRE_THROWS_WITH(open_with(st_bytes("{\"\xff\":1}", "")), Contains("not valid JSON"));  // not UTF-8
    REQUIRE_THROWS_WITH(open_with(st_bytes("", "")), Contains("not valid JSON"));
  }
  SECTION("header JSON is not an object") {
    REQUIRE_THROWS_WITH(open_with(st_bytes("[1, 2]", "")), Contains(path) && Contains("not a JSON object"));
    REQUIRE_THROWS_WITH(open_with(st_bytes("\"str\"", "")), Contains("not a JSON object"));
  }
  SECTION("entry is not an object") {
    REQUIRE_THROWS_WITH(open_with(with_entry("[1]")), Contains("tensor 't': entry is not a JSON object"));
  }
  SECTION("unknown dtype") {
    REQUIRE_THROWS_WITH(open_with(with_entry(R"({"dtype":"F8_E9","shape":[4],"data_offsets":[0,4]})")),
                        Contains(path) && Contains("tensor 't'") && Contains("unknown dtype \"F8_E9\""));
    REQUIRE_THROWS_WITH(open_with(with_entry(R"({"dtype":4,"shape":[4],"data_offsets":[0,16]})")),
                        Contains("\"dtype\" is not a string"));
  }
  SECTION("missing fields") {
    REQUIRE_THROWS_WITH(open_with(with_entry(R"({"shape":[4],"data_offsets":[0,16]})")),
                        Contains(path) && Contains("tensor 't': missing \"dtype\""));
    REQUIRE_THROWS_WITH(open_with(with_entry(R"({"dtype":"F32","data_offsets":[0,16]})")),
                        Contains("missing \"shape\""));
    REQUIRE_THROWS_WITH(open_with(with_entry(R"({"dtype":"F32","shape":[4]})")),
                        Contains("missing \"data_offsets\""));
  }
  SECTION("ill-typed shape and offsets") {
    REQUIRE_THROWS_WITH(open_with(with_entry(R"({"dtype":"F32","shape":4,"data_offsets":[0,16]})")),
                        Contains("\"shape\" is not a list"));
    REQUIRE_THROWS_WITH(open_with(with_entry(R"({"dtype":"F32","shape":[4.5],"data_offsets":[0,16]})")),
                        Contains("list of integers"));
    REQUIRE_THROWS_WITH(open_with(with_entry(R"({"dtype":"F32","shape":["4"],"data_offsets":[0,16]})")),
                        Contains("list of integers"));
    REQUIRE_THROWS_WITH(open_with(with_entry(R"({"dtype":"F32","shape":[4],"data_offsets":[0]})")),
                        Contains("two non-negative integers"));
    REQUIRE_THROWS_WITH(open_with(with_entry(R"({"dtype":"F32","shape":[4],"data_offsets":[-4,16]})")),
                        Contains("two non-negative integers"));
    REQUIRE_THROWS_WITH(open_with(with_entry(R"({"dtype":"F32","shape":[4],"data_offsets":{"a":1}})")),
                        Contains("two non-negative integers"));
    REQUIRE_THROWS_WITH(
        open_with(with_entry(R"({"dtype":"F32","shape":[4],"data_offsets":[0,99999999999999999999999]})")),
        Contains("two non-negative integers"));
  }
  SECTION("negative dimension") {
    REQUIRE_THROWS_WITH(open_with(with_entry(R"({"dtype":"F32","shape":[2,-2],"data_offsets":[0,16]})")),
                        Contains(path) && Contains("negative dimension -2"));
  }
  SECTION("shape too large") {
    REQUIRE_THROWS_WITH(
        open_with(with_entry(
            R"({"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,16]})")),
        Contains("too large"));
    REQUIRE_THROWS_WITH(
        open_with(with_entry(R"({"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,16]})")),
        Contains("too large"));
  }
  SECTION("offsets out of range") {
    REQUIRE_THROWS_WITH(open_with(with_entry(R"({"dtype":"F32","shape":[4],"data_offsets":[4,20]})")),
                        Contains(path) && Contains("data_offsets [4, 20] out of range") && Contains("16 bytes"));
    REQUIRE_THROWS_WITH(open_with(with_entry(R"({"dtype":"F32","shape":[0],"data_offsets":[17,17]})")),
                        Contains("out of range"));
  }
  SECTION("begin > end") {
    REQUIRE_THROWS_WITH(open_with(with_entry(R"({"dtype":"F32","shape":[1],"data_offsets":[8,4]})")),
                        Contains(path) && Contains("begin 8 > end 4"));
  }
  SECTION("size mismatch with shape") {
    REQUIRE_THROWS_WITH(open_with(with_entry(R"({"dtype":"F32","shape":[2,3],"data_offsets":[0,16]})")),
                        Contains(path) && Contains("byte size 16 does not match shape [2, 3] of F32 (24 bytes)"));
    REQUIRE_THROWS_WITH(open_with(with_entry(R"({"dtype":"F16","shape":[],"data_offsets":[0,4]})")),
                        Contains("does not match shape []"));
  }
  SECTION("overlapping tensors") {
    const std::string header =
        R"({"x":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},)"
        R"("y":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})";
    REQUIRE_THROWS_WITH(open_with(st_bytes(header, std::string(16, '\0'))),
                        Contains(path) && Contains("tensors 'x' and 'y' overlap"));
    const std::string nested =
        R"({"x":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)"
        R"("y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},)"
        R"("z":{"dtype":"U8","shape":[0],"data_offsets":[8,8]}})";
    REQUIRE_THROWS_WITH(open_with(st_bytes(nested, std::string(16, '\0'))), Contains("overlap"));
  }
  SECTION("duplicate names") {
    const std::string header =
        R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
        R"("x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})";
    REQUIRE_THROWS_WITH(open_with(st_bytes(header, std::string(8, '\0'))),
                        Contains(path) && Contains("duplicate tensor name 'x'"));
  }
  SECTION("malformed metadata") {
    REQUIRE_THROWS_WITH(open_with(st_bytes(R"({"__metadata__":[1]})", "")),
                        Contains("\"__metadata__\" is not a JSON object"));
    REQUIRE_THROWS_WITH(open_with(st_bytes(R"({"__metadata__":{"k":1}})", "")),
                        Contains("value for 'k' is not a string"));
  }
  SECTION("integer tensor read as float") {
    const std::string header = R"({"steps":{"dtype":"I64","shape":[],"data_offsets":[0,8]}})";
    const SafetensorsFile f = open_with(st_bytes(header, le64(7)));
    REQUIRE_THROWS_AS(f.read_f32("steps"), InputError);
    REQUIRE_THROWS_WITH(f.read_f32("steps"), Contains(path) && Contains("'steps' is I64, not a float tensor"));
    std::vector<float> out(1);
    REQUIRE_THROWS_WITH(f.read_f32(*f.find("steps"), out.data()), Contains("not a float tensor"));
  }
  SECTION("a TensorInfo that does not fit this file") {
    const SafetensorsFile f = open_with(good);
    TensorInfo foreign{"a", DType::F32, {100}, 0, 400};
    std::vector<float> out(100);
    REQUIRE_THROWS_WITH(f.read_f32(foreign, out.data()), Contains("outside the data section"));
    foreign = TensorInfo{"a", DType::F32, {3}, 0, 16};
    REQUIRE_THROWS_WITH(f.read_f32(foreign, out.data()), Contains("does not match shape"));
  }
}

TEST_CASE("safetensors: mutated files never crash, only throw InputError", "[safetensors]") {
  TempDir tmp;
  const std::string path = tmp.file("fuzz.safetensors");
  const std::vector<float> data = {1, 2, 3, 4, 5, 6, 7, 8};
  write_safetensors(path, {{"a", {2, 2}, data.data()}, {"b", {4}, data.data() + 4}}, {{"k", "v"}});
  const std::string good = read_bytes(path);
  std::mt19937 rng(1234);
  int opened = 0, rejected = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    std::string bytes = good;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const size_t pos = rng() % bytes.size();
      switch (rng() % 4) {
        case 0: bytes[pos] = static_cast<char>(rng()); break;
        case 1: bytes[pos] = "0123456789-[]{},:\" e."[rng() % 21]; break;
        case 2: bytes.resize(pos); break;
        default: bytes.insert(pos, 1, static_cast<char>(rng())); break;
      }
      if (bytes.empty()) break;
    }
    write_bytes(path, bytes);
    try {
      const SafetensorsFile f = SafetensorsFile::open(path);
      for (const TensorInfo& t : f.tensors()) {
        if (!f.is_float(t)) continue;
        std::vector<float> out(static_cast<size_t>(t.numel()));
        f.read_f32(t, out.data());
      }
      ++opened;
    } catch (const InputError&) {
      ++rejected;
    }
  }
  CHECK(opened + rejected == 3000);
  CHECK(rejected > 0);
}

// Expected values below were computed independently with a one-off python3 script (no torch):
//   b = open(f, 'rb').read(); n = struct.unpack('<Q', b[:8])[0]; h = json.loads(b[8:8+n])
//   s, e = h[name]['data_offsets']; raw = b[8+n+s : 8+n+e]
//   struct.unpack('<%de' % (len(raw)//2), raw) for F16, '<%df' for F32, '<q' for I64;
//   sums are Python's sequential float (double) sum() over the elements in file order.
TEST_CASE("safetensors: real F16 weights fixture", "[safetensors][large]") {
  const auto path = uibnas::testing::large_fixture("fixtures/mobilenetv4_hybrid_medium.weights.safetensors");
  if (!path) return;
  const SafetensorsFile f = SafetensorsFile::open(*path);
  CHECK(f.tensors().size() == 632);
  CHECK(f.tensors().front().name == "conv_stem.weight");
  CHECK(f.tensors().back().name == "classifier.bias");
  CHECK(f.metadata().at("model") == "mobilenetv4_hybrid_medium");
  CHECK(f.metadata().at("weights_dtype") == "f16");

  const TensorInfo* stem = f.find("conv_stem.weight");
  REQUIRE(stem != nullptr);
  CHECK(stem->dtype == DType::F16);
  CHECK(stem->shape == std::vector<int64_t>{32, 3, 3, 3});
  CHECK(stem->numel() == 864);
  const std::vector<float> w = f.read_f32("conv_stem.weight");
  REQUIRE(w.size() == 864);
  CHECK(w[0] == 0.059112548828125f);       // half 0x2b91
  CHECK(w[1] == 0.005977630615234375f);    // half 0x1e1f
  CHECK(w[2] == -0.01151275634765625f);    // half 0xa1e5
  CHECK(w[863] == -0.1884765625f);         // half 0xb208
  double sum = 0;
  for (float x : w) sum += x;
  CHECK(sum == 1.9744896292686462);  // every f16 is exact in double, same order -> bit-identical
  CHECK(f.read_f32("bn1.running_var")[1] == 1.1044921875f);

  const TensorInfo* nbt = f.find("bn1.num_batches_tracked");
  REQUIRE(nbt != nullptr);
  CHECK(nbt->dtype == DType::I64);
  CHECK(nbt->shape.empty());
  CHECK(nbt->numel() == 1);
  CHECK_FALSE(f.is_float(*nbt));
  REQUIRE(f.bytes(*nbt).size() == 8);
  int64_t steps = -1;
  std::memcpy(&steps, f.bytes(*nbt).data(), 8);
  CHECK(steps == 0);
  REQUIRE_THROWS_WITH(f.read_f32("bn1.num_batches_tracked"),
                      Contains("bn1.num_batches_tracked") && Contains("not a float tensor"));

  // Every float tensor converts.
  size_t floats = 0;
  for (const TensorInfo& t : f.tensors())
    if (f.is_float(t)) floats += f.read_f32(t.name).size();
  CHECK(floats > 1000000);
}

TEST_CASE("safetensors: real F32 reference fixture", "[safetensors][large]") {
  const auto path = uibnas::testing::large_fixture("fixtures/mobilenetv4_conv_small.reference.safetensors");
  if (!path) return;
  const SafetensorsFile f = SafetensorsFile::open(*path);
  CHECK(f.metadata().at("model") == "mobilenetv4_conv_small");
  CHECK(f.metadata().at("input_layout") == "NCHW");
  CHECK(f.metadata().at("input_size") == "224");

  const TensorInfo* input = f.find("input");
  REQUIRE(input != nullptr);
  CHECK(input->dtype == DType::F32);
  CHECK(input->shape == std::vector<int64_t>{1, 3, 224, 224});
  const std::vector<float> x = f.read_f32("input");
  REQUIRE(x.size() == 3 * 224 * 224);
  CHECK(x[0] == static_cast<float>(0.3969380855560303));
  CHECK(x[1] == static_cast<float>(0.9308645725250244));
  CHECK(x.back() == static_cast<float>(-0.41346275806427));

  const TensorInfo* logits = f.find("logits");
  REQUIRE(logits != nullptr);
  CHECK(logits->shape == std::vector<int64_t>{1, 1000});
  const std::vector<float> y = f.read_f32("logits");
  REQUIRE(y.size() == 1000);
  CHECK(y[0] == static_cast<float>(-133.627685546875));
  CHECK(y[999] == static_cast<float>(150.77207946777344));
  const auto argmax = std::max_element(y.begin(), y.end()) - y.begin();
  CHECK(argmax == 907);
  CHECK(y[907] == static_cast<float>(304.6064758300781));
  double sum = 0;
  for (float v : y) sum += v;
  CHECK(sum == -4304.614447325468);
}
