#pragma once
// Feature rows centred (when asked) and scaled to unit length for cosine and correlation, computed in float64
// so that features of any float32 magnitude neither under- nor overflow, then rounded once to float32. Shared
// by the similarity matrix and the RDMs (so both normalise alike). Files that include it are compiled with
// -fopenmp.

#include "parallel_for.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace alignscope::detail {

// n × p unit rows of `x` into `out`; false when a row has zero norm (that output row is all zeros).
inline bool unitRows(const float* x, std::int64_t n, std::int64_t p, bool centre, std::vector<float>& out)
{
    out.resize(size_t(n * p));
    std::vector<char> zeroNorm(size_t(n), 0);
    parallelFor(n, 16, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t r = begin; r < end; ++r) {
            const float* row = x + r * p;
            double mean = 0, squares = 0;
            if (centre) {
                for (std::int64_t c = 0; c < p; ++c)
                    mean += row[c];
                mean /= double(p);
            }
            for (std::int64_t c = 0; c < p; ++c)
                squares += (row[c] - mean) * (row[c] - mean);
            zeroNorm[size_t(r)] = squares == 0;
            const double inverseNorm = squares > 0 ? 1.0 / std::sqrt(squares) : 0.0;
            float* y = out.data() + r * p;
            for (std::int64_t c = 0; c < p; ++c)
                y[c] = float((row[c] - mean) * inverseNorm);
        }
    });
    return std::find(zeroNorm.begin(), zeroNorm.end(), 1) == zeroNorm.end();
}

} // namespace alignscope::detail
