#pragma once
// Splits [0, count) into contiguous chunks run in parallel on LibTorch's intra-op thread pool.
// ATen's parallel_for is an OpenMP pragma in a header, so every file that includes this one must be
// compiled with -fopenmp (see core/CMakeLists.txt); then the pool threads that LibTorch keeps spinning
// after its own kernels pick up this work instead of competing with extra threads for the cores.

#include <ATen/Parallel.h>
#include <cstdint>

namespace alignscope {

template <class Body>
void parallelFor(std::int64_t count, std::int64_t minimumChunk, const Body& body)
{
    at::parallel_for(0, count, minimumChunk, [&](std::int64_t begin, std::int64_t end) { body(begin, end); });
}

} // namespace alignscope
