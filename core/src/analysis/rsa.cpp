#include "alignscope/rsa.h"

#include "blas.h"
#include "parallel_for.h"
#include "rank_correlation.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <random>

namespace alignscope {

Result<RdmMethod> parseRdmMethod(const std::string& name)
{
    if (name == "cosine") return RdmMethod::Cosine;
    if (name == "correlation") return RdmMethod::Correlation;
    if (name == "euclidean") return RdmMethod::Euclidean;
    if (name == "gaussian") return RdmMethod::Gaussian;
    return makeError("", "", "unknown RDM method '" + name + "' (cosine, correlation, euclidean, gaussian)");
}

const char* rdmMethodName(RdmMethod method)
{
    switch (method) {
    case RdmMethod::Cosine:
        return "cosine";
    case RdmMethod::Correlation:
        return "correlation";
    case RdmMethod::Euclidean:
        return "euclidean";
    case RdmMethod::Gaussian:
        return "gaussian";
    }
    return "?";
}

Result<CompareMethod> parseCompareMethod(const std::string& name)
{
    if (name == "spearman") return CompareMethod::Spearman;
    if (name == "pearson") return CompareMethod::Pearson;
    if (name == "kendall-a") return CompareMethod::KendallA;
    if (name == "kendall-b" || name == "kendall") return CompareMethod::KendallB;
    if (name == "cosine") return CompareMethod::Cosine;
    return makeError("", "",
                     "unknown comparison '" + name + "' (spearman, pearson, kendall-a, kendall-b, cosine)");
}

const char* compareMethodName(CompareMethod method)
{
    switch (method) {
    case CompareMethod::Spearman:
        return "spearman";
    case CompareMethod::Pearson:
        return "pearson";
    case CompareMethod::KendallA:
        return "kendall-a";
    case CompareMethod::KendallB:
        return "kendall-b";
    case CompareMethod::Cosine:
        return "cosine";
    }
    return "?";
}

namespace {

// The rows the RDM's Gram products are taken of, in float64: unit rows (cosine, correlation; false when a row
// has zero norm) or column-centred rows and their squared norms (euclidean, gaussian). Centring leaves every
// distance unchanged and keeps |x|² + |y|² − 2x·y from cancelling a large shared offset.
template <typename Value>
bool rdmRows(const Value* values, std::int64_t n, std::int64_t p, RdmMethod method, std::vector<double>& rows,
             std::vector<double>& squared)
{
    const auto featureRow = [&](std::int64_t r) { return values + r * p; };
    rows.resize(size_t(n * p));
    if (method == RdmMethod::Cosine || method == RdmMethod::Correlation) {
        std::vector<char> zeroNorm(size_t(n), 0);
        parallelFor(n, 16, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t r = begin; r < end; ++r) {
                const Value* x = featureRow(r);
                double mean = 0, squares = 0;
                if (method == RdmMethod::Correlation) {
                    for (std::int64_t c = 0; c < p; ++c)
                        mean += x[c];
                    mean /= double(p);
                }
                for (std::int64_t c = 0; c < p; ++c)
                    squares += (x[c] - mean) * (x[c] - mean);
                zeroNorm[size_t(r)] = squares == 0;
                const double inverseNorm = squares > 0 ? 1.0 / std::sqrt(squares) : 0.0;
                double* y = rows.data() + r * p;
                for (std::int64_t c = 0; c < p; ++c)
                    y[c] = (x[c] - mean) * inverseNorm;
            }
        });
        return std::find(zeroNorm.begin(), zeroNorm.end(), 1) == zeroNorm.end();
    }
    std::vector<double> columnMean(size_t(p), 0.0);
    for (std::int64_t r = 0; r < n; ++r) {
        const Value* x = featureRow(r);
        for (std::int64_t c = 0; c < p; ++c)
            columnMean[size_t(c)] += x[c];
    }
    for (double& mean : columnMean)
        mean /= double(n);
    squared.resize(size_t(n));
    parallelFor(n, 16, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t r = begin; r < end; ++r) {
            const Value* x = featureRow(r);
            double* y = rows.data() + r * p;
            double sum = 0;
            for (std::int64_t c = 0; c < p; ++c) {
                y[c] = x[c] - columnMean[size_t(c)];
                sum += y[c] * y[c];
            }
            squared[size_t(r)] = sum;
        }
    });
    return true;
}

