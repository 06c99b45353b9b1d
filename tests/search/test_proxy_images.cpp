// Image folders as proxy inputs: PPM/PGM pixels normalised with ImageNet's statistics, resizing, errors.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <sys/stat.h>

#include "common/error.hpp"
#include "search/proxy_images.hpp"
#include "tests/support/test_data.hpp"

using namespace uibnas;

namespace {

void write_file(const std::string& path, const std::string& header, const std::vector<unsigned char>& pixels) {
  std::ofstream out(path, std::ios::binary);
  out << header;
  out.write(reinterpret_cast<const char*>(pixels.data()), std::streamsize(pixels.size()));
}

float normalised(int value, int channel) {
  const float mean[3] = {0.485f, 0.456f, 0.406f}, std_dev[3] = {0.229f, 0.224f, 0.225f};
  return (value / 255.0f - mean[channel]) / std_dev[channel];
}

}  // namespace

TEST_CASE("proxy images: PPM and PGM pixels at their own size, normalised per channel", "[proxy]") {
  const std::string dir = testing::unique_temp_path("proxy_images");
  std::filesystem::create_directories(dir);
  // 2x2 RGB: pixel (x, y) has channels (10 + x, 20 + y, 30); a comment in the header.
  write_file(dir + "/a.ppm", "P6\n# made by a test\n2 2\n255\n", {10, 20, 30, 11, 20, 30, 10, 21, 30, 11, 21, 30});
  write_file(dir + "/b.pgm", "P5 2 2 255\n", {0, 255, 255, 0});
  write_file(dir + "/notes.txt", "", {});
  const std::vector<float> batch = search::load_image_batch(dir, 2, 2, 0);
  REQUIRE(batch.size() == 2 * 12);
  // The shuffle decides the order: find the grey image by its red plane.
  const bool grey_first = batch[0] == normalised(0, 0);
  const float* rgb = batch.data() + (grey_first ? 12 : 0);
  const float* grey = batch.data() + (grey_first ? 0 : 12);
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 2; ++x) {
      CHECK(rgb[0 * 4 + y * 2 + x] == Approx(normalised(10 + x, 0)));
      CHECK(rgb[1 * 4 + y * 2 + x] == Approx(normalised(20 + y, 1)));
      CHECK(rgb[2 * 4 + y * 2 + x] == Approx(normalised(30, 2)));
      const int v = x == y ? 0 : 255;
      for (int c = 0; c < 3; ++c) CHECK(grey[c * 4 + y * 2 + x] == Approx(normalised(v, c)));
    }
  // Upscaled 2x2 -> 4x4 bilinear at pixel centres: output x = 1 samples source x = 0.25.
  const std::vector<float> big = search::load_image_batch(dir, 2, 4, 0);
  const float* big_rgb = big.data() + (grey_first ? 48 : 0);
  CHECK(big_rgb[0] == Approx(normalised(10, 0)));  // clamped at the corner
  CHECK(big_rgb[1] == Approx((10.25f / 255.0f - 0.485f) / 0.229f));
  CHECK_THROWS_AS(search::load_image_batch(dir, 3, 2, 0), common::InputError);  // two images only
  write_file(dir + "/c.ppm", "P3\n2 2\n255\n", {});
  CHECK_THROWS_WITH(search::load_image_batch(dir, 3, 2, 0), Catch::Contains("c.ppm") && Catch::Contains("binary PPM"));
  std::filesystem::remove_all(dir);
  CHECK_THROWS_AS(search::load_image_batch(dir, 1, 2, 0), common::InputError);
}

TEST_CASE("proxy images: a header larger than the file is refused before allocating, a FIFO skipped", "[proxy]") {
  const std::string dir = testing::unique_temp_path("proxy_images_hostile");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  // 2e9 x 2e9 pixels would be a 12 EB allocation; the file has 3 pixel bytes.
  write_file(dir + "/huge.ppm", "P6\n2000000000 2000000000\n255\n", {1, 2, 3});
  CHECK_THROWS_WITH(search::load_image_batch(dir, 1, 2, 0),
                    Catch::Contains("huge.ppm") && Catch::Contains("file ends before its pixels do"));
  std::filesystem::remove(dir + "/huge.ppm");
  REQUIRE(::mkfifo((dir + "/pipe.ppm").c_str(), 0600) == 0);
  CHECK_THROWS_WITH(search::load_image_batch(dir, 1, 2, 0), Catch::Contains("holds 0 PPM/PGM images"));  // skipped, not read
  std::filesystem::remove_all(dir);
}
