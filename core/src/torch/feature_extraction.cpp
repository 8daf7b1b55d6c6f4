// Extraction pipeline: worker threads decode and preprocess images into a ring of batch buffers while the
// calling thread runs the model on completed batches; rows come out in image-list order.
#include "alignscope/feature_extraction.h"
#include "torch_backend.h"

#include "compute_device.h"
#include "model_outputs.h"
#include "torch_error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace alignscope::torch_backend {

namespace {

constexpr int kQueuedBatches = 3;

// Shared by the decoder threads and the inference loop; every field is guarded by `mutex`.
struct BatchRing
{
    std::mutex mutex;
    std::condition_variable changed;
    int nextImage = 0;
    int consumedBatches = 0;
    std::vector<int> finishedInSlot;
    std::vector<std::string> errors; // per image; empty = decoded
    int firstFailure = -1;
    bool stop = false;
};

class DecoderPool
{
public:
    DecoderPool(const ExtractionRequest& request, int height, int width)
        : m_request(request), m_height(height), m_width(width), m_imageFloats(size_t(3) * height * width),
          m_pixels(size_t(kQueuedBatches) * request.batchSize * m_imageFloats)
    {
        m_ring.finishedInSlot.assign(kQueuedBatches, 0);
        m_ring.errors.assign(request.imagePaths.size(), {});
    }
    ~DecoderPool() { stopAndJoin(); }

    void start(int threads)
    {
        for (int i = 0; i < threads; ++i)
            m_threads.emplace_back([this] { decodeLoop(); });
    }
    void stopAndJoin()
    {
        {
            std::lock_guard<std::mutex> lock(m_ring.mutex);
            m_ring.stop = true;
        }
        m_ring.changed.notify_all();
        for (std::thread& thread : m_threads)
            thread.join();
        m_threads.clear();
    }

    // Waits until batch `batch` is decoded (or an image failed under the Fail policy, or cancel); false then.
    bool waitForBatch(int batch, int imagesInBatch, const TaskContext& context)
    {
        std::unique_lock<std::mutex> lock(m_ring.mutex);
        const int slot = batch % kQueuedBatches;
        while (m_ring.finishedInSlot[size_t(slot)] < imagesInBatch) {
            if (m_ring.firstFailure >= 0 || context.cancelled()) return false;
            m_ring.changed.wait_for(lock, std::chrono::milliseconds(50));
        }
        return m_ring.firstFailure < 0;
    }
    void releaseBatch(int batch)
    {
        {
            std::lock_guard<std::mutex> lock(m_ring.mutex);
            m_ring.finishedInSlot[size_t(batch % kQueuedBatches)] = 0;
            ++m_ring.consumedBatches;
        }
        m_ring.changed.notify_all();
    }
    float* imageBuffer(int image)
    {
        const int batch = image / m_request.batchSize;
        return m_pixels.data() +
               (size_t(batch % kQueuedBatches) * m_request.batchSize + size_t(image % m_request.batchSize)) *
                   m_imageFloats;
    }
    size_t imageFloats() const { return m_imageFloats; }
    std::string errorOf(int image)
    {
        std::lock_guard<std::mutex> lock(m_ring.mutex);
        return m_ring.errors[size_t(image)];
    }
    int firstFailure()
    {
        std::lock_guard<std::mutex> lock(m_ring.mutex);
        return m_ring.firstFailure;
    }

private:
    void decodeLoop()
    {
        // Decoding is a small share of the work: at a lower priority it fills the cores the forward pass
        // leaves idle instead of preempting LibTorch's compute threads (and it still runs when inference
        // waits for it).
        ::setpriority(PRIO_PROCESS, pid_t(::syscall(SYS_gettid)), 10);
        const int imageCount = int(m_request.imagePaths.size());
        for (;;) {
            int image = 0;
            {
                std::unique_lock<std::mutex> lock(m_ring.mutex);
                m_ring.changed.wait(lock, [&] {
                    return m_ring.stop || m_ring.nextImage >= imageCount ||
                           m_ring.nextImage / m_request.batchSize < m_ring.consumedBatches + kQueuedBatches;
                });
                if (m_ring.stop || m_ring.nextImage >= imageCount) return;
                image = m_ring.nextImage++;
            }
            std::string error = decodeInto(image);
            {
                std::lock_guard<std::mutex> lock(m_ring.mutex);
                if (!error.empty()) {
                    m_ring.errors[size_t(image)] = std::move(error);
                    if (m_request.onBrokenImage == BrokenImagePolicy::Fail &&
                        (m_ring.firstFailure < 0 || image < m_ring.firstFailure))
                        m_ring.firstFailure = image;
                }
                ++m_ring.finishedInSlot[size_t((image / m_request.batchSize) % kQueuedBatches)];
            }
            m_ring.changed.notify_all();
        }
    }

