#include "alignscope/rsa.h"

#include "blas.h"
#include "parallel_for.h"
#include "rank_correlation.h"
#include "unit_rows.h"

#include <algorithm>
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

Result<CondensedMatrix> modelRdm(const FeatureMatrix& features, RdmMethod method, const TaskContext& context)
{
    const std::int64_t n = features.rows, p = features.cols;
    if (n < 3 || p < 1)
        return makeError(features.origin, "", "an RDM needs at least 3 stimuli with features");
    CondensedMatrix rdm;
    rdm.n = n;
    rdm.values.resize(size_t(CondensedMatrix::pairCount(n)));
    // float32 rows the Gram matrix is computed from, and (euclidean, gaussian) their squared norms.
    std::vector<float> rows;
    std::vector<float> squared;
    int exponent =
        0; // euclidean and gaussian: features scaled by 2^exponent (exact) so float32 products stay finite
    if (method == RdmMethod::Cosine || method == RdmMethod::Correlation) {
        // Centre and normalise in float64, where features of any float32 magnitude neither under- nor
        // overflow.
        if (!detail::unitRows(features.data(), n, p, method == RdmMethod::Correlation, rows))
            return makeError(features.origin, "",
                             std::string("a feature row has zero norm; ") + rdmMethodName(method) +
                                 " RDM is undefined");
    } else {
        float largest = 0;
        const float* source = features.data();
        for (size_t k = 0; k < features.size(); ++k)
            largest = std::max(largest, std::fabs(source[k]));
        if (largest > 0 && (largest > 0x1p30f || largest < 0x1p-30f)) {
            exponent = -std::ilogb(largest);
            rows.resize(features.size());
            for (size_t k = 0; k < rows.size(); ++k)
                rows[k] = std::ldexp(source[k], exponent);
            source = rows.data();
        }
        squared.resize(size_t(n));
        for (std::int64_t r = 0; r < n; ++r) {
            double sum = 0;
            for (std::int64_t c = 0; c < p; ++c)
                sum += double(source[r * p + c]) * double(source[r * p + c]);
            squared[size_t(r)] = float(sum);
        }
        if (rows.empty()) rows.assign(features.data(), features.data() + features.size());
    }
    // Upper-triangle row blocks of the float32 Gram matrix (each block only against the columns to its
    // right), written straight into the condensed layout: the temporary stays at block × n.
    const std::int64_t block =
        std::max<std::int64_t>(1, std::min<std::int64_t>(n, (std::int64_t(64) << 20) / (4 * n)));
    std::vector<float> gram;
    for (std::int64_t begin = 0; begin < n - 1; begin += block) {
        if (context.cancelled()) return makeError(features.origin, "", "cancelled");
        const std::int64_t end = std::min(n, begin + block);
        const std::int64_t width = n - begin;
        gram.resize(size_t((end - begin) * width));
        blas::productWithTranspose(end - begin, width, p, rows.data() + begin * p, p, rows.data() + begin * p,
                                   p, gram.data(), width);
        const float* g = gram.data();
        const float* sq = squared.empty() ? nullptr : squared.data();
        parallelFor(end - begin, 1, [&](std::int64_t from, std::int64_t to) {
            for (std::int64_t r = from; r < to; ++r) {
                const std::int64_t i = begin + r;
                float* out = rdm.values.data() + rdm.index(i, i + 1);
                const float* row = g + r * width + (i - begin) + 1; // columns j = i+1 .. n-1
                const std::int64_t count = n - i - 1;
                if (sq) {
                    for (std::int64_t c = 0; c < count; ++c) {
                        const float d2 = std::max(sq[i] + sq[i + 1 + c] - 2 * row[c], 0.0f);
                        out[c] = method == RdmMethod::Euclidean ? std::sqrt(d2) : d2; // gaussian: d² for now
                    }
                } else {
                    for (std::int64_t c = 0; c < count; ++c)
                        out[c] = 1.0f - row[c];
                }
            }
        });
        context.report(double(end) / double(n), "model RDM");
    }
    if (method == RdmMethod::Gaussian) {
        double sum = 0;
        for (float d2 : rdm.values)
            sum += d2;
        const double bandwidth = sum / double(rdm.values.size());
        if (bandwidth <= 0)
            return makeError(features.origin, "",
                             "all feature rows are identical; gaussian RDM is undefined");
        for (float& d2 : rdm.values)
            d2 = float(1.0 - std::exp(-double(d2) / bandwidth));
    } else if (exponent != 0) {
        for (float& d : rdm.values)
            d = float(std::ldexp(double(d), -exponent));
    }
    for (size_t k = 0; k < rdm.values.size(); ++k)
        if (!std::isfinite(rdm.values[k]))
            return makeError(features.origin, "",
                             std::string(rdmMethodName(method)) +
                                 " RDM has a non-finite entry (feature values out of float range)");
    return rdm;
}

