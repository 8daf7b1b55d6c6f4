#include "alignscope/version.h"

#include <ATen/Parallel.h>
#include <thread>
#include <torch/version.h>

namespace alignscope {

std::string applicationVersion() { return ALIGNSCOPE_VERSION; }

std::string torchVersion() { return TORCH_VERSION; }

void configureComputeThreads(int threads)
{
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(threads);
}

int computeThreads() { return at::get_num_threads(); }

} // namespace alignscope
