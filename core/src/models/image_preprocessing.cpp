// torchvision's Resize (antialiased, as PIL and torchvision's tensor path with antialias=True), CenterCrop,
// ToTensor and Normalize, in float. Plain C++ so that decoder threads never enter LibTorch's thread pool.
#include "alignscope/image_preprocessing.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace alignscope {

namespace {

// PIL's filters (bicubic with a = -0.5, as PIL and ATen's antialiased kernels).
double filterValue(ResizeFilter filter, double x)
{
    x = std::abs(x);
    if (filter == ResizeFilter::Bilinear) return x < 1.0 ? 1.0 - x : 0.0;
    constexpr double a = -0.5;
    if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
    if (x < 2.0) return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
    return 0.0;
}

// Weights of input samples [first, first + weights.size()) for one output coordinate.
struct Taps
{
    int first = 0;
    std::vector<float> weights;
};

// Output coordinates [begin, end) of resizing an axis from inSize to outSize; coordinates outside
// [0, outSize) (padding of a crop larger than the image) get no taps.
std::vector<Taps> resizeTaps(ResizeFilter filter, int inSize, int outSize, int begin, int end)
{
    const double scale = double(inSize) / outSize;
    const double halfWidth = filter == ResizeFilter::Bilinear ? 1.0 : 2.0;
    const double support = scale >= 1.0 ? halfWidth * scale : halfWidth;
    const double invScale = scale >= 1.0 ? 1.0 / scale : 1.0;
    std::vector<Taps> taps(size_t(end - begin));
    for (int out = std::max(begin, 0); out < std::min(end, outSize); ++out) {
        const double center = scale * (out + 0.5);
        const int first = std::max(int(center - support + 0.5), 0);
        const int last = std::min(int(center + support + 0.5), inSize);
        Taps& t = taps[size_t(out - begin)];
        t.first = first;
        double total = 0.0;
        std::vector<double> weights;
        for (int i = first; i < last; ++i) {
            weights.push_back(filterValue(filter, (i - center + 0.5) * invScale));
            total += weights.back();
        }
        for (double w : weights)
            t.weights.push_back(float(total != 0.0 ? w / total : 0.0));
    }
    return taps;
}

std::string formatFloats(const std::array<float, 3>& values)
{
    // Part of the feature cache's key: to_chars, not printf ("0,485" under de_DE.UTF-8), in %.9g's format so
    // that caches written before stay valid.
    std::string text;
    char buffer[32];
    for (float v : values) {
        const auto end =
            std::to_chars(buffer, buffer + sizeof buffer, double(v), std::chars_format::general, 9).ptr;
        text += (text.empty() ? "" : ",") + std::string(buffer, end);
    }
    return text;
}

} // namespace

const char* resizeFilterName(ResizeFilter filter)
{
    return filter == ResizeFilter::Bilinear ? "bilinear" : "bicubic";
}

Result<ResizeFilter> parseResizeFilter(const std::string& name)
{
    if (name == "bilinear") return ResizeFilter::Bilinear;
    if (name == "bicubic") return ResizeFilter::Bicubic;
    return makeError("", "", "unknown interpolation '" + name + "' (bilinear, bicubic)");
}

std::string Preprocessing::describe() const
{
    return "resize=" + std::to_string(resize) + " crop=" + std::to_string(crop) +
           " filter=" + resizeFilterName(filter) + " mean=" + formatFloats(mean) +
           " std=" + formatFloats(std);
}

Result<Preprocessing> preprocessingPreset(const std::string& name)
{
    Preprocessing p;
    if (name == "imagenet") return p;
    if (name == "clip") {
        p.resize = 224;
        p.crop = 224;
        p.filter = ResizeFilter::Bicubic;
        p.mean = {0.48145466f, 0.4578275f, 0.40821073f};
        p.std = {0.26862954f, 0.26130258f, 0.27577711f};
        return p;
    }
    if (name == "none") {
        p.resize = 0;
        p.crop = 0;
        p.mean = {0.f, 0.f, 0.f};
        p.std = {1.f, 1.f, 1.f};
        return p;
    }
    return makeError("", "", "unknown preset '" + name + "' (imagenet, clip, none)");
}

namespace {

std::array<int, 2> resizedSize(const Preprocessing& p, int height, int width)
{
    if (p.resize <= 0 || height <= 0 || width <= 0) return {height, width};
    const int shortSide = std::min(height, width);
    const int longSide = std::max(height, width);
    // As torchvision: int(size * long / short), a float division truncated.
    const int newLong = int(double(std::int64_t(p.resize) * longSide) / shortSide);
    return height <= width ? std::array<int, 2>{p.resize, newLong} : std::array<int, 2>{newLong, p.resize};
}

} // namespace

