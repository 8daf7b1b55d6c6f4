#pragma once
// Features of a TorchScript model for a list of images: decoding and preprocessing on worker threads,
// overlapped with batched inference (bounded queue); rows in image-list order, row IDs = file stems.

#include "alignscope/image_preprocessing.h"
#include "alignscope/odd_one_out.h" // ComputeDevice
#include "alignscope/progress.h"
#include "alignscope/result.h"
#include "alignscope/torchscript_model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace alignscope {

enum class BrokenImagePolicy
{
    Fail,
    Skip
};

struct ExtractionRequest
{
    std::string modelPath;
    std::vector<std::string> imagePaths; // in stimulus order
    OutputSpec output;
    Preprocessing preprocessing;
    int batchSize = 32;
    ComputeDevice device = ComputeDevice::Auto;
    bool half = false; // float16 inference, CUDA only
    BrokenImagePolicy onBrokenImage = BrokenImagePolicy::Fail;
    int decodeThreads = 0; // 0: chosen from the hardware
};

// One extracted output: rows × cols float32, row-major, rows in the order of ExtractionResult::rowIds.
struct ExtractedFeatures
{
    std::string selector; // the OutputSpec::output it came from ("" for a plain tensor result)
    std::int64_t rows = 0;
    std::int64_t cols = 0;
    std::vector<float> values;
};

struct SkippedImage
{
    std::string path;
    std::string reason;
};

struct ExtractionResult
{
    std::vector<std::string> rowIds; // image file stems of the extracted rows
    std::vector<std::string> imagePaths;
    std::vector<ExtractedFeatures> outputs;
    std::vector<SkippedImage> skipped;
    std::string device; // "cpu", "cuda:0"
    bool fromCache = false;
    double seconds = 0.0;
    std::string modelSha256; // set by extractFeaturesCached
    std::string cacheKey; // featureCacheKey of the request at extraction time, set by extractFeaturesCached
};

// Images of a folder (recursively; jpg jpeg png bmp tif tiff webp, sorted by relative path) or of a list
// file (one path per line, relative paths resolved against the list's folder; blank lines and # skipped).
Result<std::vector<std::string>> listImages(const std::string& folderOrList);

// Image file stems; two images with the same stem are an error naming both.
Result<std::vector<std::string>> imageIds(const std::vector<std::string>& paths);

Result<ExtractionResult> extractFeatures(const ExtractionRequest& request, const TaskContext& context = {});

} // namespace alignscope
