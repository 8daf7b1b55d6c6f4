#include "alignscope/object_alignment.h"

#include "alignscope/odd_one_out_analysis.h"

#include "parallel_for.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <random>

namespace alignscope {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Status checkChoices(const StimulusSet& stimuli, const TripletSet& triplets, const ModelChoices& choices)
{
    if (choices.size() != triplets.size())
        return makeError(triplets.origin, "",
                         std::to_string(choices.size()) + " choices for " + std::to_string(triplets.size()) +
                             " triplets");
    if (choices.undecided > 0)
        return makeError(triplets.origin, "",
                         std::to_string(choices.undecided) +
                             " triplets met a non-finite similarity; no per-object accuracy is reported");
    const std::uint32_t objects = std::uint32_t(std::min<size_t>(stimuli.size(), INT32_MAX));
    for (const std::int32_t index : triplets.indices)
        if (std::uint32_t(index) >= objects)
            return makeError(triplets.origin, "",
                             "triplet index " + std::to_string(index) + " outside the " +
                                 std::to_string(stimuli.size()) + " objects");
    return okStatus();
}

// The percentile bootstrap over an object's triplets, as bootstrapTripletInterval draws it (each replicate's
// number correct is one Binomial(total, correct/total) draw, the 2.5% and 97.5% percentiles interpolated as
// percentileInterval does), with the draws made by inverse CDF from the binomial's table through a guide
// table: std::binomial_distribution's rejection sampler and a sort per object took most of a second for
// 1,854 objects × 1,000 replicates. The table spans the counts whose probability is above 1e-20 of the
// mode's (a 64-bit uniform draw cannot reach the rest).
Interval binomialBootstrapInterval(std::int64_t correct, std::int64_t total, int replicates,
                                   std::uint64_t seed)
{
    if (total <= 0 || replicates <= 0) return {};
    const double n = double(total), p = double(correct) / n;
    if (correct == 0 || correct == total) return {p, p};
    const double ratio = p / (1 - p);
    const std::int64_t mode = std::min(total, std::int64_t(std::floor((n + 1) * p)));
    constexpr double kNegligible = 1e-20;
    std::vector<double> below{1.0}, above; // relative probabilities at mode − i and mode + 1 + i
    for (std::int64_t x = mode; x > 0 && below.back() > kNegligible; --x)
        below.push_back(below.back() * double(x) / (n - double(x) + 1) / ratio);
    for (double value = 1.0, x = double(mode); x < n; ++x) {
        value *= (n - x) / (x + 1) * ratio;
        if (value <= kNegligible) break;
        above.push_back(value);
    }
    const std::int64_t lowest = mode - std::int64_t(below.size()) + 1;
    std::vector<double> cdf;
    cdf.reserve(below.size() + above.size());
    double sum = 0;
    for (auto it = below.rbegin(); it != below.rend(); ++it)
        cdf.push_back(sum += *it);
    for (double value : above)
        cdf.push_back(sum += value);
    const size_t size = cdf.size();
    std::vector<std::uint32_t> guide(size); // guide[g]: the first entry whose cdf exceeds g·sum/size
    for (size_t g = 0, entry = 0; g < size; ++g) {
        while (entry + 1 < size && cdf[entry] <= sum * double(g) / double(size))
            ++entry;
        guide[g] = std::uint32_t(entry);
    }
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> uniform(0.0, sum);
    std::vector<std::int32_t> drawn(size, 0);
    for (int r = 0; r < replicates; ++r) {
        const double u = uniform(rng);
        size_t entry = guide[std::min(size - 1, size_t(u / sum * double(size)))];
        while (entry + 1 < size && cdf[entry] <= u)
            ++entry;
        ++drawn[entry];
    }
    // The sorted replicates are the table's counts in order: the value at a position is found by counting.
    auto sortedAt = [&](std::int64_t position) {
        std::int64_t seen = 0;
        for (size_t entry = 0; entry < size; ++entry)
            if ((seen += drawn[entry]) > position) return double(lowest + std::int64_t(entry)) / n;
        return double(lowest + std::int64_t(size) - 1) / n;
    };
    auto at = [&](double q) {
        const double position = q * double(replicates - 1);
        const std::int64_t under = std::int64_t(std::floor(position));
        const std::int64_t over = std::min<std::int64_t>(replicates - 1, under + 1);
        const double low = sortedAt(under);
        return low + (position - double(under)) * (sortedAt(over) - low);
    };
    return {at(0.025), at(0.975)};
}

// Adds `value` to each distinct object of triplet t (an object named twice counts once).
template <class Add> void forEachObject(const TripletSet& triplets, size_t t, const Add& add)
{
    const std::int32_t i = triplets.at(t, 0), j = triplets.at(t, 1), k = triplets.at(t, 2);
    add(i);
    if (j != i) add(j);
    if (k != i && k != j) add(k);
}

} // namespace

