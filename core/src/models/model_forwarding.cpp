// The public model functions: each loads the model module on first use and calls it (see model_module.h).
#include "model_module.h"

#include "alignscope/demo_data.h"
#include "alignscope/torch_file.h"

namespace alignscope {

using detail::modelModule;

bool cudaAvailable()
{
    auto module = modelModule("");
    return module && (*module)->cudaAvailable();
}

void setModelCallTimeout(double seconds, std::function<void(const std::string&)> onExpiry)
{
    detail::rememberModelCallTimeout(seconds, std::move(onExpiry));
}

Result<ModelInfo> inspectModel(const std::string& path, const std::string& probeMethod, int probeSize)
{
    auto module = modelModule(path);
    if (!module) return module.error();
    return (*module)->inspectModel(path, probeMethod, probeSize);
}

Result<ExtractionResult> extractFeatures(const ExtractionRequest& request, const TaskContext& context)
{
    auto module = modelModule(request.modelPath);
    if (!module) return module.error();
    return (*module)->extractFeatures(request, context);
}

Result<ProbeResult> runProbe(const FeatureMatrix& features, const TripletSet& triplets,
                             const ProbeOptions& options, const TaskContext& context)
{
    auto module = modelModule(features.origin);
    if (!module) return module.error();
    return (*module)->runProbe(features, triplets, options, context);
}

Result<NdArray> readTorchTensorFile(const std::string& path)
{
    auto module = modelModule(path);
    if (!module) return module.error();
    return (*module)->readTorchTensorFile(path);
}

Result<NdArray> parseTorchTensor(const std::vector<char>& bytes, const std::string& name)
{
    auto module = modelModule(name);
    if (!module) return module.error();
    return (*module)->parseTorchTensor(bytes, name);
}

Status writeTorchTensorFile(const std::string& path, const NdArray& array)
{
    auto module = modelModule(path);
    if (!module) return module.error();
    return (*module)->writeTorchTensorFile(path, array);
}

Result<RgbImage> decodeImage(const std::string& path)
{
    auto module = modelModule(path);
    if (!module) return module.error();
    return (*module)->decodeImage(path);
}

Result<RgbImage> decodeImageBytes(const std::vector<char>& bytes, const std::string& nameForErrors)
{
    auto module = modelModule(nameForErrors);
    if (!module) return module.error();
    return (*module)->decodeImageBytes(bytes, nameForErrors);
}

Status writeDemoCnn(const std::string& path)
{
    auto module = modelModule(path);
    if (!module) return module.error();
    return (*module)->writeDemoCnn(path);
}

namespace detail {

Result<std::vector<char>> renderDemoObject(const DemoObject& object)
{
    auto module = modelModule(object.id);
    if (!module) return module.error();
    return (*module)->renderDemoObject(object);
}

Result<std::vector<float>> colourHistogramFeatures(const std::string& pngPath)
{
    auto module = modelModule(pngPath);
    if (!module) return module.error();
    return (*module)->colourHistogramFeatures(pngPath);
}

Result<std::vector<float>> shapeMomentFeatures(const std::string& pngPath)
{
    auto module = modelModule(pngPath);
    if (!module) return module.error();
    return (*module)->shapeMomentFeatures(pngPath);
}

} // namespace detail
} // namespace alignscope
