// The public model functions: each loads the model module on first use and calls it (see model_module.h).
#include "model_module.h"

#include "alignscope/demo_data.h"
#include "alignscope/torch_file.h"

namespace alignscope {

using detail::modelModule;

namespace {

// Loads the module (an error naming `file` when it cannot be) and calls one of its functions.
template <class Result, class... Parameters, class... Arguments>
Result callModule(const std::string& file, Result (*const detail::ModelModuleApi::*function)(Parameters...),
                  Arguments&&... arguments)
{
    auto module = modelModule(file);
    if (!module) return module.error();
    return ((*module)->*function)(std::forward<Arguments>(arguments)...);
}

} // namespace

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
    return callModule(path, &detail::ModelModuleApi::inspectModel, path, probeMethod, probeSize);
}

Result<ExtractionResult> extractFeatures(const ExtractionRequest& request, const TaskContext& context)
{
    return callModule(request.modelPath, &detail::ModelModuleApi::extractFeatures, request, context);
}

Result<ProbeResult> runProbe(const FeatureMatrix& features, const TripletSet& triplets,
                             const ProbeOptions& options, const TaskContext& context)
{
    return callModule(features.origin, &detail::ModelModuleApi::runProbe, features, triplets, options,
                      context);
}

Result<NdArray> readTorchTensorFile(const std::string& path)
{
    return callModule(path, &detail::ModelModuleApi::readTorchTensorFile, path);
}

Result<NdArray> parseTorchTensor(const std::vector<char>& bytes, const std::string& name)
{
    return callModule(name, &detail::ModelModuleApi::parseTorchTensor, bytes, name);
}

Status writeTorchTensorFile(const std::string& path, const NdArray& array)
{
    return callModule(path, &detail::ModelModuleApi::writeTorchTensorFile, path, array);
}

Result<RgbImage> decodeImage(const std::string& path)
{
    return callModule(path, &detail::ModelModuleApi::decodeImage, path);
}

Result<RgbImage> decodeImageBytes(const std::vector<char>& bytes, const std::string& nameForErrors)
{
    return callModule(nameForErrors, &detail::ModelModuleApi::decodeImageBytes, bytes, nameForErrors);
}

Status writeDemoCnn(const std::string& path)
{
    return callModule(path, &detail::ModelModuleApi::writeDemoCnn, path);
}

namespace detail {

Result<std::vector<char>> renderDemoObject(const DemoObject& object)
{
    return callModule(object.id, &detail::ModelModuleApi::renderDemoObject, object);
}

Result<std::vector<float>> colourHistogramFeatures(const std::string& pngPath)
{
    return callModule(pngPath, &detail::ModelModuleApi::colourHistogramFeatures, pngPath);
}

Result<std::vector<float>> shapeMomentFeatures(const std::string& pngPath)
{
    return callModule(pngPath, &detail::ModelModuleApi::shapeMomentFeatures, pngPath);
}

} // namespace detail
} // namespace alignscope
