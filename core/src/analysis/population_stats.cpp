#include "alignscope/population_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace alignscope {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Status requireFinite(const std::vector<double>& values, const char* name)
{
    for (size_t m = 0; m < values.size(); ++m)
        if (!std::isfinite(values[m]))
            return makeError("", std::string(name) + " of model " + std::to_string(m + 1),
                             "not a finite number");
    return okStatus();
}

double pearson(const std::vector<double>& x, const std::vector<double>& y)
{
    const double n = double(x.size());
    const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
    const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t m = 0; m < x.size(); ++m) {
        sxy += (x[m] - mx) * (y[m] - my);
        sxx += (x[m] - mx) * (x[m] - mx);
        syy += (y[m] - my) * (y[m] - my);
    }
    if (!(sxx > 0) || !(syy > 0)) return kNaN;
    return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

// Average ranks (1-based) with ties sharing their mean rank, as scipy.stats.rankdata.
std::vector<double> averageRanks(const std::vector<double>& values)
{
    std::vector<size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
    std::vector<double> ranks(values.size());
    for (size_t begin = 0; begin < order.size();) {
        size_t end = begin + 1;
        while (end < order.size() && values[order[end]] == values[order[begin]])
            ++end;
        const double rank = (double(begin + 1) + double(end)) / 2;
        for (size_t k = begin; k < end; ++k)
            ranks[order[k]] = rank;
        begin = end;
    }
    return ranks;
}

// The exponent that scales `values` by a power of two (exact) so that the largest magnitude is in [1, 2):
// sums of squares then neither overflow (|x| ≳ 1e154) nor underflow, and tolerances are relative to the data.
int unitExponent(const std::vector<double>& values)
{
    double largest = 0;
    for (double v : values)
        largest = std::max(largest, std::abs(v));
    return largest > 0 ? -std::ilogb(largest) : 0;
}

std::vector<double> scaled(std::vector<double> values, int exponent)
{
    for (double& v : values)
        v = std::ldexp(v, exponent);
    return values;
}

// Permutation statistics equal to the observed one up to rounding count as extreme: the tolerance is relative
// (the statistics here are at most about 1 in magnitude once the data are at unit scale).
constexpr double kTies = 1e-12;

Error cancelled()
{
    return Error{"", "", "cancelled"};
}

std::string tooFew(size_t models)
{
    return "only " + std::to_string(models) + " models: intervals and p-values need at least " +
           std::to_string(kMinModelsForStatistics);
}

Result<CorrelationStatistic> correlationOverModels(std::vector<double> x, std::vector<double> y,
                                                   const PopulationOptions& options,
                                                   const TaskContext& context)
{
    if (x.size() != y.size())
        return makeError("", "",
                         "one value per model in both variables: " + std::to_string(x.size()) + " and " +
                             std::to_string(y.size()));
    if (auto status = requireFinite(x, "x"); !status) return status.error();
    if (auto status = requireFinite(y, "y"); !status) return status.error();
    x = scaled(std::move(x), unitExponent(x));
    y = scaled(std::move(y), unitExponent(y));
    CorrelationStatistic out;
    out.models = int(x.size());
    out.r = x.size() >= 2 ? pearson(x, y) : kNaN;
    if (std::isnan(out.r)) {
        out.note = x.size() < 2 ? tooFew(x.size()) : "a variable is constant over the models";
        return out;
    }
    if (out.models < kMinModelsForStatistics) {
        out.note = tooFew(x.size());
        return out;
    }
    std::mt19937_64 rng(options.seed);
    if (options.bootstrap > 0) {
        std::uniform_int_distribution<size_t> pick(0, x.size() - 1);
        std::vector<double> rs, bx(x.size()), by(y.size());
        for (int b = 0; b < options.bootstrap; ++b) {
            if (context.cancelled()) return cancelled();
            for (size_t m = 0; m < x.size(); ++m) {
                const size_t drawn = pick(rng);
                bx[m] = x[drawn], by[m] = y[drawn];
            }
            if (const double r = pearson(bx, by); !std::isnan(r)) rs.push_back(r);
        }
        if (!rs.empty()) out.ci95 = percentileInterval(std::move(rs));
    }
    if (options.permutations > 0) {
        std::vector<double> shuffled = y;
        std::int64_t extreme = 0;
        for (int p = 0; p < options.permutations; ++p) {
            if (context.cancelled()) return cancelled();
            std::shuffle(shuffled.begin(), shuffled.end(), rng);
            extreme += std::abs(pearson(x, shuffled)) >= std::abs(out.r) - kTies;
        }
        out.pValue = double(extreme + 1) / double(options.permutations + 1);
    }
    return out;
}

