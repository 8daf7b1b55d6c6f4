#pragma once
// Private to the core: loading TorchScript modules and turning a method's result into feature matrices.

#include "alignscope/result.h"
#include "alignscope/torchscript_model.h"

#include <torch/script.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace alignscope::torch_backend::detail {

Result<torch::jit::Module> loadModule(const std::string& path, const torch::Device& device);

// Guards one call into a model with the limit of setModelCallTimeout (a watchdog thread; nothing when no
// limit).
class ModelCallTimer
{
public:
    explicit ModelCallTimer(std::string what);
    ~ModelCallTimer();
    ModelCallTimer(const ModelCallTimer&) = delete;
    ModelCallTimer& operator=(const ModelCallTimer&) = delete;

private:
    struct State;
    std::shared_ptr<State> m_state;
    std::thread m_watchdog;
};

// Error naming the first row and column of `tensor` that is NaN or infinite (rows named by `rowNames`), or
// ok.
Status checkFiniteOutput(const at::Tensor& tensor, const std::string& file, const std::string& selector,
                         const std::function<std::string(std::int64_t)>& rowNames);

// The tensors `spec` selects from `result`, named by their selectors; errors say what the result holds.
Result<std::vector<std::pair<std::string, at::Tensor>>>
selectOutputs(const c10::IValue& result, const OutputSpec& spec, const std::string& file);

// N×... → N×D float32 on the CPU: 4-D (N×C×H×W) and 3-D (N×T×D) are averaged over space/tokens or flattened.
at::Tensor toFeatureRows(const at::Tensor& output, SpatialPooling pooling);

} // namespace alignscope::torch_backend::detail
