#include "demo_images.h"

#include "alignscope/image_preprocessing.h"
#include "torch_backend.h"

#ifdef ALIGNSCOPE_HAVE_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

#include <cmath>

namespace alignscope::torch_backend {

using namespace alignscope::detail;

#ifdef ALIGNSCOPE_HAVE_OPENCV

namespace {

cv::Scalar bgrFromHue(double hueDegrees, double value)
{
    cv::Mat hsv(1, 1, CV_8UC3, cv::Scalar(std::fmod(hueDegrees + 360.0, 360.0) / 2.0, 220, value * 255));
    cv::Mat bgr;
    cv::cvtColor(hsv, bgr, cv::COLOR_HSV2BGR);
    const cv::Vec3b c = bgr.at<cv::Vec3b>(0, 0);
    return cv::Scalar(c[0], c[1], c[2]);
}

void drawShape(cv::Mat& mask, DemoShape shape, cv::Point2d center, double radius)
{
    const auto p = [&](double dx, double dy) {
        return cv::Point(int(std::lround(center.x + dx)), int(std::lround(center.y + dy)));
    };
    switch (shape) {
    case DemoShape::Circle:
        cv::circle(mask, p(0, 0), int(radius), 255, cv::FILLED, cv::LINE_AA);
        break;
    case DemoShape::Square:
        cv::rectangle(mask, p(-radius * 0.85, -radius * 0.85), p(radius * 0.85, radius * 0.85), 255,
                      cv::FILLED, cv::LINE_AA);
        break;
    case DemoShape::Triangle: {
        std::vector<cv::Point> pts{p(0, -radius), p(radius * 0.95, radius * 0.75),
                                   p(-radius * 0.95, radius * 0.75)};
        cv::fillConvexPoly(mask, pts, 255, cv::LINE_AA);
        break;
    }
    case DemoShape::Bar:
        cv::rectangle(mask, p(-radius, -radius * 0.3), p(radius, radius * 0.3), 255, cv::FILLED, cv::LINE_AA);
        break;
    case DemoShape::Cross:
        cv::rectangle(mask, p(-radius, -radius * 0.28), p(radius, radius * 0.28), 255, cv::FILLED,
                      cv::LINE_AA);
        cv::rectangle(mask, p(-radius * 0.28, -radius), p(radius * 0.28, radius), 255, cv::FILLED,
                      cv::LINE_AA);
        break;
    }
}

Result<cv::Mat> readImage(const std::string& path)
{
    auto image = decodeImage(path);
    if (!image) return image.error();
    const cv::Mat pixels(image->height, image->width, CV_8UC3, image->pixels.data());
    cv::Mat bgr;
    if (image->bgr)
        bgr = pixels.clone();
    else
        cv::cvtColor(pixels, bgr, cv::COLOR_RGB2BGR);
    return bgr;
}

// Pixels that differ from the light-gray background.
cv::Mat objectMask(const cv::Mat& bgr)
{
    cv::Mat gray, mask;
    cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
    cv::absdiff(gray, cv::Scalar(236), mask);
    cv::Mat hsv;
    cv::cvtColor(bgr, hsv, cv::COLOR_BGR2HSV);
    std::vector<cv::Mat> channels;
    cv::split(hsv, channels);
    cv::Mat colourful = channels[1] > 40;
    return (mask > 25) | colourful;
}

} // namespace

Result<std::vector<char>> renderDemoObject(const DemoObject& object)
{
    try {
        const int side = kDemoImageSide;
        cv::Mat image(side, side, CV_8UC3, cv::Scalar(236, 236, 236));
        cv::Mat mask = cv::Mat::zeros(side, side, CV_8UC1);
        // Up to four copies on a 2×2 grid; one copy sits in the middle.
        const double cell = object.count == 1 ? side : side / 2.0;
        const double radius = 0.42 * cell * object.size;
        std::uint64_t state = object.seed;
        auto jitter = [&state](double range) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            return (double((state >> 11) & ((1ULL << 53) - 1)) / double(1ULL << 53) - 0.5) * range;
        };
        const cv::Point2d centers[4] = {{0.5, 0.5}, {1.5, 1.5}, {1.5, 0.5}, {0.5, 1.5}};
        for (int i = 0; i < object.count; ++i) {
            const cv::Point2d c = object.count == 1 ? cv::Point2d(side / 2.0, side / 2.0)
                                                    : cv::Point2d(centers[i].x * cell, centers[i].y * cell);
            const double slack = std::max(0.0, cell / 2 - radius - 2);
            drawShape(mask, object.shape, {c.x + jitter(slack), c.y + jitter(slack)}, radius);
        }
        if (object.greyscale) { // a black-and-white photograph of it: its shape in pale grey, its colour gone
            image.setTo(cv::Scalar(200, 200, 200), mask);
        } else {
            image.setTo(bgrFromHue(object.hueDegrees, 0.9), mask);
        }
        if (object.striped) {
            cv::Mat stripes = cv::Mat::zeros(side, side, CV_8UC1);
            for (int x = -side; x < 2 * side; x += 9)
                cv::line(stripes, {x, 0}, {x + side, side}, 255, 3, cv::LINE_AA);
            image.setTo(bgrFromHue(object.hueDegrees, 0.45), stripes & mask);
        }
        std::vector<uchar> png;
        if (!cv::imencode(".png", image, png)) return makeError(object.id, "", "PNG encoding failed");
        return std::vector<char>(png.begin(), png.end());
    } catch (const std::exception& error) {
        return makeError(object.id, "", std::string("rendering failed: ") + error.what());
    }
}

