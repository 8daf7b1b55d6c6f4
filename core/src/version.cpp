#include "alignscope/version.h"

#include <ATen/Parallel.h>
#include <atomic>
#include <thread>
#include <torch/version.h>

namespace alignscope {

std::string applicationVersion() { return ALIGNSCOPE_VERSION; }

std::string torchVersion() { return TORCH_VERSION; }

namespace {
std::atomic<int> g_threads{0};
}

void configureComputeThreads(int threads)
{
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    g_threads = threads;
    at::set_num_threads(threads);
}

int computeThreads()
{
    const int configured = g_threads;
    return configured > 0 ? configured : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

} // namespace alignscope
