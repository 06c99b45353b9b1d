// Real images for the proxies (ProxySettings::data = a folder): binary PPM (P6, RGB) and PGM (P5, grey,
// copied to the three channels) files with maxval <= 255, resized bilinearly to the proxy resolution
// (aspect ratio not kept) and normalised with ImageNet's mean and standard deviation, as timm's models
// expect their inputs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace uibnas::search {

// `batch` images of `folder` (files *.ppm, *.pgm), chosen without replacement by a shuffle seeded with
// `seed`, as [batch][3][resolution][resolution]. Throws InputError naming the folder or file when the
// folder is missing, holds fewer than `batch` images, or a file is not a readable binary PPM/PGM.
std::vector<float> load_image_batch(const std::string& folder, int batch, int resolution, std::uint64_t seed);

}  // namespace uibnas::search