Result<std::vector<float>> colourHistogramFeatures(const std::string& pngPath)
{
    auto bgr = readImage(pngPath);
    if (!bgr) return bgr.error();
    cv::Mat hsv;
    cv::cvtColor(*bgr, hsv, cv::COLOR_BGR2HSV);
    // Hue distribution of the colourful pixels (soft-binned into 12 bins), plus their share of the image.
    std::vector<float> features(13, 0.f);
    double colourful = 0;
    for (int y = 0; y < hsv.rows; ++y)
        for (int x = 0; x < hsv.cols; ++x) {
            const cv::Vec3b v = hsv.at<cv::Vec3b>(y, x);
            if (v[1] < 60) continue;
            const double position = v[0] * 12.0 / 180.0 - 0.5;
            const int low = int(std::floor(position));
            const double upper = position - low;
            features[size_t((low + 12) % 12)] += float(1.0 - upper);
            features[size_t((low + 13) % 12)] += float(upper);
            colourful += 1;
        }
    for (int b = 0; b < 12; ++b)
        features[size_t(b)] = colourful > 0 ? float(features[size_t(b)] / colourful) : 0.f;
    features[12] = float(colourful / double(hsv.total()));
    return features;
}

Result<std::vector<float>> shapeMomentFeatures(const std::string& pngPath)
{
    auto bgr = readImage(pngPath);
    if (!bgr) return bgr.error();
    const cv::Mat mask = objectMask(*bgr);
    std::vector<float> features;
    const cv::Moments moments = cv::moments(mask, true);
    double hu[7];
    cv::HuMoments(moments, hu);
    for (double h : hu)
        features.push_back(float(-std::copysign(1.0, h) * std::log10(std::abs(h) + 1e-30) / 10.0));
    features.push_back(float(cv::countNonZero(mask) / double(mask.total())));
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(mask.clone(), contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    features.push_back(float(contours.size()) / 4.f);
    cv::Mat gray, edges;
    cv::cvtColor(*bgr, gray, cv::COLOR_BGR2GRAY);
    cv::Canny(gray, edges, 40, 120);
    features.push_back(float(cv::countNonZero(edges) / double(edges.total())) * 5.f);
    double solidity = 0, aspect = 0;
    if (!contours.empty()) {
        const auto& largest =
            *std::max_element(contours.begin(), contours.end(), [](const auto& a, const auto& b) {
                return cv::contourArea(a) < cv::contourArea(b);
            });
        std::vector<cv::Point> hull;
        cv::convexHull(largest, hull);
        const double hullArea = cv::contourArea(hull);
        solidity = hullArea > 0 ? cv::contourArea(largest) / hullArea : 0;
        const cv::RotatedRect box = cv::minAreaRect(largest);
        const double longSide = std::max(box.size.width, box.size.height),
                     shortSide = std::min(box.size.width, box.size.height);
        aspect = longSide > 0 ? shortSide / longSide : 0;
    }
    features.push_back(float(solidity));
    features.push_back(float(aspect));
    return features;
}

#else

Result<std::vector<char>> renderDemoObject(const DemoObject& object)
{
    return makeError(object.id, "", "the demo needs OpenCV, which this build lacks");
}
Result<std::vector<float>> colourHistogramFeatures(const std::string& path)
{
    return makeError(path, "", "this build has no OpenCV");
}
Result<std::vector<float>> shapeMomentFeatures(const std::string& path)
{
    return makeError(path, "", "this build has no OpenCV");
}

#endif

} // namespace alignscope::torch_backend