template <typename Value>
Result<CondensedMatrix> rdmOf(const Value* values, std::int64_t n, std::int64_t p, const std::string& origin,
                              RdmMethod method, const TaskContext& context)
{
    if (n < 3 || p < 1) return makeError(origin, "", "an RDM needs at least 3 stimuli with features");
    std::vector<double> rows, squared;
    if (!rdmRows(values, n, p, method, rows, squared))
        return makeError(origin, "",
                         std::string("a feature row has zero norm; ") + rdmMethodName(method) +
                             " RDM is undefined");
    // Gaussian: σ is the mean squared distance over pairs, Σ_{i<j} |x_i − x_j|² = n Σ_i |x_i − x̄|² for the
    // centred rows, so it is known before the distances are.
    double bandwidth = 0;
    if (method == RdmMethod::Gaussian) {
        for (double s : squared)
            bandwidth += s;
        bandwidth *= 2.0 / double(n - 1);
        if (!(bandwidth > 0))
            return makeError(origin, "", "all feature rows are identical; gaussian RDM is undefined");
    }
    CondensedMatrix rdm;
    rdm.n = n;
    rdm.values.resize(size_t(CondensedMatrix::pairCount(n)));
    // The upper triangle of the float64 Gram matrix in tiles of 64 to 256 rows × 2048 columns (each row
    // block only against the columns to its right: about 53% of the full product at THINGS scale), written
    // straight into the condensed layout. The tiles are shared out over OpenMP's threads, each a
    // single-threaded product followed by its distances on the same thread: OpenBLAS's own workers would spin
    // between the products and the distance loops (a third of the time went to sched_yield). A thread's
    // temporary is 4 MB.
    struct Tile
    {
        std::int64_t begin, end, columnBegin, columnEnd;
    };
    std::vector<Tile> tiles;
    const std::int64_t rowBlock = std::clamp<std::int64_t>((n + 15) / 16, 64, 256);
    constexpr std::int64_t kColumnBlock = 2048;
    for (std::int64_t begin = 0; begin < n - 1; begin += rowBlock)
        for (std::int64_t column = begin; column < n; column += kColumnBlock)
            tiles.push_back(
                {begin, std::min(n, begin + rowBlock), column, std::min(n, column + kColumnBlock)});
    const std::int64_t tileCount = std::int64_t(tiles.size());
    std::atomic<bool> stopped{false};
    std::atomic<std::int64_t> finished{0};
    const blas::SingleThreadedProducts oneThreadEach;
    const bool parallel = double(n) * double(n) * double(p) > double(1 << 22); // else threads cost more
#pragma omp parallel if (parallel)
    {
        std::vector<double> gram;
#pragma omp for schedule(dynamic, 1)
        for (std::int64_t t = 0; t < tileCount; ++t) {
            if (stopped || context.cancelled()) {
                stopped = true;
                continue;
            }
            const Tile& tile = tiles[size_t(t)];
            const std::int64_t width = tile.columnEnd - tile.columnBegin;
            gram.resize(size_t((tile.end - tile.begin) * width));
            blas::productWithTranspose(tile.end - tile.begin, width, p, rows.data() + tile.begin * p, p,
                                       rows.data() + tile.columnBegin * p, p, gram.data(), width);
            for (std::int64_t i = tile.begin; i < tile.end; ++i) {
                const std::int64_t first =
                    std::max(i + 1, tile.columnBegin); // columns j = first .. columnEnd-1
                if (first >= tile.columnEnd) continue;
                float* out = rdm.values.data() + rdm.index(i, first);
                const double* row = gram.data() + (i - tile.begin) * width + (first - tile.columnBegin);
                const std::int64_t count = tile.columnEnd - first;
                if (squared.empty()) {
                    for (std::int64_t c = 0; c < count; ++c)
                        out[c] = float(1.0 - row[c]);
                    continue;
                }
                for (std::int64_t c = 0; c < count; ++c) {
                    const double d2 =
                        std::max(squared[size_t(i)] + squared[size_t(first + c)] - 2 * row[c], 0.0);
                    out[c] =
                        float(method == RdmMethod::Euclidean ? std::sqrt(d2) : -std::expm1(-d2 / bandwidth));
                }
            }
            const std::int64_t done = ++finished;
            if (omp_get_thread_num() == 0) context.report(double(done) / double(tileCount), "model RDM");
        }
    }
    if (stopped) return makeError(origin, "", "cancelled");
    for (size_t k = 0; k < rdm.values.size(); ++k)
        if (!std::isfinite(rdm.values[k]))
            return makeError(origin, "",
                             std::string(rdmMethodName(method)) +
                                 " RDM has a non-finite entry (distances beyond float32's range)");
    return rdm;
}

} // namespace

Result<CondensedMatrix> modelRdm(const FeatureMatrix& features, RdmMethod method, const TaskContext& context)
{
    if (features.exact && features.exact->size() == features.size())
        return rdmOf(features.exact->data(), features.rows, features.cols, features.origin, method, context);
    return rdmOf(features.row(0), features.rows, features.cols, features.origin, method, context);
}