    std::string decodeInto(int image)
    {
        const std::string& path = m_request.imagePaths[size_t(image)];
        auto decoded = decodeImage(path);
        if (!decoded) return decoded.error().reason;
        const auto size = preprocessedSize(m_request.preprocessing, decoded->height, decoded->width);
        if (size[0] != m_height || size[1] != m_width)
            return "preprocessed size " + std::to_string(size[1]) + "×" + std::to_string(size[0]) +
                   " differs from the batch's " + std::to_string(m_width) + "×" + std::to_string(m_height) +
                   " (set --resize/--crop)";
        preprocessImage(*decoded, m_request.preprocessing, imageBuffer(image));
        return {};
    }

    const ExtractionRequest& m_request;
    const int m_height, m_width;
    const size_t m_imageFloats;
    std::vector<float> m_pixels;
    BatchRing m_ring;
    std::vector<std::thread> m_threads;
};

// The input size every image must reach: the crop, or else the preprocessed size of the first readable image.
Result<std::array<int, 2>> batchImageSize(const ExtractionRequest& request)
{
    if (request.preprocessing.crop > 0)
        return std::array<int, 2>{request.preprocessing.crop, request.preprocessing.crop};
    Error firstError;
    for (const std::string& path : request.imagePaths) {
        auto decoded = decodeImage(path);
        if (decoded) return preprocessedSize(request.preprocessing, decoded->height, decoded->width);
        if (request.onBrokenImage == BrokenImagePolicy::Fail) return decoded.error();
        if (firstError.reason.empty()) firstError = decoded.error();
    }
    return makeError(firstError.file, "", "no image could be read: " + firstError.reason);
}

Result<torch::Device> chooseDevice(const ExtractionRequest& request)
{
    auto useCuda = detail::resolveUseCuda(request.device, request.modelPath);
    if (!useCuda) return useCuda.error();
    if (request.half && !*useCuda)
        return makeError(request.modelPath, "", "half precision needs a CUDA device");
    return *useCuda ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
}

// Appends a batch's selected outputs to `outputs`; the first batch fixes their number and widths.
Status appendBatchOutputs(const std::vector<std::pair<std::string, at::Tensor>>& selected,
                          const ExtractionRequest& request, std::int64_t batchRows,
                          std::vector<ExtractedFeatures>& outputs)
{
    if (outputs.empty())
        for (const auto& entry : selected)
            outputs.push_back({entry.first, 0, 0, {}});
    if (outputs.size() != selected.size())
        return makeError(request.modelPath, "",
                         "the model returned a different number of outputs for a later batch");
    for (size_t i = 0; i < selected.size(); ++i) {
        const at::Tensor rows = detail::toFeatureRows(selected[i].second, request.output.pooling);
        if (rows.size(0) != batchRows)
            return makeError(request.modelPath, "output '" + selected[i].first + "'",
                             "has " + std::to_string(rows.size(0)) + " rows for a batch of " +
                                 std::to_string(batchRows) + " images");
        ExtractedFeatures& out = outputs[i];
        if (out.rows == 0) {
            out.cols = rows.size(1);
            out.values.reserve(size_t(out.cols) * request.imagePaths.size());
        } else if (rows.size(1) != out.cols) {
            return makeError(request.modelPath, "output '" + selected[i].first + "'",
                             "changed width between batches");
        }
        out.values.insert(out.values.end(), rows.data_ptr<float>(), rows.data_ptr<float>() + rows.numel());
        out.rows += batchRows;
    }
    return okStatus();
}

} // namespace

