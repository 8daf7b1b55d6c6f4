#pragma once
// A 2-D map of the objects from their pairwise similarities: classical (Torgerson) multidimensional scaling,
// so that the model's and the people's maps can be laid side by side.

#include "alignscope/progress.h"
#include "alignscope/result.h"

#include <cstdint>
#include <vector>

namespace alignscope {

struct ObjectMap
{
    std::int64_t n = 0;
    std::vector<double> xy;         // n×2 row-major: each object's coordinates
    double eigenvalues[2] = {0, 0}; // of the double-centred matrix, largest first
    // The two dimensions' eigenvalues over the trace (the sum of all): how much of the spread the map shows;
    // NaN when the trace is not positive.
    double explained = 0;
};

// `values`: n×n row-major, a similarity (larger = more alike) or a dissimilarity. Classical MDS: the
// double-centred matrix B = J·S·J (similarity) or −½·J·(D∘D)·J (dissimilarity), its two largest eigenvalues
// and eigenvectors by subspace iteration (a block of 8, from a fixed start: deterministic), each axis scaled
// by the square root of its eigenvalue and signed so that its largest-magnitude coordinate is positive. Fails
// when n < 3, a value is not finite (naming the pair), or the matrix is not symmetric within 1e-4 relative.
Result<ObjectMap> classicalMds(std::int64_t n, const std::vector<float>& values, bool similarity,
                               const TaskContext& context = {});

} // namespace alignscope
