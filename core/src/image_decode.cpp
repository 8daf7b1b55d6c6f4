// The only file of the core that uses OpenCV: decoding image files to 8-bit RGB.
#include "alignscope/image_preprocessing.h"

#include "alignscope/file_io.h"

#ifdef ALIGNSCOPE_HAVE_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

namespace alignscope {

namespace {
constexpr std::uint64_t kMaxImageFileBytes = std::uint64_t(512) << 20;
constexpr std::int64_t kMaxImagePixels = std::int64_t(1) << 28; // 268 M pixels: larger is surely not a stimulus
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
    try {
        const cv::Mat raw(1, int(std::min<size_t>(bytes.size(), size_t(INT32_MAX))), CV_8UC1, const_cast<char*>(bytes.data()));
        // IMREAD_UNCHANGED keeps alpha and bit depth, and (like PIL) ignores EXIF orientation.
        cv::Mat decoded = cv::imdecode(raw, cv::IMREAD_UNCHANGED);
        if (decoded.empty()) return makeError(name, "", "not a readable image (unknown format or corrupt data)");
        if (std::int64_t(decoded.rows) * decoded.cols > kMaxImagePixels)
            return makeError(name, "", "image of " + std::to_string(decoded.cols) + "×" + std::to_string(decoded.rows) + " pixels is too large");
        if (decoded.depth() == CV_16U) decoded.convertTo(decoded, CV_8U, 1.0 / 257.0);
        else if (decoded.depth() == CV_32F || decoded.depth() == CV_64F) decoded.convertTo(decoded, CV_8U, 255.0);
        else if (decoded.depth() != CV_8U) decoded.convertTo(decoded, CV_8U);
        // Colour images stay in the decoder's BGR order: preprocessing reads the channels swapped.
        cv::Mat rgb;
        switch (decoded.channels()) {
        case 1: cv::cvtColor(decoded, rgb, cv::COLOR_GRAY2RGB); break;
        case 3: rgb = decoded; break;
        case 4: cv::cvtColor(decoded, rgb, cv::COLOR_BGRA2BGR); break;
        default: return makeError(name, "", "unsupported image with " + std::to_string(decoded.channels()) + " channels");
        }
        RgbImage image;
        image.bgr = decoded.channels() != 1;
        image.height = rgb.rows;
        image.width = rgb.cols;
        image.pixels.resize(size_t(rgb.rows) * rgb.cols * 3);
        for (int y = 0; y < rgb.rows; ++y)
            std::copy_n(rgb.ptr<std::uint8_t>(y), size_t(rgb.cols) * 3, image.pixels.data() + size_t(y) * rgb.cols * 3);
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

} // namespace alignscope