Result<CondensedMatrix> modelRdm(const double* features, std::int64_t rows, std::int64_t cols,
                                 const std::string& origin, RdmMethod method, const TaskContext& context)
{
    return rdmOf(features, rows, cols, origin, method, context);
}

namespace {

template <class Value>
Result<BasicCondensedMatrix<Value>> condenseSquare(const std::vector<Value>& square, std::int64_t n,
                                                   SimilarityMatrix::Kind kind, const std::string& name)
{
    if (n < 3 || std::int64_t(square.size()) != n * n)
        return makeError(name, "", "expected an n×n matrix with n >= 3");
    BasicCondensedMatrix<Value> rdm;
    rdm.n = n;
    rdm.values.reserve(size_t(BasicCondensedMatrix<Value>::pairCount(n)));
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = i + 1; j < n; ++j) {
            const Value upper = square[size_t(i * n + j)], lower = square[size_t(j * n + i)];
            if (!std::isfinite(upper))
                return makeError(name, "row " + std::to_string(i + 1) + ", column " + std::to_string(j + 1),
                                 "not a finite value");
            if (std::fabs(upper - lower) > Value(1e-4) * std::max(Value(1), std::fabs(upper)))
                return makeError(name, "row " + std::to_string(i + 1) + ", column " + std::to_string(j + 1),
                                 "matrix is not symmetric (" + std::to_string(upper) + " vs " +
                                     std::to_string(lower) + ")");
            const Value value = (upper + lower) / 2;
            rdm.values.push_back(kind == SimilarityMatrix::Kind::Similarity ? Value(1) - value : value);
        }
    return rdm;
}

} // namespace

Result<CondensedMatrix> condense(const std::vector<float>& square, std::int64_t n,
                                 SimilarityMatrix::Kind kind, const std::string& name)
{
    return condenseSquare(square, n, kind, name);
}

Result<CondensedMatrix64> condense(const std::vector<double>& square, std::int64_t n,
                                   SimilarityMatrix::Kind kind, const std::string& name)
{
    return condenseSquare(square, n, kind, name);
}

namespace {

// Inputs with a non-finite entry give meaningless correlations: refuse them instead.
template <class Value>
Status checkFinite(const BasicCondensedMatrix<Value>& a, const BasicCondensedMatrix<Value>& b)
{
    for (const BasicCondensedMatrix<Value>* rdm : {&a, &b})
        for (Value v : rdm->values)
            if (!std::isfinite(v))
                return makeError("", "",
                                 std::string(rdm == &a ? "first" : "second") + " RDM has a non-finite entry");
    return okStatus();
}

Result<double> finiteOrError(Result<double> r)
{
    if (r && !std::isfinite(*r))
        return makeError("", "", "the RDM comparison is undefined (a constant RDM or a numeric overflow)");
    return r;
}

template <class Value>
Result<double> compareChecked(const BasicCondensedMatrix<Value>& a, const BasicCondensedMatrix<Value>& b,
                              CompareMethod method, const TaskContext& context)
{
    switch (method) {
    case CompareMethod::Pearson:
        return pearson(a.values, b.values);
    case CompareMethod::Cosine:
        return cosineOf(a.values, b.values);
    case CompareMethod::Spearman:
        return spearman(a.values, b.values, context);
    case CompareMethod::KendallA:
        return kendall(a.values, b.values, false);
    case CompareMethod::KendallB:
        return kendall(a.values, b.values, true);
    }
    return makeError("", "", "unknown comparison");
}

template <class Value>
Result<double> compareAny(const BasicCondensedMatrix<Value>& a, const BasicCondensedMatrix<Value>& b,
                          CompareMethod method, const TaskContext& context)
{
    if (a.n != b.n)
        return makeError("", "",
                         "RDMs cover " + std::to_string(a.n) + " and " + std::to_string(b.n) + " stimuli");
    if (a.values.size() < 2) return makeError("", "", "too few pairs to compare");
    if (auto finite = checkFinite(a, b); !finite) return finite.error();
    return finiteOrError(compareChecked(a, b, method, context));
}

template <class Value>
BasicCondensedMatrix<Value> subsetOf(const BasicCondensedMatrix<Value>& rdm,
                                     const std::vector<std::int64_t>& stimuli)
{
    BasicCondensedMatrix<Value> out;
    out.n = std::int64_t(stimuli.size());
    out.values.reserve(size_t(BasicCondensedMatrix<Value>::pairCount(out.n)));
    for (size_t x = 0; x < stimuli.size(); ++x)
        for (size_t y = x + 1; y < stimuli.size(); ++y)
            if (stimuli[x] != stimuli[y]) out.values.push_back(rdm.at(stimuli[x], stimuli[y]));
    return out;
}

template <class Value>
RsaInterval bootstrapOf(const BasicCondensedMatrix<Value>& a, const BasicCondensedMatrix<Value>& b,
                        CompareMethod method, int replicates, std::uint64_t seed, const TaskContext& context)
{
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::int64_t> pick(0, a.n - 1);
    std::vector<double> values;
    std::vector<std::int64_t> stimuli(static_cast<size_t>(a.n));
    for (int r = 0; r < replicates; ++r) {
        if (context.cancelled()) return {};
        for (auto& s : stimuli)
            s = pick(rng);
        std::sort(stimuli.begin(), stimuli.end());
        BasicCondensedMatrix<Value> sa = subsetOf(a, stimuli), sb = subsetOf(b, stimuli);
        // pairs only; n is not meaningful after dropping self-pairs
        auto r2 = compareAny(BasicCondensedMatrix<Value>{0, std::move(sa.values)},
                             BasicCondensedMatrix<Value>{0, std::move(sb.values)}, method, TaskContext{});
        if (r2 && std::isfinite(*r2)) values.push_back(*r2);
        context.report(double(r + 1) / replicates, "bootstrap over stimuli");
    }
    if (values.empty()) return {};
    std::sort(values.begin(), values.end());
    auto quantile = [&](double q) {
        const double position = q * double(values.size() - 1);
        const size_t below = size_t(position);
        const size_t above = std::min(values.size() - 1, below + 1);
        return values[below] + (position - double(below)) * (values[above] - values[below]);
    };
    return {quantile(0.025), quantile(0.975)};
}

} // namespace

