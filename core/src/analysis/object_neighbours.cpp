#include "alignscope/object_neighbours.h"

#include "parallel_for.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace alignscope {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The k entries of `row` with the largest values, skipping `self`; equal values by `idRank`.
std::vector<std::int64_t> nearest(const std::vector<double>& row, std::int64_t self, int k,
                                  const std::vector<std::int64_t>& idRank)
{
    std::vector<std::int64_t> order;
    order.reserve(row.size());
    for (std::int64_t o = 0; o < std::int64_t(row.size()); ++o)
        if (o != self) order.push_back(o);
    auto before = [&](std::int64_t a, std::int64_t b) {
        return row[size_t(a)] != row[size_t(b)] ? row[size_t(a)] > row[size_t(b)]
                                                : idRank[size_t(a)] < idRank[size_t(b)];
    };
    std::partial_sort(order.begin(), order.begin() + k, order.end(), before);
    order.resize(size_t(k));
    return order;
}

// Average ranks (1-based) of `values`, as scipy.stats.rankdata.
std::vector<double> averageRanks(const std::vector<double>& values)
{
    std::vector<std::int64_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::int64_t a, std::int64_t b) { return values[size_t(a)] < values[size_t(b)]; });
    std::vector<double> ranks(values.size());
    for (size_t first = 0; first < order.size();) {
        size_t last = first;
        while (last + 1 < order.size() && values[size_t(order[last + 1])] == values[size_t(order[first])])
            ++last;
        const double rank = 0.5 * double(first + last) + 1.0;
        for (size_t r = first; r <= last; ++r)
            ranks[size_t(order[r])] = rank;
        first = last + 1;
    }
    return ranks;
}

double pearsonOf(const std::vector<double>& a, const std::vector<double>& b)
{
    const double n = double(a.size());
    const double meanA = std::accumulate(a.begin(), a.end(), 0.0) / n;
    const double meanB = std::accumulate(b.begin(), b.end(), 0.0) / n;
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        ab += (a[i] - meanA) * (b[i] - meanB);
        aa += (a[i] - meanA) * (a[i] - meanA);
        bb += (b[i] - meanB) * (b[i] - meanB);
    }
    return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : kNaN;
}

// Row `o` of both spaces, the object itself left out.
double rowSpearman(const std::vector<double>& modelRow, const std::vector<double>& humanRow, std::int64_t o)
{
    std::vector<double> a, b;
    a.reserve(modelRow.size());
    b.reserve(humanRow.size());
    for (size_t other = 0; other < modelRow.size(); ++other)
        if (std::int64_t(other) != o) {
            a.push_back(modelRow[other]);
            b.push_back(humanRow[other]);
        }
    return pearsonOf(averageRanks(a), averageRanks(b));
}

} // namespace

Result<NeighbourComparison> compareNeighbours(const StimulusSet& stimuli, const PairwiseSimilarity& model,
                                              const SimilarityMatrix& human, int k,
                                              const TaskContext& context)
{
    const std::int64_t n = std::int64_t(stimuli.size());
    if (model.n != n)
        return makeError("", "",
                         "the model's similarity covers " + std::to_string(model.n) + " objects, not " +
                             std::to_string(n));
    if (human.n != n || std::int64_t(human.values.size()) != n * n)
        return makeError(human.origin, "",
                         "is " + std::to_string(human.n) + "×" + std::to_string(human.n) + " for " +
                             std::to_string(n) + " objects");
    if (k < 1 || k > n - 1)
        return makeError("", "",
                         "k is " + std::to_string(k) + "; it must be from 1 to " + std::to_string(n - 1) +
                             " (the other objects)");
    for (size_t v = 0; v < human.values.size(); ++v)
        if (!std::isfinite(human.values[v]))
            return makeError(human.origin, "",
                             "value at row " + std::to_string(std::int64_t(v) / n) + ", column " +
                                 std::to_string(std::int64_t(v) % n) + " is not finite");
    // A NaN would leave the order of a row undefined (and std::partial_sort's comparison inconsistent).
    for (std::int64_t a = 0; a < n; ++a)
        for (std::int64_t b = 0; b < n; ++b)
            if (!std::isfinite(model.at(a, b)))
                return makeError("", "",
                                 "the model's similarity of " + stimuli.id(size_t(a)) + " and " +
                                     stimuli.id(size_t(b)) + " is not finite");
    std::vector<std::int64_t> byId(static_cast<size_t>(n)), idRank(static_cast<size_t>(n));
    std::iota(byId.begin(), byId.end(), 0);
    std::sort(byId.begin(), byId.end(),
              [&](std::int64_t a, std::int64_t b) { return stimuli.id(size_t(a)) < stimuli.id(size_t(b)); });
    for (std::int64_t r = 0; r < n; ++r)
        idRank[size_t(byId[size_t(r)])] = r;
    const double sign = human.kind == SimilarityMatrix::Kind::Dissimilarity ? -1.0 : 1.0;

    NeighbourComparison out;
    out.k = k;
    out.objects.resize(size_t(n));
    parallelFor(n, 16, [&](std::int64_t begin, std::int64_t end) {
        std::vector<double> modelRow(static_cast<size_t>(n)), humanRow(static_cast<size_t>(n));
        for (std::int64_t o = begin; o < end && !context.cancelled(); ++o) {
            for (std::int64_t other = 0; other < n; ++other) {
                modelRow[size_t(other)] = model.at(o, other);
                humanRow[size_t(other)] = sign * double(human.values[size_t(o * n + other)]);
            }
            ObjectNeighbours& object = out.objects[size_t(o)];
            object.id = stimuli.id(size_t(o));
            object.model = nearest(modelRow, o, k, idRank);
            object.human = nearest(humanRow, o, k, idRank);
            for (std::int64_t a : object.model)
                object.shared += std::count(object.human.begin(), object.human.end(), a);
            object.jaccard = double(object.shared) / double(2 * k - object.shared);
            object.spearman = rowSpearman(modelRow, humanRow, o);
        }
    });
    if (context.cancelled()) return makeError("", "", "cancelled");
    double jaccard = 0, spearman = 0;
    std::int64_t defined = 0;
    for (const ObjectNeighbours& object : out.objects) {
        jaccard += object.jaccard;
        if (std::isnan(object.spearman)) continue;
        spearman += object.spearman;
        ++defined;
    }
    out.meanJaccard = jaccard / double(n);
    out.meanSpearman = defined ? spearman / double(defined) : kNaN;
    return out;
}

} // namespace alignscope