Result<CondensedMatrix> condense(const std::vector<float>& square, std::int64_t n,
                                 SimilarityMatrix::Kind kind, const std::string& name)
{
    if (n < 3 || std::int64_t(square.size()) != n * n)
        return makeError(name, "", "expected an n×n matrix with n >= 3");
    CondensedMatrix rdm;
    rdm.n = n;
    rdm.values.reserve(size_t(CondensedMatrix::pairCount(n)));
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = i + 1; j < n; ++j) {
            const float upper = square[size_t(i * n + j)], lower = square[size_t(j * n + i)];
            if (!std::isfinite(upper))
                return makeError(name, "row " + std::to_string(i + 1) + ", column " + std::to_string(j + 1),
                                 "not a finite value");
            if (std::fabs(upper - lower) > 1e-4f * std::max(1.0f, std::fabs(upper)))
                return makeError(name, "row " + std::to_string(i + 1) + ", column " + std::to_string(j + 1),
                                 "matrix is not symmetric (" + std::to_string(upper) + " vs " +
                                     std::to_string(lower) + ")");
            const float value = (upper + lower) / 2;
            rdm.values.push_back(kind == SimilarityMatrix::Kind::Similarity ? 1.0f - value : value);
        }
    return rdm;
}

namespace {

// Inputs with a non-finite entry give meaningless correlations: refuse them instead.
Status checkFinite(const CondensedMatrix& a, const CondensedMatrix& b)
{
    for (const CondensedMatrix* rdm : {&a, &b})
        for (float v : rdm->values)
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

Result<double> compareChecked(const CondensedMatrix& a, const CondensedMatrix& b, CompareMethod method,
                              const TaskContext& context)
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

} // namespace

Result<double> compareRdms(const CondensedMatrix& a, const CondensedMatrix& b, CompareMethod method,
                           const TaskContext& context)
{
    if (a.n != b.n)
        return makeError("", "",
                         "RDMs cover " + std::to_string(a.n) + " and " + std::to_string(b.n) + " stimuli");
    if (a.values.size() < 2) return makeError("", "", "too few pairs to compare");
    if (auto finite = checkFinite(a, b); !finite) return finite.error();
    return finiteOrError(compareChecked(a, b, method, context));
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
    CondensedMatrix out;
    out.n = std::int64_t(stimuli.size());
    out.values.reserve(size_t(CondensedMatrix::pairCount(out.n)));
    for (size_t x = 0; x < stimuli.size(); ++x)
        for (size_t y = x + 1; y < stimuli.size(); ++y)
            if (stimuli[x] != stimuli[y]) out.values.push_back(rdm.at(stimuli[x], stimuli[y]));
    return out;
}

RsaInterval bootstrapStimuli(const CondensedMatrix& a, const CondensedMatrix& b, CompareMethod method,
                             int replicates, std::uint64_t seed, const TaskContext& context)
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
        CondensedMatrix sa = subset(a, stimuli), sb = subset(b, stimuli);
        sa.n = sb.n = 0; // pairs only; n is not meaningful after dropping self-pairs
        auto r2 = compareRdms(CondensedMatrix{0, std::move(sa.values)},
                              CondensedMatrix{0, std::move(sb.values)}, method);
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