double mean(const std::vector<double>& values)
{
    return std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
}

// η² of values grouped by group[m] (0-based group numbers).
double etaSquared(const std::vector<double>& values, const std::vector<int>& group, int groups)
{
    const double grand = mean(values);
    std::vector<double> sum(size_t(groups), 0.0);
    std::vector<int> count(size_t(groups), 0);
    double total = 0;
    for (size_t m = 0; m < values.size(); ++m) {
        sum[size_t(group[m])] += values[m];
        ++count[size_t(group[m])];
        total += (values[m] - grand) * (values[m] - grand);
    }
    if (!(total > 0)) return kNaN;
    double between = 0;
    for (size_t g = 0; g < sum.size(); ++g)
        if (count[g] > 0) between += count[g] * (sum[g] / count[g] - grand) * (sum[g] / count[g] - grand);
    return between / total;
}

} // namespace

Result<CorrelationStatistic> pearsonOverModels(const std::vector<double>& x, const std::vector<double>& y,
                                               const PopulationOptions& options, const TaskContext& context)
{
    return correlationOverModels(x, y, options, context);
}

Result<CorrelationStatistic> spearmanOverModels(const std::vector<double>& x, const std::vector<double>& y,
                                                const PopulationOptions& options, const TaskContext& context)
{
    if (auto status = requireFinite(x, "x"); !status) return status.error();
    if (auto status = requireFinite(y, "y"); !status) return status.error();
    return correlationOverModels(averageRanks(x), averageRanks(y), options, context);
}

std::vector<double> holmCorrection(const std::vector<double>& pValues)
{
    std::vector<size_t> order(pValues.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return pValues[a] < pValues[b]; });
    std::vector<double> adjusted(pValues.size());
    double running = 0;
    for (size_t k = 0; k < order.size(); ++k) {
        running = std::max(running, std::min(1.0, double(order.size() - k) * pValues[order[k]]));
        adjusted[order[k]] = running;
    }
    return adjusted;
}

