#include "search/proxy_images.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <random>

#include "common/error.hpp"
#include "common/input_file.hpp"

namespace uibnas::search {
namespace {

namespace fs = std::filesystem;

struct Image {
  int width = 0, height = 0, channels = 0;
  std::vector<unsigned char> pixels;  // [y][x][channel]
};

// Netpbm header tokens are separated by whitespace; '#' starts a comment up to the end of the line.
int header_number(std::istream& in, const std::string& path) {
  in >> std::ws;
  while (in.peek() == '#') {
    std::string comment;
    std::getline(in, comment);
    in >> std::ws;
  }
  int v = -1;
  if (!(in >> v) || v <= 0) throw common::InputError(common::with_context(path, "bad PPM/PGM header"));
  return v;
}

Image read_netpbm(const std::string& path) {
  const std::string bytes = common::read_input_file(path, "an image");
  std::istringstream in(bytes);
  std::string magic;
  if (!(in >> magic) || (magic != "P6" && magic != "P5"))
    throw common::InputError(common::with_context(path, "not a binary PPM (P6) or PGM (P5) file"));
  Image im;
  im.channels = magic == "P6" ? 3 : 1;
  im.width = header_number(in, path);
  im.height = header_number(in, path);
  if (header_number(in, path) > 255) throw common::InputError(common::with_context(path, "16-bit PPM/PGM is not supported"));
  in.get();  // the single whitespace byte before the pixels
  // The pixel count is checked against the bytes the file has before anything is allocated for it.
  const uint64_t start = in ? static_cast<uint64_t>(in.tellg()) : bytes.size();
  const uint64_t wanted = uint64_t(im.width) * uint64_t(im.height) * uint64_t(im.channels);
  if (wanted > bytes.size() - start)
    throw common::InputError(common::with_context(path, "file ends before its pixels do (" + std::to_string(im.width) +
                                                            " x " + std::to_string(im.height) + " in the header)"));
  im.pixels.assign(bytes.begin() + std::ptrdiff_t(start), bytes.begin() + std::ptrdiff_t(start + wanted));
  return im;
}

// Bilinear, sampling at pixel centres (align_corners = false), edges clamped.
void resize_normalised(const Image& im, int resolution, float* out) {
  static const float mean[3] = {0.485f, 0.456f, 0.406f}, std_dev[3] = {0.229f, 0.224f, 0.225f};
  const size_t plane = size_t(resolution) * resolution;
  auto at = [&](int x, int y, int c) {
    x = std::clamp(x, 0, im.width - 1);
    y = std::clamp(y, 0, im.height - 1);
    return float(im.pixels[(size_t(y) * im.width + x) * im.channels + (im.channels == 3 ? c : 0)]) / 255.0f;
  };
  for (int oy = 0; oy < resolution; ++oy)
    for (int ox = 0; ox < resolution; ++ox) {
      const float sy = (oy + 0.5f) * float(im.height) / float(resolution) - 0.5f;
      const float sx = (ox + 0.5f) * float(im.width) / float(resolution) - 0.5f;
      const int y0 = int(std::floor(sy)), x0 = int(std::floor(sx));
      const float fy = sy - float(y0), fx = sx - float(x0);
      for (int c = 0; c < 3; ++c) {
        const float top = at(x0, y0, c) * (1 - fx) + at(x0 + 1, y0, c) * fx;
        const float bottom = at(x0, y0 + 1, c) * (1 - fx) + at(x0 + 1, y0 + 1, c) * fx;
        out[c * plane + size_t(oy) * resolution + ox] = (top * (1 - fy) + bottom * fy - mean[c]) / std_dev[c];
      }
    }
}

}  // namespace

std::vector<float> load_image_batch(const std::string& folder, int batch, int resolution, std::uint64_t seed) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw common::InputError(common::with_context(folder, "not a folder of images (or 'gaussian')"));
  std::vector<std::string> files;
  for (const fs::directory_entry& e : fs::directory_iterator(folder)) {
    const std::string ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".ppm" || ext == ".pgm")) files.push_back(e.path().string());
  }
  if (files.size() < size_t(batch))
    throw common::InputError(common::with_context(folder, "holds " + std::to_string(files.size()) +
                                                              " PPM/PGM images, a batch needs " + std::to_string(batch)));
  std::sort(files.begin(), files.end());  // the directory's order is not the same everywhere
  std::mt19937_64 rng(seed);
  std::shuffle(files.begin(), files.end(), rng);
  const size_t image = 3 * size_t(resolution) * resolution;
  std::vector<float> out(size_t(batch) * image);
  for (int n = 0; n < batch; ++n) resize_normalised(read_netpbm(files[n]), resolution, out.data() + n * image);
  return out;
}

}  // namespace uibnas::search
