// The only file of the core that uses OpenCV: decoding image files to 8-bit RGB.
#include "alignscope/image_preprocessing.h"
#include "torch_backend.h"

#include "alignscope/file_io.h"

#include <cstdlib>
#include <cstring>

#ifdef ALIGNSCOPE_HAVE_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

namespace alignscope::torch_backend {

namespace {
constexpr std::uint64_t kMaxImageFileBytes = std::uint64_t(512) << 20;
constexpr std::int64_t kMaxImagePixels = std::int64_t(1)
                                         << 28; // 268 M pixels: larger is surely not a stimulus

std::uint32_t bigEndian(const unsigned char* p, int bytes)
{
    std::uint32_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v = (v << 8) | p[i];
    return v;
}

std::uint32_t littleEndian(const unsigned char* p, int bytes)
{
    std::uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

// Width × height from the header of PNG, JPEG, BMP and WebP files (0 when unknown), so that an image too
// large to decode is refused before the decoder allocates it (a 3 MB PNG can declare 20000² 16-bit pixels).
std::int64_t declaredPixels(const std::vector<char>& bytes)
{
    const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
    const size_t n = bytes.size();
    if (n >= 24 && std::memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
        return std::int64_t(bigEndian(b + 16, 4)) * bigEndian(b + 20, 4);
    if (n >= 26 && b[0] == 'B' && b[1] == 'M') {
        const std::int64_t width = std::int32_t(littleEndian(b + 18, 4)),
                           height = std::int32_t(littleEndian(b + 22, 4));
        return std::abs(width) * std::abs(height);
    }
    if (n >= 30 && std::memcmp(b, "RIFF", 4) == 0 && std::memcmp(b + 8, "WEBP", 4) == 0) {
        if (std::memcmp(b + 12, "VP8X", 4) == 0)
            return std::int64_t(littleEndian(b + 24, 3) + 1) * (littleEndian(b + 27, 3) + 1);
        if (std::memcmp(b + 12, "VP8L", 4) == 0) {
            const std::uint32_t bits = littleEndian(b + 21, 4);
            return std::int64_t((bits & 0x3fff) + 1) * (((bits >> 14) & 0x3fff) + 1);
        }
        if (std::memcmp(b + 12, "VP8 ", 4) == 0)
            return std::int64_t(littleEndian(b + 26, 2) & 0x3fff) * (littleEndian(b + 28, 2) & 0x3fff);
        return 0;
    }
    if (n >= 4 && b[0] == 0xff && b[1] == 0xd8) { // JPEG: the first start-of-frame marker holds the size
        size_t at = 2;
        while (at + 9 < n) {
            if (b[at] != 0xff) return 0;
            const unsigned marker = b[at + 1];
            if (marker == 0xff) {
                ++at;
                continue;
            }
            const size_t length = bigEndian(b + at + 2, 2);
            if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
                return std::int64_t(bigEndian(b + at + 5, 2)) * bigEndian(b + at + 7, 2);
            if (length < 2) return 0;
            at += 2 + length;
        }
    }
    return 0;
}

} // namespace

Result<RgbImage> decodeImage(const std::string& path)
{
    auto bytes = readWholeFile(path, kMaxImageFileBytes);
    if (!bytes) return bytes.error();
    return decodeImageBytes(*bytes, path);
}

#ifdef ALIGNSCOPE_HAVE_OPENCV

Result<RgbImage> decodeImageBytes(const std::vector<char>& bytes, const std::string& name)
{
    if (bytes.empty()) return makeError(name, "", "empty file");
    if (const std::int64_t pixels = declaredPixels(bytes); pixels > kMaxImagePixels)
        return makeError(name, "",
                         "declares " + std::to_string(pixels) + " pixels; images over " +
                             std::to_string(kMaxImagePixels) + " pixels are refused before decoding");
    try {
        const cv::Mat raw(1, int(std::min<size_t>(bytes.size(), size_t(INT32_MAX))), CV_8UC1,
                          const_cast<char*>(bytes.data()));
        // IMREAD_UNCHANGED keeps alpha and bit depth, and (like PIL) ignores EXIF orientation.
        cv::Mat decoded = cv::imdecode(raw, cv::IMREAD_UNCHANGED);
        if (decoded.empty())
            return makeError(name, "", "not a readable image (unknown format or corrupt data)");
        if (std::int64_t(decoded.rows) * decoded.cols > kMaxImagePixels)
            return makeError(name, "",
                             "image of " + std::to_string(decoded.cols) + "×" + std::to_string(decoded.rows) +
                                 " pixels is too large");
        if (decoded.depth() == CV_16U)
            decoded.convertTo(decoded, CV_8U, 1.0 / 257.0);
        else if (decoded.depth() == CV_32F || decoded.depth() == CV_64F)
            decoded.convertTo(decoded, CV_8U, 255.0);
        else if (decoded.depth() != CV_8U)
            decoded.convertTo(decoded, CV_8U);
        // Colour images stay in the decoder's BGR order: preprocessing reads the channels swapped.
        cv::Mat rgb;
        switch (decoded.channels()) {
        case 1:
            cv::cvtColor(decoded, rgb, cv::COLOR_GRAY2RGB);
            break;
        case 3:
            rgb = decoded;
            break;
        case 4:
            cv::cvtColor(decoded, rgb, cv::COLOR_BGRA2BGR);
            break;
        default:
            return makeError(name, "",
                             "unsupported image with " + std::to_string(decoded.channels()) + " channels");
        }
        RgbImage image;
        image.bgr = decoded.channels() != 1;
        image.height = rgb.rows;
        image.width = rgb.cols;
        image.pixels.resize(size_t(rgb.rows) * rgb.cols * 3);
        for (int y = 0; y < rgb.rows; ++y)
            std::copy_n(rgb.ptr<std::uint8_t>(y), size_t(rgb.cols) * 3,
                        image.pixels.data() + size_t(y) * rgb.cols * 3);
        return image;
    } catch (const std::exception& error) {
        return makeError(name, "", std::string("cannot decode image: ") + error.what());
    }
}

#else

Result<RgbImage> decodeImageBytes(const std::vector<char>&, const std::string& name)
{
    return makeError(name, "", "this build has no image decoding (OpenCV was not found)");
}

#endif

} // namespace alignscope::torch_backend
