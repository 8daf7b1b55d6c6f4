#pragma once
// Splits [0, count) into contiguous chunks run in parallel on the OpenMP pool. Every file that includes this
// one must be compiled with -fopenmp (core/CMakeLists.txt does so for the analysis sources).

#include <algorithm>
#include <cstdint>
#include <omp.h>

namespace alignscope {

template <class Body> void parallelFor(std::int64_t count, std::int64_t minimumChunk, const Body& body)
{
    if (count <= 0) return;
    const std::int64_t threads = omp_in_parallel() ? 1 : omp_get_max_threads();
    const std::int64_t chunks = std::min<std::int64_t>(
        threads, std::max<std::int64_t>(1, count / std::max<std::int64_t>(1, minimumChunk)));
    if (chunks <= 1) {
        body(std::int64_t(0), count);
        return;
    }
#pragma omp parallel for num_threads(int(chunks)) schedule(static, 1)
    for (std::int64_t chunk = 0; chunk < chunks; ++chunk)
        body(count * chunk / chunks, count * (chunk + 1) / chunks);
}

} // namespace alignscope
