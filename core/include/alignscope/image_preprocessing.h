#pragma once
// Image decoding (OpenCV) and torchvision-style preprocessing: resize the shorter side (antialiased, as
// torchvision's Resize), center crop, scale to [0, 1], normalize with mean/std.

#include "alignscope/result.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace alignscope {

enum class ResizeFilter
{
    Bilinear,
    Bicubic
};

struct Preprocessing
{
    int resize = 256; // shorter side after resizing; 0 keeps the decoded size
    int crop = 224;   // side of the square center crop; 0 keeps the resized image
    ResizeFilter filter = ResizeFilter::Bilinear;
    std::array<float, 3> mean{0.485f, 0.456f, 0.406f};
    std::array<float, 3> std{0.229f, 0.224f, 0.225f};

    // Canonical text of every value ("resize=256 crop=224 filter=bilinear mean=... std=..."): cache keys
    // and provenance use it, so two settings that differ in any value never share a cache entry.
    std::string describe() const;
};

// "imagenet" (256 -> 224 bilinear, ImageNet mean/std), "clip" (224 bicubic, CLIP mean/std),
// "none" (decoded size, [0, 1] values: mean 0, std 1).
Result<Preprocessing> preprocessingPreset(const std::string& name);
Result<ResizeFilter> parseResizeFilter(const std::string& name);
const char* resizeFilterName(ResizeFilter filter);

// Decoded pixels, 8-bit interleaved, H×W×3 row-major, in RGB order or (straight from the decoder) BGR order;
// preprocessImage swaps BGR to RGB while resampling, at no extra pass. Grayscale is replicated, alpha dropped
// (as PIL's convert("RGB"), which torchvision's default loader uses), 16-bit and float images scaled to 8
// bits.
struct RgbImage
{
    int height = 0;
    int width = 0;
    std::vector<std::uint8_t> pixels;
    bool bgr = false;
};

// Decodes jpg, png, bmp, tiff, webp (whatever the OpenCV build supports); errors name the file.
Result<RgbImage> decodeImage(const std::string& path);
Result<RgbImage> decodeImageBytes(const std::vector<char>& bytes, const std::string& nameForErrors);

// Output size of preprocessing an image of `height`×`width` (the crop, or the resized/decoded size).
std::array<int, 2> preprocessedSize(const Preprocessing& preprocessing, int height, int width);

// Writes the preprocessed image as 3×H×W float32 (channel-major, RGB) to `out`, which must hold
// 3 × preprocessedSize() values. Resizing uses PIL's/torchvision's antialiased separable filters in float.
void preprocessImage(const RgbImage& image, const Preprocessing& preprocessing, float* out);

} // namespace alignscope
