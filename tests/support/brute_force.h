#pragma once
// The reference's odd-one-out definitions in float64, one pair at a time: what the fast paths are checked
// against.

#include "alignscope/data_model.h"
#include "alignscope/odd_one_out.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace testsupport {

inline double bruteSimilarity(const alignscope::FeatureMatrix& f, alignscope::SimilarityKind kind, int a,
                              int b)
{
    using alignscope::SimilarityKind;
    std::vector<double> x(f.row(a), f.row(a) + f.cols), y(f.row(b), f.row(b) + f.cols);
    if (kind == SimilarityKind::Correlation) {
        double mx = 0, my = 0;
        for (size_t c = 0; c < x.size(); ++c)
            mx += x[c], my += y[c];
        for (size_t c = 0; c < x.size(); ++c)
            x[c] -= mx / double(x.size()), y[c] -= my / double(y.size());
    }
    double dot = 0, xx = 0, yy = 0;
    for (size_t c = 0; c < x.size(); ++c)
        dot += x[c] * y[c], xx += x[c] * x[c], yy += y[c] * y[c];
    if (kind == SimilarityKind::Dot) return dot;
    if (kind == SimilarityKind::Euclidean) return -std::sqrt(std::max(xx + yy - 2 * dot, 0.0));
    return dot / std::sqrt(xx) / std::sqrt(yy);
}

// Column of the model's odd one out for triplet t = (i, j, k): 0, 1 or 2, or −1 for an exact tie.
inline int bruteChoice(const alignscope::FeatureMatrix& f, alignscope::SimilarityKind kind,
                       const std::int32_t* t)
{
    const double s[3] = {bruteSimilarity(f, kind, t[1], t[2]), bruteSimilarity(f, kind, t[0], t[2]),
                         bruteSimilarity(f, kind, t[0], t[1])};
    const double best = std::max({s[0], s[1], s[2]});
    int count = 0, at = 0;
    for (int c = 0; c < 3; ++c)
        if (s[c] == best) ++count, at = c;
    return count > 1 ? -1 : at;
}

} // namespace testsupport
