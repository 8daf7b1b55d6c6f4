#include "alignscope/version.h"

#include "analysis/blas.h"
#include "models/model_module.h"

#include <algorithm>
#include <atomic>
#include <omp.h>
#include <thread>

namespace alignscope {

namespace {
std::atomic<int> g_threads{0};
}

std::string applicationVersion()
{
    return ALIGNSCOPE_VERSION;
}

std::string torchVersion()
{
    return ALIGNSCOPE_TORCH_VERSION;
}

void configureComputeThreads(int threads)
{
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    g_threads = threads;
    omp_set_num_threads(threads);
    blas::setThreads(threads);
    detail::applyThreadsToModule(threads);
}

int computeThreads()
{
    const int threads = g_threads;
    return threads > 0 ? threads : omp_get_max_threads();
}

} // namespace alignscope
