#include "alignscope/concept_breakdown.h"

#include "compare_exchange.h"
#include "concept_top_two.h"
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
    if (tabulate) {
        table.resize(size_t(2 * pairs));
        const PairTopTwoTable pairTable(concepts.values.data(), n, dims);
        parallelFor(pairs, 4096,
                    [&](std::int64_t begin, std::int64_t end) { pairTable.fill(begin, end, table.data()); });
    }
    const std::int32_t* indices = triplets.indices.data();
    ConceptAssignment::Dimension* top = out.top.data();
    ConceptAssignment::Dimension* second = out.second.data();
    auto direct = [&](std::int64_t t) {
        const TopTwo best = topTwoScalar(row(indices[3 * t]), row(indices[3 * t + 1]), dims);
        top[t] = ConceptAssignment::Dimension(best.top);
        second[t] = ConceptAssignment::Dimension(best.second);
    };
    if (!tabulate) {
        parallelFor(std::int64_t(triplets.size()), 4096, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t t = begin; t < end; ++t)
                direct(t);
        });
        return out;
    }
    const std::uint8_t* entries = table.data();
    auto entryOf = [&](std::int64_t t) {
        std::int64_t low = indices[3 * t], high = indices[3 * t + 1];
        compareExchange(low, high);
        return entries + 2 * PairTopTwoTable::pairIndex(low, high, n);
    };
    parallelFor(std::int64_t(triplets.size()), 4096, [&](std::int64_t begin, std::int64_t end) {
        constexpr std::int64_t kLookahead = 16; // lookups in the 3.4 MB table miss the cache at random
        for (std::int64_t t = begin; t < end; ++t) {
            if (t + kLookahead < end && indices[3 * (t + kLookahead)] != indices[3 * (t + kLookahead) + 1])
                __builtin_prefetch(entryOf(t + kLookahead));
            if (indices[3 * t] == indices[3 * t + 1]) {
                direct(t);
                continue;
            }
            const std::uint8_t* entry = entryOf(t);
            top[t] = entry[0];
            second[t] = entry[1];
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
