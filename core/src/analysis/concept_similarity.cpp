#include "alignscope/human_similarity.h"

#include "parallel_for.h"

#include "blas.h"

#include <algorithm>
#include <atomic>
#include <cmath>

namespace alignscope {

Result<SimilarityMatrix> conceptSimilarity(const ConceptSpace& concepts,
                                           const std::vector<std::int64_t>& stimuli, bool thirdObjectsFromAll,
                                           const TaskContext& context)
{
    const std::int64_t m = std::int64_t(stimuli.size());
    if (m < 3) return makeError(concepts.origin, "", "concept similarity needs at least 3 stimuli");
    for (std::int64_t s : stimuli)
        if (s < 0 || s >= concepts.n)
            return makeError(concepts.origin, "", "stimulus index outside the concept space");
    for (size_t i = 0; i < concepts.values.size(); ++i)
        if (!(concepts.values[i] >= 0.0f) || !std::isfinite(concepts.values[i]))
            return makeError(concepts.origin, "row " + std::to_string(i / size_t(concepts.d) + 1),
                             "concept values must be finite and non-negative");
    // Third objects k: the stimuli themselves, or every object of the space.
    std::vector<std::int64_t> third = stimuli;
    if (thirdObjectsFromAll) {
        third.resize(size_t(concepts.n));
        for (std::int64_t k = 0; k < concepts.n; ++k)
            third[size_t(k)] = k;
    }
    const std::int64_t t = std::int64_t(third.size());
    // E = exp(dot − max): P(i,j kept | k) = E_ij / (E_ij + E_ik + E_jk) is unchanged by the common shift.
    auto rowsOf = [&](const std::vector<std::int64_t>& indices) {
        std::vector<double> rows(indices.size() * size_t(concepts.d));
        for (size_t r = 0; r < indices.size(); ++r)
            for (std::int64_t c = 0; c < concepts.d; ++c)
                rows[r * size_t(concepts.d) + size_t(c)] =
                    concepts.values[size_t(indices[r] * concepts.d + c)];
        return rows;
    };
    const std::vector<double> stimulusRows = rowsOf(stimuli), thirdRows = rowsOf(third);
    std::vector<double> pairs(size_t(m * m)), withThird(size_t(m * t));
    blas::productWithTranspose(m, m, concepts.d, stimulusRows.data(), concepts.d, stimulusRows.data(),
                               concepts.d, pairs.data(), m);
    blas::productWithTranspose(m, t, concepts.d, stimulusRows.data(), concepts.d, thirdRows.data(),
                               concepts.d, withThird.data(), t);
    const auto [pairsLow, pairsHigh] = std::minmax_element(pairs.begin(), pairs.end());
    const auto [thirdLow, thirdHigh] = std::minmax_element(withThird.begin(), withThird.end());
    const double shift = std::max(*pairsHigh, *thirdHigh);
    if (!std::isfinite(shift))
        return makeError(concepts.origin, "", "concept dot products overflow (values too large)");
    // exp(dot − max) of the smallest dot product must stay a normal float32, or a softmax term becomes 0/0.
    const double low = std::min(*pairsLow, *thirdLow);
    if (shift - low > 80)
        return makeError(
            concepts.origin, "",
            "concept dot products span " + std::to_string(shift - low) +
                " (more than 80): the triplet softmax underflows; are the values on the embedding's scale?");
    std::vector<float> ePairs(pairs.size()), eThird(withThird.size());
    for (size_t k = 0; k < pairs.size(); ++k)
        ePairs[k] = float(std::exp(pairs[k] - shift));
    for (size_t k = 0; k < withThird.size(); ++k)
        eThird[k] = float(std::exp(withThird[k] - shift));
    const float* ep = ePairs.data();
    const float* et = eThird.data();
    // Which third objects are the pair itself (excluded from the mean).
    std::vector<std::int64_t> positionInThird(size_t(m), -1);
    for (std::int64_t s = 0; s < m; ++s)
        for (std::int64_t k = 0; k < t; ++k)
            if (third[size_t(k)] == stimuli[size_t(s)]) positionInThird[size_t(s)] = k;

    SimilarityMatrix out;
    out.kind = SimilarityMatrix::Kind::Similarity;
    out.n = m;
    out.values.assign(size_t(m * m), 1.0f);
    out.origin = concepts.origin;
    std::atomic<std::int64_t> rowsDone{0};
    std::atomic<bool> stop{false};
    auto fillRow = [&](std::int64_t i) {
        const float* ti = et + i * t;
        for (std::int64_t j = i + 1; j < m; ++j) {
            const float* tj = et + j * t;
            const float eij = ep[i * m + j];
            float partial[8] = {0, 0, 0, 0, 0, 0, 0, 0}; // independent sums vectorise; terms lie in [0, 1]
            std::int64_t k = 0;
            for (; k + 8 <= t; k += 8)
                for (int lane = 0; lane < 8; ++lane)
                    partial[lane] += eij / (eij + ti[k + lane] + tj[k + lane]);
            double total = 0;
            for (float p : partial)
                total += p;
            for (; k < t; ++k)
                total += eij / (eij + ti[k] + tj[k]);
            std::int64_t count = t;
            for (std::int64_t self : {positionInThird[size_t(i)], positionInThird[size_t(j)]})
                if (self >= 0) {
                    total -= double(eij / (eij + ti[self] + tj[self]));
                    --count;
                }
            const float value = float(total / double(count));
            out.values[size_t(i * m + j)] = value;
            out.values[size_t(j * m + i)] = value;
        }
    };
    // Row i holds m − i − 1 pairs: pairing row u with row m − 1 − u gives every work unit the same load.
    parallelFor((m + 1) / 2, 1, [&](std::int64_t from, std::int64_t to) {
        for (std::int64_t u = from; u < to && !stop; ++u) {
            fillRow(u);
            if (m - 1 - u != u) fillRow(m - 1 - u);
            const std::int64_t done = ++rowsDone;
            if ((done & 7) == 0) {
                if (context.cancelled()) stop = true;
                context.report(2.0 * double(done) / double(m), "concept similarity");
            }
        }
    });
    if (stop) return makeError(concepts.origin, "", "cancelled");
    for (float v : out.values)
        if (!std::isfinite(v))
            return makeError(concepts.origin, "", "concept similarity has a non-finite entry");
    return out;
}

} // namespace alignscope