Result<double> compareRdms(const CondensedMatrix& a, const CondensedMatrix& b, CompareMethod method,
                           const TaskContext& context)
{
    return compareAny(a, b, method, context);
}

Result<double> compareRdms(const CondensedMatrix64& a, const CondensedMatrix64& b, CompareMethod method,
                           const TaskContext& context)
{
    return compareAny(a, b, method, context);
}

Result<double> compareRdmsConsuming(CondensedMatrix&& a, CondensedMatrix&& b, CompareMethod method,
                                    const TaskContext& context)
{
    if (method != CompareMethod::Spearman) {
        auto r = compareRdms(a, b, method, context);
        a = {};
        b = {};
        return r;
    }
    if (a.n != b.n)
        return makeError("", "",
                         "RDMs cover " + std::to_string(a.n) + " and " + std::to_string(b.n) + " stimuli");
    if (auto finite = checkFinite(a, b); !finite) return finite.error();
    return finiteOrError(spearmanInPlace(a.values, b.values, context));
}

CondensedMatrix subset(const CondensedMatrix& rdm, const std::vector<std::int64_t>& stimuli)
{
    return subsetOf(rdm, stimuli);
}

CondensedMatrix64 subset(const CondensedMatrix64& rdm, const std::vector<std::int64_t>& stimuli)
{
    return subsetOf(rdm, stimuli);
}

RsaInterval bootstrapStimuli(const CondensedMatrix& a, const CondensedMatrix& b, CompareMethod method,
                             int replicates, std::uint64_t seed, const TaskContext& context)
{
    return bootstrapOf(a, b, method, replicates, seed, context);
}

RsaInterval bootstrapStimuli(const CondensedMatrix64& a, const CondensedMatrix64& b, CompareMethod method,
                             int replicates, std::uint64_t seed, const TaskContext& context)
{
    return bootstrapOf(a, b, method, replicates, seed, context);
}

Result<NoiseCeiling> noiseCeiling(const std::vector<CondensedMatrix>& subjects, CompareMethod method)
{
    if (subjects.size() < 2) return makeError("", "", "a noise ceiling needs at least two subjects");
    const size_t pairs = subjects.front().values.size();
    std::vector<double> total(pairs, 0.0);
    for (const auto& s : subjects) {
        if (s.values.size() != pairs) return makeError("", "", "subject RDMs differ in size");
        for (size_t k = 0; k < pairs; ++k)
            total[k] += s.values[k];
    }
    NoiseCeiling ceiling;
    const double count = double(subjects.size());
    CondensedMatrix mean{subjects.front().n, std::vector<float>(pairs)},
        others{subjects.front().n, std::vector<float>(pairs)};
    for (size_t k = 0; k < pairs; ++k)
        mean.values[k] = float(total[k] / count);
    for (const auto& s : subjects) {
        for (size_t k = 0; k < pairs; ++k)
            others.values[k] = float((total[k] - s.values[k]) / (count - 1));
        auto upper = compareRdms(s, mean, method);
        auto lower = compareRdms(s, others, method);
        if (!upper) return upper.error();
        if (!lower) return lower.error();
        ceiling.upper += *upper / count;
        ceiling.lower += *lower / count;
    }
    return ceiling;
}

} // namespace alignscope
