#include "alignscope/odd_one_out.h"

#include <ATen/Parallel.h>
#include <algorithm>
#include <atomic>
#include <cmath>

namespace alignscope {

double PairwiseSimilarity::exact(std::int64_t a, std::int64_t b) const
{
    const float* x = features->row(a);
    const float* y = features->row(b);
    const std::int64_t p = features->cols;
    double sum = 0;
    if (kind == SimilarityKind::Correlation) {
        for (std::int64_t c = 0; c < p; ++c) sum += (double(x[c]) - rowMean[size_t(a)]) * (double(y[c]) - rowMean[size_t(b)]);
    } else {
        for (std::int64_t c = 0; c < p; ++c) sum += double(x[c]) * double(y[c]);
    }
    switch (kind) {
    case SimilarityKind::Dot: return sum;
    case SimilarityKind::Cosine:
    case SimilarityKind::Correlation: return sum * rowScale[size_t(a)] * rowScale[size_t(b)];
    case SimilarityKind::Euclidean: return -std::sqrt(std::max(rowScale[size_t(a)] + rowScale[size_t(b)] - 2 * sum, 0.0));
    }
    return sum;
}

namespace {

// Column c is odd when the pair without it is the most similar: c=0 <- (j,k), c=1 <- (i,k), c=2 <- (i,j).
template <class T>
std::int8_t pickOdd(const T pair[3])
{
    int best = 2;
    if (pair[1] > pair[best]) best = 1;
    if (pair[0] > pair[best]) best = 0;
    int atMax = 0;
    for (int c = 0; c < 3; ++c) atMax += pair[c] == pair[best];
    return atMax > 1 ? std::int8_t(-1) : std::int8_t(best);
}

} // namespace

ModelChoices choicesFromSimilarity(const PairwiseSimilarity& similarity, const TripletSet& triplets,
                                   const TaskContext& context)
{
    const size_t count = triplets.size();
    ModelChoices out;
    out.device = similarity.device;
    out.choice.resize(count);
    std::atomic<std::int64_t> correct{0}, ties{0}, refined{0};
    const float margin = 2 * similarity.tolerance;
    const bool canRefine = similarity.features != nullptr;
    at::parallel_for(0, std::int64_t(count), 1 << 15, [&](std::int64_t begin, std::int64_t end) {
        std::int64_t localCorrect = 0, localTies = 0, localRefined = 0;
        for (std::int64_t t = begin; t < end; ++t) {
            const std::int32_t* ijk = &triplets.indices[size_t(3 * t)];
            const float pair[3] = {similarity.at(ijk[1], ijk[2]), similarity.at(ijk[0], ijk[2]),
                                   similarity.at(ijk[0], ijk[1])};
            std::int8_t choice = pickOdd(pair);
            // Runner-up within float32 error of the best: decide on exact float64 values instead.
            const float best = std::max({pair[0], pair[1], pair[2]});
            int close = 0;
            for (float v : pair) close += best - v <= margin;
            if (canRefine && close > 1) {
                const double exact[3] = {similarity.exact(ijk[1], ijk[2]), similarity.exact(ijk[0], ijk[2]),
                                         similarity.exact(ijk[0], ijk[1])};
                choice = pickOdd(exact);
                ++localRefined;
            }
            out.choice[size_t(t)] = choice;
            localCorrect += choice == 2;
            localTies += choice == -1;
        }
        correct += localCorrect;
        ties += localTies;
        refined += localRefined;
    });
    out.correct = correct;
    out.ties = ties;
    out.refined = refined;
    context.report(1.0, "choices");
    return out;
}

float ChoiceProbabilities::confidence() const { return std::max({p[0], p[1], p[2]}); }

float ChoiceProbabilities::entropy() const
{
    float h = 0;
    for (float v : p)
        if (v > 0) h -= v * std::log(v);
    return h;
}

ChoiceProbabilities choiceProbabilities(const PairwiseSimilarity& similarity, const TripletSet& triplets, size_t t,
                                        double temperature)
{
    const std::int32_t* ijk = &triplets.indices[3 * t];
    const double pair[3] = {similarity.at(ijk[1], ijk[2]), similarity.at(ijk[0], ijk[2]), similarity.at(ijk[0], ijk[1])};
    const double top = std::max({pair[0], pair[1], pair[2]});
    double e[3], sum = 0;
    for (int c = 0; c < 3; ++c) sum += e[c] = std::exp((pair[c] - top) / temperature);
    ChoiceProbabilities out{};
    for (int c = 0; c < 3; ++c) out.p[c] = float(e[c] / sum);
    return out;
}

Result<ModelChoices> computeChoices(const FeatureMatrix& features, const TripletSet& triplets,
                                    const OddOneOutOptions& options, const TaskContext& context,
                                    PairwiseSimilarity* similarityOut)
{
    if (!(options.temperature > 0)) return makeError("", "", "temperature must be positive");
    for (std::int32_t index : triplets.indices)
        if (index < 0 || index >= features.rows)
            return makeError(triplets.origin, "", "triplet index " + std::to_string(index) + " outside the " +
                                                      std::to_string(features.rows) + " feature rows");
    auto similarity = computeSimilarity(features, options.similarity, options.device, context);
    if (!similarity) return similarity.error();
    if (context.cancelled()) return makeError(features.origin, "", "cancelled");
    ModelChoices choices = choicesFromSimilarity(*similarity, triplets, context);
    if (similarityOut) *similarityOut = std::move(similarity).value();
    return choices;
}

} // namespace alignscope