std::array<int, 2> preprocessedSize(const Preprocessing& p, int height, int width)
{
    if (p.crop > 0) return {p.crop, p.crop};
    return resizedSize(p, height, width);
}

void preprocessImage(const RgbImage& image, const Preprocessing& p, float* out)
{
    const auto [resizedH, resizedW] = resizedSize(p, image.height, image.width);
    const auto [outH, outW] = preprocessedSize(p, image.height, image.width);
    // torchvision's CenterCrop: pad symmetrically when the crop is larger, offsets round half to even.
    const int top = outH == resizedH ? 0 : int(std::nearbyint((resizedH - outH) / 2.0));
    const int left = outW == resizedW ? 0 : int(std::nearbyint((resizedW - outW) / 2.0));
    const int padTop = resizedH < outH ? (outH - resizedH) / 2 : 0;
    const int padLeft = resizedW < outW ? (outW - resizedW) / 2 : 0;
    const int rowBegin = top - padTop, colBegin = left - padLeft;
    const bool resizing = resizedH != image.height || resizedW != image.width;
    const std::vector<Taps> colTaps = resizeTaps(p.filter, image.width, resizedW, colBegin, colBegin + outW);
    const std::vector<Taps> rowTaps = resizeTaps(p.filter, image.height, resizedH, rowBegin, rowBegin + outH);
    const bool clampOvershoot = p.filter == ResizeFilter::Bicubic;
    auto clamp01 = [&](float v) { return clampOvershoot ? std::min(std::max(v, 0.f), 1.f) : v; };

    // Horizontal pass over every input row, producing only the output columns inside the crop.
    // Reused per thread: a fresh megabyte per image would cost more in page faults than the filtering.
    thread_local std::vector<float> horizontal;
    horizontal.assign(size_t(image.height) * outW * 3, 0.f);
    constexpr float kToUnit = 1.f / 255.f;
    for (int y = 0; y < image.height; ++y) {
        const std::uint8_t* src = image.pixels.data() + size_t(y) * image.width * 3;
        float* dst = horizontal.data() + size_t(y) * outW * 3;
        for (int x = 0; x < outW; ++x) {
            const int sourceX = colBegin + x;
            if (sourceX < 0 || sourceX >= resizedW) continue;
            if (!resizing) {
                for (int c = 0; c < 3; ++c)
                    dst[3 * x + c] = src[3 * sourceX + c] * kToUnit;
                continue;
            }
            const Taps& t = colTaps[size_t(x)];
            float acc[3] = {0.f, 0.f, 0.f};
            for (size_t k = 0; k < t.weights.size(); ++k) {
                const std::uint8_t* px = src + 3 * (t.first + int(k));
                for (int c = 0; c < 3; ++c)
                    acc[c] += t.weights[k] * px[c];
            }
            for (int c = 0; c < 3; ++c)
                dst[3 * x + c] = clamp01(acc[c] * kToUnit);
        }
    }
    // Vertical pass, then normalization into channel-major output (planes in RGB order whatever the input
    // order); padding is black (0) before normalizing.
    const size_t plane = size_t(outH) * outW;
    for (int y = 0; y < outH; ++y) {
        const int sourceY = rowBegin + y;
        const bool inside = sourceY >= 0 && sourceY < resizedH;
        for (int x = 0; x < outW; ++x) {
            float value[3] = {0.f, 0.f, 0.f};
            if (inside) {
                if (!resizing) {
                    for (int c = 0; c < 3; ++c)
                        value[c] = horizontal[(size_t(sourceY) * outW + x) * 3 + c];
                } else {
                    const Taps& t = rowTaps[size_t(y)];
                    for (size_t k = 0; k < t.weights.size(); ++k) {
                        const float* px = horizontal.data() + (size_t(t.first + int(k)) * outW + x) * 3;
                        for (int c = 0; c < 3; ++c)
                            value[c] += t.weights[k] * px[c];
                    }
                    for (float& v : value)
                        v = clamp01(v);
                }
            }
            for (int c = 0; c < 3; ++c) {
                const int source = image.bgr ? 2 - c : c;
                out[c * plane + size_t(y) * outW + x] = (value[source] - p.mean[c]) / p.std[c];
            }
        }
    }
}

} // namespace alignscope
