// The model module's one exported symbol: the table of its functions (see models/model_module.h).
#include "torch_backend.h"
#include "torch_error.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/version.h>

namespace alignscope::torch_backend {

namespace {

void setThreads(int threads)
{
    if (threads > 0) at::set_num_threads(threads);
}

} // namespace

Status gramOnCuda(const float* x, std::int64_t n, std::int64_t p, float* out,
                  const std::string& fileForErrors)
{
    try {
        at::Tensor rows = at::from_blob(const_cast<float*>(x), {n, p}, at::kFloat).to(at::kCUDA);
        at::Tensor host = at::from_blob(out, {n, n}, at::kFloat);
        host.copy_(at::mm(rows, rows.t()));
        return okStatus();
    } catch (const std::exception& error) {
        return makeError(fileForErrors, "", "similarity on CUDA failed: " + detail::torchErrorText(error));
    }
}

} // namespace alignscope::torch_backend

extern "C" __attribute__((visibility("default"))) const alignscope::detail::ModelModuleApi*
alignscope_model_module()
{
    using namespace alignscope::torch_backend;
    static const alignscope::detail::ModelModuleApi api = [] {
        alignscope::detail::ModelModuleApi table;
        table.applicationVersion = ALIGNSCOPE_VERSION;
        table.torchVersion = TORCH_VERSION;
        table.setThreads = setThreads;
        table.cudaAvailable = cudaAvailable;
        table.setModelCallTimeout = setModelCallTimeout;
        table.inspectModel = inspectModel;
        table.extractFeatures = extractFeatures;
        table.runProbe = runProbe;
        table.readTorchTensorFile = readTorchTensorFile;
        table.parseTorchTensor = parseTorchTensor;
        table.writeTorchTensorFile = writeTorchTensorFile;
        table.decodeImage = decodeImage;
        table.decodeImageBytes = decodeImageBytes;
        table.writeDemoCnn = writeDemoCnn;
        table.renderDemoObject = renderDemoObject;
        table.colourHistogramFeatures = colourHistogramFeatures;
        table.shapeMomentFeatures = shapeMomentFeatures;
        table.gramOnCuda = gramOnCuda;
        return table;
    }();
    return &api;
}
