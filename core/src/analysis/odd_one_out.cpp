#include "alignscope/odd_one_out.h"

#include "compare_exchange.h"
#include "parallel_for.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

namespace alignscope {

std::vector<float> denseSimilarity(const PairwiseSimilarity& similarity)
{
    const std::int64_t n = similarity.n;
    std::vector<float> values(size_t(n * n));
    for (std::int64_t a = 0; a < n; ++a)
        for (std::int64_t b = 0; b < n; ++b)
            values[size_t(a * n + b)] = float(similarity.at(a, b));
    return values;
}

double PairwiseSimilarity::exact(std::int64_t a, std::int64_t b) const
{
    const float* x = features->row(a);
    const float* y = features->row(b);
    const std::int64_t p = features->cols;
    // Four accumulators let the compiler vectorise; the order differs from a plain loop only at 1e-16.
    const double meanA = kind == SimilarityKind::Correlation ? rowMean[size_t(a)] : 0.0;
    const double meanB = kind == SimilarityKind::Correlation ? rowMean[size_t(b)] : 0.0;
    double partial[4] = {0, 0, 0, 0};
    std::int64_t c = 0;
    for (; c + 4 <= p; c += 4)
        for (int lane = 0; lane < 4; ++lane)
            partial[lane] += (double(x[c + lane]) - meanA) * (double(y[c + lane]) - meanB);
    double sum = (partial[0] + partial[1]) + (partial[2] + partial[3]);
    for (; c < p; ++c)
        sum += (double(x[c]) - meanA) * (double(y[c]) - meanB);
    switch (kind) {
    case SimilarityKind::Dot:
        return sum;
    case SimilarityKind::Cosine:
    case SimilarityKind::Correlation:
        return sum * rowScale[size_t(a)] * rowScale[size_t(b)];
    case SimilarityKind::Euclidean:
        return -std::sqrt(std::max(rowScale[size_t(a)] + rowScale[size_t(b)] - 2 * sum, 0.0));
    }
    return sum;
}

namespace {

// Column c is odd when the pair without it is the most similar: c=0 <- (j,k), c=1 <- (i,k), c=2 <- (i,j).
template <class T> std::int8_t pickOdd(const T pair[3])
{
    int best = 2;
    if (pair[1] > pair[best]) best = 1;
    if (pair[0] > pair[best]) best = 0;
    int atMax = 0;
    for (int c = 0; c < 3; ++c)
        atMax += pair[c] == pair[best];
    return atMax > 1 ? std::int8_t(-1) : std::int8_t(best);
}

} // namespace

// Position of pair (a, b) in the upper triangle of the symmetric n×n matrix: lookups over random triplets
// then touch half of its cache lines.
inline size_t upperIndex(std::int32_t a, std::int32_t b, size_t n)
{
    compareExchange(a, b);
    return size_t(a) * n + size_t(b);
}

ModelChoices choicesFromSimilarity(const PairwiseSimilarity& similarity, const TripletSet& triplets,
                                   const TaskContext& context)
{
    const size_t count = triplets.size();
    ModelChoices out;
    out.device = similarity.device;
    reserveOnHugePages(out.choice, count);
    out.choice.resize(count);
    std::atomic<std::int64_t> correct{0}, ties{0}, refined{0}, undecided{0};
    const float margin = 2 * similarity.tolerance;
    const bool squaredScale = similarity.kind == SimilarityKind::Euclidean;
    const bool canRefine = similarity.features != nullptr;
    const bool exactOnly = similarity.exactOnly && canRefine;
    // Locals, not members: stores through int8_t may alias anything, which would force the compiler to
    // reload the matrix pointer and size after every choice written.
    const float* matrix = similarity.values.data();
    const size_t n = size_t(similarity.n);
    const std::int32_t* indices = triplets.indices.data();
    std::int8_t* choices = out.choice.data();
    parallelFor(std::int64_t(count), 1 << 15, [&](std::int64_t begin, std::int64_t end) {
        std::int64_t localCorrect = 0, localTies = 0, localRefined = 0, localUndecided = 0;
        constexpr std::int64_t kLookahead = 24; // the loop is bound by cache misses on the n×n matrix
        for (std::int64_t t = begin; t < end; ++t) {
            if (t + kLookahead < end) {
                const std::int32_t* ahead = indices + 3 * (t + kLookahead);
                __builtin_prefetch(matrix + upperIndex(ahead[1], ahead[2], n));
                __builtin_prefetch(matrix + upperIndex(ahead[0], ahead[2], n));
                __builtin_prefetch(matrix + upperIndex(ahead[0], ahead[1], n));
            }
            const std::int32_t* ijk = indices + 3 * t;
            const float pair[3] = {matrix[upperIndex(ijk[1], ijk[2], n)],
                                   matrix[upperIndex(ijk[0], ijk[2], n)],
                                   matrix[upperIndex(ijk[0], ijk[1], n)]};
            std::int8_t choice = pickOdd(pair);
            // Runner-up within float32 error of the best: decide on exact float64 values instead. For
            // euclidean (negative distances) the bound is on squared distances: d2² - d1² <= margin.
            const float best = std::max({pair[0], pair[1], pair[2]});
            int close = 0;
            for (float v : pair)
                close += (squaredScale ? v * v - best * best : best - v) <= margin;
            if (exactOnly) {
                const std::int32_t a[3] = {ijk[1], ijk[0], ijk[0]}, b[3] = {ijk[2], ijk[2], ijk[1]};
                double exact[3];
                for (int c = 0; c < 3; ++c)
                    exact[c] = similarity.exact(a[c], b[c]);
                choice = pickOdd(exact);
                ++localRefined;
            } else if (canRefine && close > 1) {
                // Pairs far below the best cannot win; only the close ones need exact values.
                const std::int32_t a[3] = {ijk[1], ijk[0], ijk[0]}, b[3] = {ijk[2], ijk[2], ijk[1]};
                double exact[3];
                for (int c = 0; c < 3; ++c)
                    exact[c] = (squaredScale ? pair[c] * pair[c] - best * best : best - pair[c]) <= margin
                                   ? similarity.exact(a[c], b[c])
                                   : -std::numeric_limits<double>::infinity();
                choice = pickOdd(exact);
                ++localRefined;
            }
            // NaN compares false everywhere, so pickOdd would return column 2 (the human's choice): count it
            // instead.
            if (choice >= 0 && !(pair[0] == pair[0] && pair[1] == pair[1] && pair[2] == pair[2]) &&
                !exactOnly) {
                ++localUndecided;
                choice = -1;
            }
            choices[t] = choice;
            localCorrect += choice == 2;
            localTies += choice == -1;
        }
        correct += localCorrect;
        ties += localTies;
        refined += localRefined;
        undecided += localUndecided;
    });
    out.undecided = undecided;
    out.correct = correct;
    out.ties = ties;
    out.refined = refined;
    context.report(1.0, "choices");
    return out;
}

float ChoiceProbabilities::confidence() const
{
    return std::max({p[0], p[1], p[2]});
}

float ChoiceProbabilities::entropy() const
{
    float h = 0;
    for (float v : p)
        if (v > 0) h -= v * std::log(v);
    return h;
}

ChoiceProbabilities choiceProbabilities(const PairwiseSimilarity& similarity, const TripletSet& triplets,
                                        size_t t, double temperature)
{
    const std::int32_t* ijk = &triplets.indices[3 * t];
    const double pair[3] = {similarity.at(ijk[1], ijk[2]), similarity.at(ijk[0], ijk[2]),
                            similarity.at(ijk[0], ijk[1])};
    const double top = std::max({pair[0], pair[1], pair[2]});
    double e[3], sum = 0;
    for (int c = 0; c < 3; ++c)
        sum += e[c] = std::exp((pair[c] - top) / temperature);
    ChoiceProbabilities out{};
    for (int c = 0; c < 3; ++c)
        out.p[c] = float(e[c] / sum);
    return out;
}

Result<ModelChoices> computeChoices(const FeatureMatrix& features, const TripletSet& triplets,
                                    const OddOneOutOptions& options, const TaskContext& context,
                                    PairwiseSimilarity* similarityOut)
{
    if (!(options.temperature > 0)) return makeError("", "", "temperature must be positive");
    // One vectorised pass (a negative index is a large unsigned one); the offender is looked up only on
    // error.
    const std::uint32_t rows = std::uint32_t(std::min<std::int64_t>(features.rows, INT32_MAX));
    std::uint32_t outside = 0;
    for (const std::int32_t index : triplets.indices)
        outside |= std::uint32_t(index) >= rows;
    if (outside) {
        const auto bad = std::find_if(triplets.indices.begin(), triplets.indices.end(),
                                      [rows](std::int32_t index) { return std::uint32_t(index) >= rows; });
        return makeError(triplets.origin, "",
                         "triplet index " + std::to_string(*bad) + " outside the " +
                             std::to_string(features.rows) + " feature rows");
    }
    auto similarity = computeSimilarity(features, options.similarity, options.device, context);
    if (!similarity) return similarity.error();
    if (context.cancelled()) return makeError(features.origin, "", "cancelled");
    ModelChoices choices = choicesFromSimilarity(*similarity, triplets, context);
    if (choices.undecided > 0)
        return makeError(features.origin, "",
                         std::to_string(choices.undecided) +
                             " triplets met a non-finite similarity; no accuracy is reported");
    if (similarityOut) *similarityOut = std::move(similarity).value();
    return choices;
}

} // namespace alignscope
