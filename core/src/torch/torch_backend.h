#pragma once
// Private to the model module: its implementations of the public model functions. The core's functions of the
// same names (models/model_forwarding.cpp) load this module and call these through ModelModuleApi.

#include "model_module.h"

namespace alignscope::torch_backend {

bool cudaAvailable();
void setModelCallTimeout(double seconds, std::function<void(const std::string&)> onExpiry);
Result<ModelInfo> inspectModel(const std::string& path, const std::string& probeMethod, int probeSize);
Result<ExtractionResult> extractFeatures(const ExtractionRequest& request, const TaskContext& context);
Result<ProbeResult> runProbe(const FeatureMatrix& features, const TripletSet& triplets,
                             const ProbeOptions& options, const TaskContext& context);
Result<NdArray> readTorchTensorFile(const std::string& path);
Result<NdArray> parseTorchTensor(const std::vector<char>& bytes, const std::string& name);
Status writeTorchTensorFile(const std::string& path, const NdArray& array);
Result<RgbImage> decodeImage(const std::string& path);
Result<RgbImage> decodeImageBytes(const std::vector<char>& bytes, const std::string& nameForErrors);
Status writeDemoCnn(const std::string& path);
Result<std::vector<char>> renderDemoObject(const alignscope::detail::DemoObject& object);
Result<std::vector<float>> colourHistogramFeatures(const std::string& pngPath);
Result<std::vector<float>> shapeMomentFeatures(const std::string& pngPath);
Status gramOnCuda(const float* x, std::int64_t n, std::int64_t p, float* out,
                  const std::string& fileForErrors);

} // namespace alignscope::torch_backend
