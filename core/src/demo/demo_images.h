#pragma once
// Private to the core: rendering the demo's objects and the two hand-crafted feature models (OpenCV).

#include "alignscope/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace alignscope::detail {

enum class DemoShape
{
    Circle,
    Square,
    Triangle,
    Bar,
    Cross
};

struct DemoObject
{
    std::string id;
    std::string name;
    std::string hueName;
    double hueDegrees = 0;
    DemoShape shape = DemoShape::Circle;
    double size = 0.5; // fraction of the cell
    bool striped = false;
    int count = 1;
    // Drawn as a black-and-white photograph: people still know it as the red circle it is (its concept row
    // is a red circle's), models of pixels see a pale grey disc. The demo's one object that the CNN gets
    // systematically wrong (below chance).
    bool greyscale = false;
    std::uint64_t seed = 0; // placement jitter
};

constexpr int kDemoImageSide = 128;

// Encoded PNG of the object.
Result<std::vector<char>> renderDemoObject(const DemoObject& object);
// Per image: hue distribution of the colourful pixels (12 soft bins) and their share of the image (13
// values).
Result<std::vector<float>> colourHistogramFeatures(const std::string& pngPath);
// Per image: Hu moments of the silhouette (log-scaled), area fraction, component count, edge density,
// contour solidity and aspect ratio (12 values).
Result<std::vector<float>> shapeMomentFeatures(const std::string& pngPath);

} // namespace alignscope::detail
