#include "alignscope/torchscript_model.h"

#include "alignscope/sha256.h"
#include "model_outputs.h"
#include "torch_backend.h"
#include "torch_error.h"

#include <sstream>
#include <sys/stat.h>

namespace alignscope::torch_backend {

Result<ModelInfo> inspectModel(const std::string& path, const std::string& probeMethod, int probeSize)
{
    ModelInfo info;
    info.path = path;
    struct stat status
    {
    };
    if (::stat(path.c_str(), &status) == 0) info.fileBytes = std::int64_t(status.st_size);
    auto hash = sha256OfFile(path);
    if (!hash) return hash.error();
    info.sha256 = *hash;
    auto module = detail::loadModule(path, torch::kCPU);
    if (!module) return module.error();
    try {
        torch::NoGradGuard noGrad;
        for (const at::Tensor& parameter : module->parameters())
            info.parameterCount += parameter.numel();
        for (const at::Tensor& buffer : module->buffers())
            info.bufferCount += buffer.numel();
        for (const torch::jit::Method& method : module->get_methods()) {
            std::ostringstream schema;
            schema << method.function().getSchema();
            info.methods.push_back({method.name(), schema.str()});
        }
        for (const auto& child : module->named_children()) {
            const auto type = child.value.type()->name();
            info.submodules.push_back(child.name + ": " + (type ? type->name() : std::string("?")));
        }
        if (probeSize > 0) {
            info.probeSize = probeSize;
            auto method = module->find_method(probeMethod);
            if (!method) {
                info.probeError = "no method '" + probeMethod + "'";
            } else {
                try {
                    c10::IValue result;
                    {
                        detail::ModelCallTimer timer(path + ": probe forward of method '" + probeMethod +
                                                     "'");
                        result = (*method)({torch::zeros({1, 3, probeSize, probeSize})});
                    }
                    OutputSpec all;
                    all.method = probeMethod;
                    all.output = "all";
                    auto outputs = detail::selectOutputs(result, all, path);
                    if (!outputs)
                        info.probeError = outputs.error().reason;
                    else
                        for (const auto& [selector, tensor] : *outputs)
                            info.probeOutputs.push_back({selector, tensor.sizes().vec()});
                } catch (const std::exception& error) {
                    info.probeError = detail::torchErrorText(error);
                }
            }
        }
    } catch (const std::exception& error) {
        return makeError(path, "", "cannot inspect the model: " + detail::torchErrorText(error));
    }
    return info;
}

} // namespace alignscope::torch_backend