Result<FactorStatistic> factorOverModels(const std::vector<double>& original,
                                         const std::vector<std::string>& levels,
                                         const PopulationOptions& options, const TaskContext& context)
{
    if (original.size() != levels.size())
        return makeError("", "",
                         "one level per model: " + std::to_string(original.size()) + " values and " +
                             std::to_string(levels.size()) + " levels");
    if (auto status = requireFinite(original, "value"); !status) return status.error();
    // Computed at unit scale (exact), reported in the values' own units.
    const int exponent = unitExponent(original);
    const std::vector<double> values = scaled(original, exponent);
    auto inUnits = [exponent](double v) { return std::ldexp(v, -exponent); };
    FactorStatistic out;
    out.models = int(values.size());
    std::vector<int> group(values.size());
    for (size_t m = 0; m < values.size(); ++m) {
        auto it = std::find_if(out.groups.begin(), out.groups.end(),
                               [&](const GroupSummary& g) { return g.level == levels[m]; });
        if (it == out.groups.end()) {
            it = out.groups.insert(out.groups.end(), GroupSummary{});
            it->level = levels[m];
        }
        group[m] = int(it - out.groups.begin());
        ++it->models;
    }
    const int groups = int(out.groups.size());
    std::vector<std::vector<double>> members(static_cast<size_t>(groups));
    for (size_t m = 0; m < values.size(); ++m)
        members[size_t(group[m])].push_back(values[m]);
    std::mt19937_64 rng(options.seed);
    for (size_t g = 0; g < members.size(); ++g) {
        out.groups[g].mean = mean(members[g]);
        if (members[g].size() < 2 || options.bootstrap <= 0) continue;
        std::uniform_int_distribution<size_t> pick(0, members[g].size() - 1);
        std::vector<double> means;
        for (int b = 0; b < options.bootstrap; ++b) {
            if (context.cancelled()) return cancelled();
            double sum = 0;
            for (size_t k = 0; k < members[g].size(); ++k)
                sum += members[g][pick(rng)];
            means.push_back(sum / double(members[g].size()));
        }
        out.groups[g].ci95 = percentileInterval(std::move(means));
    }
    auto reportInUnits = [&] {
        for (GroupSummary& g : out.groups) {
            g.mean = inUnits(g.mean);
            if (g.ci95) *g.ci95 = {inUnits(g.ci95->low), inUnits(g.ci95->high)};
        }
        for (GroupDifference& pair : out.pairs)
            pair.difference = inUnits(pair.difference);
        return out;
    };
    out.etaSquared = values.empty() ? kNaN : etaSquared(values, group, groups);
    if (groups < 2) {
        out.note = "one group: nothing to compare";
        return reportInUnits();
    }
    if (std::isnan(out.etaSquared)) {
        out.note = "the values are constant over the models";
        return reportInUnits();
    }
    if (out.models < kMinModelsForStatistics) {
        out.note = tooFew(values.size());
        return reportInUnits();
    }
    if (options.permutations <= 0) return reportInUnits();
    std::vector<int> shuffled = group;
    std::int64_t extreme = 0;
    for (int p = 0; p < options.permutations; ++p) {
        if (context.cancelled()) return cancelled();
        std::shuffle(shuffled.begin(), shuffled.end(), rng);
        extreme += etaSquared(values, shuffled, groups) >= out.etaSquared - kTies;
    }
    out.pValue = double(extreme + 1) / double(options.permutations + 1);
    std::vector<double> raw;
    for (int a = 0; a < groups; ++a)
        for (int b = a + 1; b < groups; ++b) {
            GroupDifference pair;
            pair.a = out.groups[size_t(a)].level;
            pair.b = out.groups[size_t(b)].level;
            pair.difference = out.groups[size_t(a)].mean - out.groups[size_t(b)].mean;
            std::vector<double> pooled = members[size_t(a)];
            pooled.insert(pooled.end(), members[size_t(b)].begin(), members[size_t(b)].end());
            const size_t first = members[size_t(a)].size();
            std::int64_t beyond = 0;
            for (int p = 0; p < options.permutations; ++p) {
                if (context.cancelled()) return cancelled();
                std::shuffle(pooled.begin(), pooled.end(), rng);
                const double left =
                    std::accumulate(pooled.begin(), pooled.begin() + std::ptrdiff_t(first), 0.0) /
                    double(first);
                const double right =
                    std::accumulate(pooled.begin() + std::ptrdiff_t(first), pooled.end(), 0.0) /
                    double(pooled.size() - first);
                beyond += std::abs(left - right) >= std::abs(pair.difference) - kTies;
            }
            pair.pValue = double(beyond + 1) / double(options.permutations + 1);
            raw.push_back(pair.pValue);
            out.pairs.push_back(pair);
        }
    const std::vector<double> adjusted = holmCorrection(raw);
    for (size_t k = 0; k < out.pairs.size(); ++k)
        out.pairs[k].pHolm = adjusted[k];
    return reportInUnits();
}

} // namespace alignscope
