#include "alignscope/concept_breakdown.h"

#include "parallel_for.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace alignscope {

ConceptAssignment assignConceptDimensions(const ConceptSpace& concepts, const TripletSet& triplets)
{
    ConceptAssignment out;
    out.dimensions = concepts.d;
    out.top.resize(triplets.size());
    out.second.resize(triplets.size());
    parallelFor(std::int64_t(triplets.size()), 4096, [&](std::int64_t begin, std::int64_t end) {
        std::vector<float> mean(size_t(concepts.d));
        for (std::int64_t t = begin; t < end; ++t) {
            const float* a = &concepts.values[size_t(triplets.at(size_t(t), 0)) * size_t(concepts.d)];
            const float* b = &concepts.values[size_t(triplets.at(size_t(t), 1)) * size_t(concepts.d)];
            for (std::int64_t d = 0; d < concepts.d; ++d) mean[size_t(d)] = (a[d] + b[d]) / 2.0f; // vectorises
            float best = -std::numeric_limits<float>::infinity(), runner = best;
            std::int32_t bestDim = 0, runnerDim = concepts.d > 1 ? 1 : 0;
            for (std::int64_t d = 0; d < concepts.d; ++d) {
                const float value = mean[size_t(d)];
                if (value > best) {
                    runner = best, runnerDim = bestDim;
                    best = value, bestDim = std::int32_t(d);
                } else if (value > runner) {
                    runner = value, runnerDim = std::int32_t(d);
                }
            }
            out.top[size_t(t)] = bestDim;
            out.second[size_t(t)] = runnerDim;
        }
    });
    return out;
}

std::vector<ConceptAccuracy> perConceptAccuracy(const ConceptAssignment& assignment, const ModelChoices& choices,
                                                int topK, const std::vector<std::string>& labels, int replicates,
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
        bucket.ci95 = bootstrapTripletInterval(bucket.correct, bucket.triplets, replicates, seed + std::uint64_t(bucket.dimension));
    }
    return out;
}

std::vector<std::string> autoConceptLabels(const ConceptSpace& concepts, const StimulusSet& stimuli, int topObjects)
{
    std::vector<std::string> labels;
    std::vector<std::int64_t> order(size_t(concepts.n));
    for (std::int64_t d = 0; d < concepts.d; ++d) {
        std::iota(order.begin(), order.end(), 0);
        const size_t shown = std::min<size_t>(size_t(topObjects), order.size());
        std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(shown), order.end(),
                          [&](std::int64_t a, std::int64_t b) { return concepts.at(a, d) > concepts.at(b, d); });
        std::string label = std::to_string(d) + ":";
        for (size_t k = 0; k < shown; ++k) label += (k ? ", " : " ") + stimuli.displayName(size_t(order[k]));
        labels.push_back(label);
    }
    return labels;
}

} // namespace alignscope