Result<ExtractionResult> extractFeatures(const ExtractionRequest& request, const TaskContext& context)
{
    const auto started = std::chrono::steady_clock::now();
    if (request.imagePaths.empty()) return makeError("", "", "no images to extract features from");
    if (request.batchSize < 1 || request.batchSize > 4096)
        return makeError("", "", "batch size must be 1..4096");
    for (float value : request.preprocessing.mean)
        if (!std::isfinite(value)) return makeError("", "", "the normalisation mean must be finite");
    for (float value : request.preprocessing.std)
        if (!std::isfinite(value) || !(value > 0))
            return makeError("", "", "the normalisation standard deviations must be finite and positive");
    auto ids = imageIds(request.imagePaths);
    if (!ids) return ids.error();
    auto device = chooseDevice(request);
    if (!device) return device.error();
    auto module = detail::loadModule(request.modelPath, *device);
    if (!module) return module.error();
    auto method = module->find_method(request.output.method);
    if (!method) return makeError(request.modelPath, "", "has no method '" + request.output.method + "'");
    auto size = batchImageSize(request);
    if (!size) return size.error();

    ExtractionResult result;
    result.device = device->str();
    const int imageCount = int(request.imagePaths.size());
    const int batches = (imageCount + request.batchSize - 1) / request.batchSize;
    const int hardware = int(std::max(1u, std::thread::hardware_concurrency()));
    // As many decoders as cores: they run at a lower priority, so while the model runs they only take idle
    // cycles, and before the first batch (nothing to overlap with yet) they use every core.
    const int decoders = request.decodeThreads > 0 ? request.decodeThreads : std::clamp(hardware, 1, 16);
    DecoderPool pool(request, (*size)[0], (*size)[1]);
    std::string inputShape; // of the batch being run, for error messages
    try {
        c10::InferenceMode inference;
        if (request.half) module->to(torch::kHalf);
        pool.start(decoders);
        for (int batch = 0; batch < batches; ++batch) {
            const int first = batch * request.batchSize;
            const int count = std::min(request.batchSize, imageCount - first);
            if (context.cancelled()) return makeError("", "", "cancelled");
            if (!pool.waitForBatch(batch, count, context)) {
                if (context.cancelled()) return makeError("", "", "cancelled");
                const int failed = pool.firstFailure();
                return makeError(request.imagePaths[size_t(failed)], "", pool.errorOf(failed));
            }
            // Broken images (skip policy) are left out by moving the readable ones together.
            int kept = 0;
            for (int i = 0; i < count; ++i) {
                const int image = first + i;
                std::string error = pool.errorOf(image);
                if (!error.empty()) {
                    result.skipped.push_back({request.imagePaths[size_t(image)], std::move(error)});
                    continue;
                }
                if (kept != i)
                    std::memmove(pool.imageBuffer(first + kept), pool.imageBuffer(image),
                                 pool.imageFloats() * sizeof(float));
                result.rowIds.push_back((*ids)[size_t(image)]);
                result.imagePaths.push_back(request.imagePaths[size_t(image)]);
                ++kept;
            }
            if (kept > 0) {
                at::Tensor input = torch::from_blob(pool.imageBuffer(first),
                                                    {kept, 3, (*size)[0], (*size)[1]}, torch::kFloat);
                if (device->is_cuda()) input = input.to(*device, request.half ? torch::kHalf : torch::kFloat);
                c10::IValue output;
                inputShape = std::to_string(kept) + "×3×" + std::to_string((*size)[0]) + "×" +
                             std::to_string((*size)[1]);
                {
                    detail::ModelCallTimer timer(request.modelPath + ": method '" + request.output.method +
                                                 "' on images " + std::to_string(first + 1) + "-" +
                                                 std::to_string(first + count));
                    output = (*method)({input});
                }
                auto selected = detail::selectOutputs(output, request.output, request.modelPath);
                if (!selected) return selected.error();
                const size_t batchStart = result.imagePaths.size() - size_t(kept);
                for (const auto& [selector, tensor] : *selected)
                    if (auto finite = detail::checkFiniteOutput(
                            tensor, request.modelPath, selector,
                            [&](std::int64_t row) { return result.imagePaths[batchStart + size_t(row)]; });
                        !finite)
                        return finite.error();
                auto appended = appendBatchOutputs(*selected, request, kept, result.outputs);
                if (!appended) return appended.error();
            }
            pool.releaseBatch(batch);
            context.report(double(batch + 1) / batches, "extracting features");
        }
    } catch (const std::exception& error) {
        return makeError(request.modelPath, "method '" + request.output.method + "'",
                         "failed" + (inputShape.empty() ? std::string() : " on a " + inputShape + " input") +
                             ": " + detail::torchErrorText(error));
    }
    pool.stopAndJoin();
    if (result.rowIds.empty())
        return makeError("", "",
                         "no image could be read (" + std::to_string(result.skipped.size()) + " skipped)");
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

} // namespace alignscope::torch_backend
