#pragma once
// The LibTorch half of the core (TorchScript models, feature extraction, the probe's training, CUDA, .pt
// tensor files, image decoding and the demo's drawing through OpenCV) is a separate shared module,
// alignscope_models.so, loaded on first use. Commands and windows that touch no model never map LibTorch, nor
// the OpenCV and Qt 5 libraries Debian's LibTorch pulls in. The public functions keep their names; the core
// forwards them here.

#include "alignscope/feature_extraction.h"
#include "alignscope/image_preprocessing.h"
#include "alignscope/ndarray.h"
#include "alignscope/probe.h"
#include "alignscope/torchscript_model.h"
#include "demo_images.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace alignscope::detail {

// Bumped whenever this table or a type it passes changes: a module of another build is refused.
constexpr int kModelModuleAbi = 1;

struct ModelModuleApi
{
    int abi = kModelModuleAbi;
    const char* applicationVersion = nullptr;
    const char* torchVersion = nullptr;

    void (*setThreads)(int threads);
    bool (*cudaAvailable)();
    void (*setModelCallTimeout)(double seconds, std::function<void(const std::string&)> onExpiry);
    Result<ModelInfo> (*inspectModel)(const std::string& path, const std::string& probeMethod, int probeSize);
    Result<ExtractionResult> (*extractFeatures)(const ExtractionRequest& request, const TaskContext& context);
    Result<ProbeResult> (*runProbe)(const FeatureMatrix& features, const TripletSet& triplets,
                                    const ProbeOptions& options, const TaskContext& context);
    Result<NdArray> (*readTorchTensorFile)(const std::string& path);
    Result<NdArray> (*parseTorchTensor)(const std::vector<char>& bytes, const std::string& name);
    Status (*writeTorchTensorFile)(const std::string& path, const NdArray& array);
    Result<RgbImage> (*decodeImage)(const std::string& path);
    Result<RgbImage> (*decodeImageBytes)(const std::vector<char>& bytes, const std::string& nameForErrors);
    Status (*writeDemoCnn)(const std::string& path);
    Result<std::vector<char>> (*renderDemoObject)(const DemoObject& object);
    Result<std::vector<float>> (*colourHistogramFeatures)(const std::string& pngPath);
    Result<std::vector<float>> (*shapeMomentFeatures)(const std::string& pngPath);
    // x: n × p row-major float32; out: n × n Gram matrix x·xᵀ computed on the GPU.
    Status (*gramOnCuda)(const float* x, std::int64_t n, std::int64_t p, float* out,
                         const std::string& fileForErrors);
};

// The loaded module, loading it on the first call; an error naming `fileForErrors` says why it cannot be
// loaded (not built, not found, another version). Thread-safe.
Result<const ModelModuleApi*> modelModule(const std::string& fileForErrors);
// Whether the module is loaded already (never loads it).
bool modelModuleLoaded();
// Where the module was loaded from, or "" when it is not loaded.
std::string modelModulePath();
// Settings the core keeps and hands to the module when (and whenever) it is loaded.
void rememberModelCallTimeout(double seconds, std::function<void(const std::string&)> onExpiry);
void applyThreadsToModule(int threads);

} // namespace alignscope::detail

// The module's single exported symbol.
extern "C" const alignscope::detail::ModelModuleApi* alignscope_model_module();
