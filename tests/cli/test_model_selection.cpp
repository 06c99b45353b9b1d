// --models lists: 'all' may stand beside names and files; every network is taken once.
#include <catch2/catch.hpp>

#include <fstream>

#include "arch_defs/catalogue.hpp"
#include "cli/model_selection.hpp"
#include "common/error.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;

TEST_CASE("a --models list: 'all' beside names and architecture files, each network once", "[cli][models]") {
  const size_t builtin = arch_defs::published_architectures().size();
  REQUIRE(builtin == 17);  // 12 MNv4 variants, MobileNet-V1/V2/V3-S/V3-L, EfficientNet-B0
  CHECK(cli::listed_models("all").size() == builtin);

  // An architecture file outside the catalogue: conv_small under another name.
  arch_defs::Architecture renamed = arch_defs::resolve_architecture("conv_small");
  renamed.name = "conv_small_renamed";
  const std::string file = testing::unique_temp_path("renamed.json");
  std::ofstream(file) << arch_defs::architecture_to_json(renamed).dump();

  const auto models = cli::listed_models("mobilenetv4_conv_small,all," + file + ",conv_small");
  REQUIRE(models.size() == builtin + 1);
  CHECK(models.front().name == "mobilenetv4_conv_small");  // in the order first named
  CHECK(models.back().name == "conv_small_renamed");
  CHECK(cli::listed_models("conv_medium,mobilenetv4_conv_medium").size() == 1);  // an alias is the same network
  CHECK_THROWS_AS(cli::listed_models("all,no_such_model"), common::InputError);
}
