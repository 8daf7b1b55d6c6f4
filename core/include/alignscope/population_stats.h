#pragma once
// Statistics over a population of models (one value per model): does a metadata column or another result
// explain a result? Correlations with bootstrap intervals over models and permutation p-values for numeric
// columns; the share of variance a categorical column explains (η²) with a permutation p-value, and pairwise
// group differences with Holm-corrected permutation p-values. Every random draw is seeded: the same inputs
// and seed give the same numbers. methods.md says what each statistic is.

#include "alignscope/alignment_stats.h"
#include "alignscope/progress.h"
#include "alignscope/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace alignscope {

// Fewer models than this give no interval and no p-value (a note says so instead).
constexpr int kMinModelsForStatistics = 4;

struct PopulationOptions
{
    int bootstrap = 1000;     // replicates over models for the intervals
    int permutations = 10000; // for the p-values
    std::uint64_t seed = 0;
};

struct CorrelationStatistic
{
    double r = 0;                 // NaN when a variable is constant
    std::optional<Interval> ci95; // percentile bootstrap over models
    std::optional<double> pValue; // two-sided permutation test, (count + 1) / (permutations + 1)
    int models = 0;
    std::string note; // why there is no interval or p-value, else empty
};

// Pearson's and Spearman's (average ranks for ties, as scipy.stats) correlation of x and y over models; x and
// y are one value per model, finite (an error names the first that is not).
// Every statistic is scale-free: values of any finite magnitude (1e-300 or 1e300) give the p-values and
// correlations they give at unit scale. A cancelled context ends the resampling with an error.
Result<CorrelationStatistic> pearsonOverModels(const std::vector<double>& x, const std::vector<double>& y,
                                               const PopulationOptions& options,
                                               const TaskContext& context = {});
Result<CorrelationStatistic> spearmanOverModels(const std::vector<double>& x, const std::vector<double>& y,
                                                const PopulationOptions& options,
                                                const TaskContext& context = {});

struct GroupSummary
{
    std::string level;
    int models = 0;
    double mean = 0;
    std::optional<Interval> ci95; // bootstrap over the group's models (from 2 models)
};

struct GroupDifference
{
    std::string a, b;
    double difference = 0; // mean(a) − mean(b)
    double pValue = 1;     // permutation of the two groups' labels
    double pHolm = 1;      // Holm-corrected over all pairs
};

struct FactorStatistic
{
    double etaSquared = 0; // between-group sum of squares / total sum of squares
    std::optional<double> pValue;
    std::vector<GroupSummary> groups; // in order of first appearance
    std::vector<GroupDifference> pairs;
    int models = 0;
    std::string note;
};

// How much of `values` a categorical column (`levels`, one per model) explains.
Result<FactorStatistic> factorOverModels(const std::vector<double>& values,
                                         const std::vector<std::string>& levels,
                                         const PopulationOptions& options, const TaskContext& context = {});

// Holm's step-down correction of p-values (returned in the input's order).
std::vector<double> holmCorrection(const std::vector<double>& pValues);

} // namespace alignscope