Result<std::vector<ObjectAccuracy>> perObjectAccuracy(const StimulusSet& stimuli, const TripletSet& triplets,
                                                      const ModelChoices& choices, int replicates,
                                                      std::uint64_t seed)
{
    if (auto status = checkChoices(stimuli, triplets, choices); !status) return status.error();
    std::vector<ObjectAccuracy> out(stimuli.size());
    // Three counters per object, interleaved (one cache line per object), per chunk of triplets on the
    // OpenMP threads, then summed.
    std::vector<std::vector<std::int64_t>> partial;
    std::mutex merging;
    const std::int8_t* choice = choices.choice.data();
    parallelFor(std::int64_t(triplets.size()), 1 << 18, [&](std::int64_t begin, std::int64_t end) {
        std::vector<std::int64_t> local(3 * stimuli.size(), 0);
        for (std::int64_t t = begin; t < end; ++t) {
            const std::int64_t correct = choice[t] == 2, tie = choice[t] < 0;
            forEachObject(triplets, size_t(t), [&](std::int32_t o) {
                std::int64_t* c = &local[3 * size_t(o)];
                c[0] += 1;
                c[1] += correct;
                c[2] += tie;
            });
        }
        const std::lock_guard<std::mutex> lock(merging);
        partial.push_back(std::move(local));
    });
    std::vector<std::int64_t> counts(3 * stimuli.size(), 0);
    for (const auto& local : partial)
        for (size_t c = 0; c < counts.size(); ++c)
            counts[c] += local[c];
    // The intervals are independent per object (each its own seeded generator): spread over the threads.
    parallelFor(std::int64_t(out.size()), 64, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t s = begin; s < end; ++s) {
            ObjectAccuracy& object = out[size_t(s)];
            object.id = stimuli.id(size_t(s));
            object.triplets = counts[3 * size_t(s)];
            object.correct = counts[3 * size_t(s) + 1];
            object.ties = counts[3 * size_t(s) + 2];
            object.accuracy = object.triplets ? double(object.correct) / double(object.triplets) : kNaN;
            object.ci95 = object.triplets ? binomialBootstrapInterval(object.correct, object.triplets,
                                                                      replicates, seed + std::uint64_t(s))
                                          : Interval{kNaN, kNaN};
        }
    });
    return out;
}

Result<std::vector<ObjectFailure>> allModelsWrongPerObject(const StimulusSet& stimuli,
                                                           const TripletSet& triplets,
                                                           const std::vector<const ModelChoices*>& models)
{
    if (models.empty()) return makeError("", "", "no models");
    for (const ModelChoices* choices : models)
        if (auto status = checkChoices(stimuli, triplets, *choices); !status) return status.error();
    // Which triplets some model gets right, one model at a time (a loop the compiler vectorises).
    std::vector<std::uint8_t> someRight(triplets.size(), 0);
    for (const ModelChoices* choices : models) {
        const std::int8_t* choice = choices->choice.data();
        std::uint8_t* right = someRight.data();
        for (size_t t = 0; t < triplets.size(); ++t)
            right[t] |= choice[t] == 2;
    }
    std::vector<std::int64_t> counts(2 * stimuli.size(), 0);
    for (size_t t = 0; t < triplets.size(); ++t) {
        const std::int64_t allWrong = !someRight[t];
        forEachObject(triplets, t, [&](std::int32_t o) {
            counts[2 * size_t(o)] += 1;
            counts[2 * size_t(o) + 1] += allWrong;
        });
    }
    std::vector<ObjectFailure> out(stimuli.size());
    for (size_t s = 0; s < out.size(); ++s) {
        out[s].id = stimuli.id(s);
        out[s].triplets = counts[2 * s];
        out[s].allWrong = counts[2 * s + 1];
        out[s].share = out[s].triplets ? double(out[s].allWrong) / double(out[s].triplets) : kNaN;
    }
    return out;
}

Result<PerObjectAlignment> perObjectAlignment(const OddOneOutAnalysis& analysis, const TaskContext& context)
{
    if (!analysis.stimuli || !analysis.triplets)
        return makeError("", "", "objects and triplets are required");
    PerObjectAlignment out;
    std::vector<const ModelChoices*> choices;
    for (const ModelAnalysis& model : analysis.models) {
        if (context.cancelled()) return makeError("", "", "cancelled");
        auto objects = perObjectAccuracy(*analysis.stimuli, *analysis.triplets, model.choices,
                                         analysis.bootstrapReplicates, analysis.seed + 5);
        if (!objects) return Error{model.name, objects.error().position, objects.error().reason};
        out.models.push_back(std::move(objects).value());
        choices.push_back(&model.choices);
    }
    if (choices.empty()) return out;
    auto failures = allModelsWrongPerObject(*analysis.stimuli, *analysis.triplets, choices);
    if (!failures) return failures.error();
    out.allModelsWrong = std::move(failures).value();
    return out;
}

} // namespace alignscope
