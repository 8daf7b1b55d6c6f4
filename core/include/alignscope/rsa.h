#pragma once
// Representational similarity analysis: dissimilarity matrices stored condensed, their comparison, and
// statistics over stimuli and subjects.

#include "alignscope/data_model.h"
#include "alignscope/progress.h"
#include "alignscope/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace alignscope {

// Upper triangle (i < j) of a symmetric n×n dissimilarity matrix, row by row: the pair (i, j) is at
// i·n − i·(i+1)/2 + (j − i − 1), which is scipy's and MATLAB's condensed (pdist) order.
template <class Value> struct BasicCondensedMatrix
{
    std::int64_t n = 0;
    std::vector<Value> values; // n(n−1)/2

    static std::int64_t pairCount(std::int64_t n) { return n * (n - 1) / 2; }
    std::int64_t index(std::int64_t i, std::int64_t j) const { return i * n - i * (i + 1) / 2 + (j - i - 1); }
    Value at(std::int64_t i, std::int64_t j) const // i != j
    {
        return i < j ? values[size_t(index(i, j))] : values[size_t(index(j, i))];
    }
};

// float32: how RDMs are kept (model RDMs are computed in float64 and rounded once, a relative 6e-8; 26,107
// stimuli need 1.4 GB per RDM).
using CondensedMatrix = BasicCondensedMatrix<float>;
// float64: RDMs handed over in float64 (the Python module), compared without narrowing them.
using CondensedMatrix64 = BasicCondensedMatrix<double>;

enum class RdmMethod
{
    Cosine,
    Correlation,
    Euclidean,
    Gaussian
};
enum class CompareMethod
{
    Spearman,
    Pearson,
    KendallA,
    KendallB,
    Cosine
};

Result<RdmMethod> parseRdmMethod(const std::string& name);
const char* rdmMethodName(RdmMethod method);
Result<CompareMethod> parseCompareMethod(const std::string& name);
const char* compareMethodName(CompareMethod method);

// Model RDM from n×p features: 1 − cosine, 1 − Pearson correlation of rows, euclidean distance, or
// 1 − exp(−d²/σ) with σ the mean squared distance over pairs (gaussian/RBF). Computed in float64 in row
// blocks (euclidean and gaussian from column-centred features, so a large shared offset cancels exactly)
// and rounded once to float32.
Result<CondensedMatrix> modelRdm(const FeatureMatrix& features, RdmMethod method,
                                 const TaskContext& context = {});
// The same from float64 features (n×p row-major, finite), with no rounding before the products: a large
// shared offset in float64 features would otherwise be rounded to float32's steps first.
Result<CondensedMatrix> modelRdm(const double* features, std::int64_t rows, std::int64_t cols,
                                 const std::string& origin, RdmMethod method,
                                 const TaskContext& context = {});

// Condensed dissimilarities from a full matrix (row-major n×n). Similarities become 1 − s, which leaves
// rank and (up to sign, which flips back) linear correlations with a dissimilarity unchanged.
Result<CondensedMatrix> condense(const std::vector<float>& square, std::int64_t n,
                                 SimilarityMatrix::Kind kind, const std::string& name);
Result<CondensedMatrix64> condense(const std::vector<double>& square, std::int64_t n,
                                   SimilarityMatrix::Kind kind, const std::string& name);

// Correlation (or cosine) of the two upper triangles; Spearman uses average ranks for ties, Kendall τ-b
// corrects for ties in both, τ-a does not.
Result<double> compareRdms(const CondensedMatrix& a, const CondensedMatrix& b, CompareMethod method,
                           const TaskContext& context = {});
Result<double> compareRdms(const CondensedMatrix64& a, const CondensedMatrix64& b, CompareMethod method,
                           const TaskContext& context = {});

// Same result as compareRdms, but consumes both RDMs: Spearman then ranks each in place instead of
// copying, which keeps the peak near two RDMs plus one sort buffer (for tens of thousands of stimuli).
Result<double> compareRdmsConsuming(CondensedMatrix&& a, CondensedMatrix&& b, CompareMethod method,
                                    const TaskContext& context = {});

// The RDM restricted to `stimuli` (indices into the matrix; repeats allowed, pairs of a stimulus with
// itself are dropped) — used by the bootstrap over stimuli.
CondensedMatrix subset(const CondensedMatrix& rdm, const std::vector<std::int64_t>& stimuli);
CondensedMatrix64 subset(const CondensedMatrix64& rdm, const std::vector<std::int64_t>& stimuli);

struct RsaInterval
{
    double low = 0;
    double high = 0;
};

// 95% percentile interval of the comparison when stimuli are resampled with replacement.
RsaInterval bootstrapStimuli(const CondensedMatrix& a, const CondensedMatrix& b, CompareMethod method,
                             int replicates, std::uint64_t seed, const TaskContext& context = {});
RsaInterval bootstrapStimuli(const CondensedMatrix64& a, const CondensedMatrix64& b, CompareMethod method,
                             int replicates, std::uint64_t seed, const TaskContext& context = {});

// Noise ceiling from per-subject RDMs: upper = mean over subjects of r(subject, mean of all); lower =
// mean of r(subject, mean of the others).
struct NoiseCeiling
{
    double lower = 0;
    double upper = 0;
};
Result<NoiseCeiling> noiseCeiling(const std::vector<CondensedMatrix>& subjects, CompareMethod method);

} // namespace alignscope
