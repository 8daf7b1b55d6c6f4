#include "alignscope/concept_breakdown.h"

#include "parallel_for.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace alignscope {

namespace {

// The dimensions with the largest and second-largest mean of two concept rows (the first of equal values
// wins).
struct TopTwo
{
    std::int32_t top = 0, second = 0;
};

TopTwo topTwo(const float* a, const float* b, std::int64_t dimensions, float* mean)
{
    for (std::int64_t d = 0; d < dimensions; ++d)
        mean[d] = (a[d] + b[d]) / 2.0f; // vectorises
    float best = -std::numeric_limits<float>::infinity(), runner = best;
    TopTwo out{0, dimensions > 1 ? 1 : 0};
    for (std::int64_t d = 0; d < dimensions; ++d) {
        const float value = mean[d];
        if (value > best) {
            runner = best, out.second = out.top;
            best = value, out.top = std::int32_t(d);
        } else if (value > runner) {
            runner = value, out.second = std::int32_t(d);
        }
    }
    return out;
}

} // namespace

ConceptAssignment assignConceptDimensions(const ConceptSpace& concepts, const TripletSet& triplets)
{
    ConceptAssignment out;
    out.dimensions = concepts.d;
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
            std::vector<float> mean(static_cast<size_t>(dims));
            std::int64_t i = 0;
            while (pairIndex(i + 1, i + 2) <= begin && i + 2 < n)
                ++i;
            std::int64_t j = i + 1 + (begin - pairIndex(i, i + 1));
            for (std::int64_t k = begin; k < end; ++k) {
                const TopTwo best = topTwo(row(i), row(j), dims, mean.data());
                table[size_t(2 * k)] = std::uint8_t(best.top);
                table[size_t(2 * k + 1)] = std::uint8_t(best.second);
                if (++j == n) ++i, j = i + 1;
            }
        });
    }
    parallelFor(std::int64_t(triplets.size()), 4096, [&](std::int64_t begin, std::int64_t end) {
        std::vector<float> mean(static_cast<size_t>(dims));
        for (std::int64_t t = begin; t < end; ++t) {
            const std::int64_t a = triplets.at(size_t(t), 0), b = triplets.at(size_t(t), 1);
            if (tabulate && a != b) {
                const size_t k = size_t(pairIndex(std::min(a, b), std::max(a, b)));
                out.top[size_t(t)] = table[2 * k];
                out.second[size_t(t)] = table[2 * k + 1];
            } else {
                const TopTwo best = topTwo(row(a), row(b), dims, mean.data());
                out.top[size_t(t)] = best.top;
                out.second[size_t(t)] = best.second;
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
