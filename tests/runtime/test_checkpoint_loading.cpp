// Checkpoint loading: a file either fits the model completely or fails with one message that names
// the file and the first few missing, unexpected and mis-shaped keys; nothing half-loaded runs.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "arch_defs/catalogue.hpp"
#include "common/error.hpp"
#include "runtime/parameters.hpp"
#include "runtime/weights/safetensors.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;
namespace fs = std::filesystem;

namespace {

arch_defs::OperatorList small_ops(const std::string& model = "conv_small") {
  return arch_defs::lower_network(arch_defs::build_network(arch_defs::resolve_architecture(model)), 64);
}

std::string temp_path(const std::string& name) { return testing::unique_temp_path("ckpt_" + name); }

void save(const std::string& path, const runtime::ParameterMap& params, const std::map<std::string, std::string>& meta = {}) {
  std::vector<runtime::weights::NamedTensor> tensors;
  for (const auto& [key, t] : params) tensors.push_back({key, t.shape, t.data.data()});
  runtime::weights::write_safetensors(path, tensors, meta);
}

}  // namespace

TEST_CASE("a saved checkpoint loads back exactly, with integer buffers ignored", "[checkpoint]") {
  const arch_defs::OperatorList ops = small_ops();
  const auto params = runtime::random_parameters(ops, 1);
  const std::string path = temp_path("ok.safetensors");
  save(path, params);
  const auto loaded = runtime::load_parameters(path, ops);
  CHECK(loaded.size() == params.size());
  for (const auto& [key, t] : params) CHECK(loaded.at(key).data == t.data);
  fs::remove(path);
}

// timm state_dicts carry I64 num_batches_tracked: the real checkpoints load without complaint.
TEST_CASE("a timm checkpoint with integer buffers loads completely", "[checkpoint]") {
  const std::string tiny = testing::test_data("tiny/tiny_mnv4_hybrid");
  const arch_defs::OperatorList tiny_ops = arch_defs::lower_network(arch_defs::build_network(arch_defs::load_architecture_file(tiny + ".arch.json")), 80);
  CHECK(runtime::load_parameters(tiny + ".weights.safetensors", tiny_ops).size() ==
        runtime::expected_parameters(tiny_ops).size());
}

TEST_CASE("the hybrid_medium fixture loads completely", "[checkpoint][large]") {
  const auto path = testing::large_fixture("fixtures/mobilenetv4_hybrid_medium.weights.safetensors");
  if (!path) return;
  const arch_defs::OperatorList hm = arch_defs::lower_network(arch_defs::build_network(arch_defs::resolve_architecture("hybrid_medium")), 256);
  CHECK(runtime::load_parameters(*path, hm).size() == runtime::expected_parameters(hm).size());
}

TEST_CASE("random parameters are deterministic by seed and cover every expected tensor", "[checkpoint]") {
  const arch_defs::OperatorList ops = small_ops();
  const auto a = runtime::random_parameters(ops, 5), b = runtime::random_parameters(ops, 5), c = runtime::random_parameters(ops, 6);
  CHECK(a.at("conv_stem.weight").data == b.at("conv_stem.weight").data);
  CHECK(a.at("conv_stem.weight").data != c.at("conv_stem.weight").data);
  CHECK(a.size() == runtime::expected_parameters(ops).size());
  // BN running stats are part of the state_dict: 4 tensors per BN, 46 BNs in conv_small (mnv4-spec §5.2).
  size_t bn = 0;
  for (const auto& [key, t] : a) bn += key.ends_with(".running_var");
  CHECK(bn == 46);
}

TEST_CASE("loader errors name the file and what does not fit", "[checkpoint][errors]") {
  const arch_defs::OperatorList ops = small_ops();
  auto params = runtime::random_parameters(ops, 2);
  const std::string good = temp_path("good.safetensors");
  save(good, params);

  SECTION("truncated file") {
    const std::string p = temp_path("truncated.safetensors");
    fs::copy_file(good, p, fs::copy_options::overwrite_existing);
    fs::resize_file(p, fs::file_size(p) - 100);
    CHECK_THROWS_WITH(runtime::load_parameters(p, ops), Catch::StartsWith(p + ": ") && Catch::Contains("data_offsets"));
    fs::resize_file(p, 20);
    CHECK_THROWS_WITH(runtime::load_parameters(p, ops), Catch::StartsWith(p + ": ") && Catch::Contains("exceeds the file size"));
    fs::remove(p);
  }
  SECTION("bad header JSON") {
    const std::string p = temp_path("badjson.safetensors");
    const std::string header = "{\"a\": [1, 2";
    std::ofstream out(p, std::ios::binary);
    const std::uint64_t n = header.size();
    out.write(reinterpret_cast<const char*>(&n), 8);
    out << header;
    out.close();
    CHECK_THROWS_WITH(runtime::load_parameters(p, ops), Catch::StartsWith(p + ": header is not valid JSON"));
    fs::remove(p);
  }
  SECTION("unknown dtype") {
    const std::string p = temp_path("dtype.safetensors");
    const std::string header = R"({"conv_stem.weight": {"dtype": "F8_E9", "shape": [1], "data_offsets": [0, 1]}})";
    std::ofstream out(p, std::ios::binary);
    const std::uint64_t n = header.size();
    out.write(reinterpret_cast<const char*>(&n), 8);
    out << header << 'x';
    out.close();
    CHECK_THROWS_WITH(runtime::load_parameters(p, ops), Catch::StartsWith(p + ": ") && Catch::Contains("unknown dtype \"F8_E9\""));
    fs::remove(p);
  }
  SECTION("missing key") {
    params.erase("blocks.2.0.dw_mid.bn.running_var");
    const std::string p = temp_path("missing.safetensors");
    save(p, params);
    CHECK_THROWS_WITH(runtime::load_parameters(p, ops),
                      Catch::StartsWith(p + ": checkpoint does not fit") &&
                          Catch::Contains("missing 1 (blocks.2.0.dw_mid.bn.running_var)"));
    fs::remove(p);
  }
  SECTION("wrong shape") {
    params["conv_head.weight"].shape = {1280, 960, 1, 1, 1};
    const std::string p = temp_path("shape.safetensors");
    save(p, params);
    CHECK_THROWS_WITH(runtime::load_parameters(p, ops),
                      Catch::Contains("wrong shape 1 (conv_head.weight [1280, 960, 1, 1, 1] vs expected [1280, 960, 1, 1])"));
    fs::remove(p);
  }
  SECTION("checkpoint of another model") {
    const std::string p = temp_path("other.safetensors");
    save(p, runtime::random_parameters(small_ops("hybrid_medium"), 3), {{"model", "mobilenetv4_hybrid_medium"}});
    CHECK_THROWS_WITH(runtime::load_parameters(p, ops),
                      Catch::Contains("missing") && Catch::Contains("unexpected") && Catch::Contains("wrong shape") &&
                          Catch::Contains("in all)") && Catch::EndsWith("[the file says it is mobilenetv4_hybrid_medium]"));
    fs::remove(p);
  }
  fs::remove(good);
}
