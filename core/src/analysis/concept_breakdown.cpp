#include "alignscope/concept_breakdown.h"

#include "parallel_for.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#ifdef __SSE2__
#include <immintrin.h>
#endif

namespace alignscope {

namespace {

// The dimensions with the largest and second-largest mean of two concept rows (the first of equal values
// wins).
struct TopTwo
{
    std::int32_t top = 0, second = 0;
};

TopTwo topTwoScalar(const float* a, const float* b, std::int64_t dimensions)
{
    float best = -std::numeric_limits<float>::infinity(), runner = best;
    TopTwo out{0, dimensions > 1 ? 1 : 0};
    for (std::int64_t d = 0; d < dimensions; ++d) {
        const float value = (a[d] + b[d]) * 0.5f;
        if (value > best) {
            runner = best, out.second = out.top;
            best = value, out.top = std::int32_t(d);
        } else if (value > runner) {
            runner = value, out.second = std::int32_t(d);
        }
    }
    return out;
}

#ifdef __SSE2__
// The same choice four lanes at a time (the table of every object pair is the concept breakdown's main cost):
// the top is the first dimension holding the largest mean; the second, the first other dimension holding the
// largest of the rest, which is what the scalar loop's strict comparisons pick. Concept values are finite
// (checked on load), so max and equality need no NaN care. `mean` has room for `dimensions` rounded up to 4.
class TopTwoSimd
{
public:
    explicit TopTwoSimd(std::int64_t dimensions)
        : m_dimensions(dimensions), m_vectors((dimensions + 3) / 4), m_mean(size_t(m_vectors * 4))
    {
    }

    TopTwo operator()(const float* a, const float* b)
    {
        if (m_dimensions < 2) return topTwoScalar(a, b, m_dimensions);
        float* mean = m_mean.data();
        const __m128 half = _mm_set1_ps(0.5f);
        std::int64_t d = 0;
        for (; d + 4 <= m_dimensions; d += 4)
            _mm_storeu_ps(mean + d, _mm_mul_ps(_mm_add_ps(_mm_loadu_ps(a + d), _mm_loadu_ps(b + d)), half));
        for (; d < m_vectors * 4; ++d)
            mean[d] = d < m_dimensions ? (a[d] + b[d]) * 0.5f : -std::numeric_limits<float>::infinity();
        TopTwo out;
        out.top = firstIndexOfMaximum();
        const float top = mean[out.top];
        mean[out.top] = -std::numeric_limits<float>::infinity();
        out.second = firstIndexOfMaximum();
        mean[out.top] = top;
        return out;
    }

private:
    std::int32_t firstIndexOfMaximum() const
    {
        const float* mean = m_mean.data();
        __m128 maximum = _mm_loadu_ps(mean);
        for (std::int64_t v = 1; v < m_vectors; ++v)
            maximum = _mm_max_ps(maximum, _mm_loadu_ps(mean + 4 * v));
        maximum = _mm_max_ps(maximum, _mm_shuffle_ps(maximum, maximum, _MM_SHUFFLE(2, 3, 0, 1)));
        maximum = _mm_max_ps(maximum, _mm_shuffle_ps(maximum, maximum, _MM_SHUFFLE(1, 0, 3, 2)));
        for (std::int64_t v = 0; v < m_vectors; ++v)
            if (const int mask = _mm_movemask_ps(_mm_cmpeq_ps(_mm_loadu_ps(mean + 4 * v), maximum)))
                return std::int32_t(4 * v + __builtin_ctz(unsigned(mask)));
        return 0; // unreachable: the maximum is one of the values
    }

