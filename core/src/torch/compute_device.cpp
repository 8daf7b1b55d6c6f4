#include "compute_device.h"

#include "torch_backend.h"
#include <torch/cuda.h>

namespace alignscope::torch_backend {

bool cudaAvailable()
{
    try {
        return torch::cuda::is_available();
    } catch (...) {
        return false;
    }
}

namespace detail {

Result<bool> resolveUseCuda(ComputeDevice device, const std::string& file)
{
    const bool available = cudaAvailable();
    if (device == ComputeDevice::Cuda && !available)
        return makeError(file, "", "CUDA was requested but no CUDA device is available");
    return device == ComputeDevice::Cuda || (device == ComputeDevice::Auto && available);
}

} // namespace detail
} // namespace alignscope::torch_backend