    std::int64_t m_dimensions, m_vectors;
    std::vector<float> m_mean;
};
#else
class TopTwoSimd
{
public:
    explicit TopTwoSimd(std::int64_t dimensions) : m_dimensions(dimensions) {}
    TopTwo operator()(const float* a, const float* b) const { return topTwoScalar(a, b, m_dimensions); }

private:
    std::int64_t m_dimensions;
};
#endif

} // namespace

ConceptAssignment assignConceptDimensions(const ConceptSpace& concepts, const TripletSet& triplets)
{
    ConceptAssignment out;
    out.dimensions = concepts.d;
    reserveOnHugePages(out.top, triplets.size());
    reserveOnHugePages(out.second, triplets.size());
    out.top.resize(triplets.size());
    out.second.resize(triplets.size());
    const std::int64_t n = concepts.n, dims = concepts.d;
    auto row = [&](std::int64_t object) { return &concepts.values[size_t(object * dims)]; };
    // The assignment depends only on the unordered kept pair. With more triplets than pairs (THINGS: 4.7 M
    // triplets, 1.7 M pairs) every pair is evaluated once into a table, balanced over threads by pair count.
    const std::int64_t pairs = n * (n - 1) / 2;
    const bool tabulate = n >= 2 && dims <= 256 && pairs < std::int64_t(triplets.size());
    std::vector<std::uint8_t> table;
    auto pairIndex = [n](std::int64_t i, std::int64_t j) {
        return i * (2 * n - i - 1) / 2 + (j - i - 1);
    }; // i < j
    if (tabulate) {
        table.resize(size_t(2 * pairs));
        parallelFor(pairs, 4096, [&](std::int64_t begin, std::int64_t end) {
            TopTwoSimd topTwo(dims);
            std::int64_t i = 0;
            while (pairIndex(i + 1, i + 2) <= begin && i + 2 < n)
                ++i;
            std::int64_t j = i + 1 + (begin - pairIndex(i, i + 1));
            for (std::int64_t k = begin; k < end; ++k) {
                const TopTwo best = topTwo(row(i), row(j));
                table[size_t(2 * k)] = std::uint8_t(best.top);
                table[size_t(2 * k + 1)] = std::uint8_t(best.second);
                if (++j == n) ++i, j = i + 1;
            }
        });
    }
    parallelFor(std::int64_t(triplets.size()), 4096, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t t = begin; t < end; ++t) {
            const std::int64_t a = triplets.at(size_t(t), 0), b = triplets.at(size_t(t), 1);
            if (tabulate && a != b) {
                const size_t k = size_t(pairIndex(std::min(a, b), std::max(a, b)));
                out.top[size_t(t)] = table[2 * k];
                out.second[size_t(t)] = table[2 * k + 1];
            } else {
                const TopTwo best = topTwoScalar(row(a), row(b), dims);
                out.top[size_t(t)] = ConceptAssignment::Dimension(best.top);
                out.second[size_t(t)] = ConceptAssignment::Dimension(best.second);
            }
        }
    });
    return out;
}

std::vector<ConceptAccuracy> perConceptAccuracy(const ConceptAssignment& assignment,
                                                const ModelChoices& choices, int topK,
                                                const std::vector<std::string>& labels, int replicates,
                                                std::uint64_t seed)
{
    std::vector<ConceptAccuracy> out(size_t(assignment.dimensions));
    for (size_t d = 0; d < out.size(); ++d) {
        out[d].dimension = int(d);
        out[d].label = d < labels.size() ? labels[d] : std::to_string(d);
    }
    for (size_t t = 0; t < assignment.top.size(); ++t) {
        for (int k = 0; k < std::min(topK, 2); ++k) {
            auto& bucket = out[size_t(k == 0 ? assignment.top[t] : assignment.second[t])];
            ++bucket.triplets;
            bucket.correct += choices.isCorrect(t);
        }
    }
    for (auto& bucket : out) {
        bucket.accuracy = bucket.triplets ? double(bucket.correct) / double(bucket.triplets)
                                          : std::numeric_limits<double>::quiet_NaN();
        bucket.ci95 = bootstrapTripletInterval(bucket.correct, bucket.triplets, replicates,
                                               seed + std::uint64_t(bucket.dimension));
    }
    return out;
}

std::vector<std::string> autoConceptLabels(const ConceptSpace& concepts, const StimulusSet& stimuli,
                                           int topObjects)
{
    std::vector<std::string> labels;
    std::vector<std::int64_t> order(size_t(concepts.n));
    for (std::int64_t d = 0; d < concepts.d; ++d) {
        std::iota(order.begin(), order.end(), 0);
        const size_t shown = std::min<size_t>(size_t(topObjects), order.size());
        std::partial_sort(
            order.begin(), order.begin() + std::ptrdiff_t(shown), order.end(),
            [&](std::int64_t a, std::int64_t b) { return concepts.at(a, d) > concepts.at(b, d); });
        std::string label = std::to_string(d) + ":";
        for (size_t k = 0; k < shown; ++k)
            label += (k ? ", " : " ") + stimuli.displayName(size_t(order[k]));
        labels.push_back(label);
    }
    return labels;
}

} // namespace alignscope
