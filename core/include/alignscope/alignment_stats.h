#pragma once
// Statistics over odd-one-out results: bootstrap intervals, noise ceiling from repeated triplets,
// agreement between models and paired comparisons. All random draws are seeded and deterministic.

#include "alignscope/data_model.h"
#include "alignscope/odd_one_out.h"
#include "alignscope/progress.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace alignscope {

struct Interval
{
    double low = 0;
    double high = 0;
};

// The 2.5% and 97.5% percentiles of `values` (linear interpolation, as numpy's default); empty when none.
Interval percentileInterval(std::vector<double> values);

// 95% percentile interval of accuracy when triplets are resampled with replacement. The number correct in
// a resample is Binomial(N, correct/N), so each replicate is one binomial draw rather than N lookups.
Interval bootstrapTripletInterval(std::int64_t correct, std::int64_t total, int replicates,
                                  std::uint64_t seed);

// 95% interval when objects are resampled with replacement: a triplet counts with weight m_i·m_j·m_k
// (the multiplicities of its objects), i.e. only triplets wholly inside the resample contribute.
Interval bootstrapObjectInterval(const TripletSet& triplets, const std::vector<std::int8_t>& choice,
                                 size_t objectCount, int replicates, std::uint64_t seed,
                                 const TaskContext& context = {});

// 95% interval over objects from the delete-one-object jackknife: accuracy θ_(o) without the triplets that
// contain object o, for every object that occurs in a triplet; SE² = (n−1)/n · Σ (θ_(o) − mean θ_(·))²,
// interval θ ± 1.96·SE. One pass over the triplets (no replicates); it agrees with bootstrapObjectInterval
// within Monte-Carlo error (tests/core/tst_object_interval.cpp, methods.md). Empty when fewer than 3 objects
// occur.
Interval jackknifeObjectInterval(const TripletSet& triplets, const std::vector<std::int8_t>& choice,
                                 size_t objectCount);

// Repeated triplets: the same unordered {i, j, k} judged more than once.
struct TripletRepeats
{
    // One judgment of a repeated triplet. Only these are kept, sorted by triplet (THINGS: thousands of a
    // few million triplets; per-triplet arrays were 57 MB of fresh memory, a tenth of a whole run).
    struct Member
    {
        std::int64_t triplet = 0;
        std::int64_t group = 0;
        float consensus = 1; // share of its group choosing the same odd one out
    };
    std::vector<Member> members;
    std::int64_t groups = 0; // groups with at least two responses
    std::int64_t repeatedResponses = 0;
    std::optional<double>
        agreement; // leave-one-out agreement with the others' majority (any number of groups)
    std::optional<double>
        noiseCeiling;        // that agreement, reported as the ceiling from kMinRepeatGroups groups on
    std::string ceilingNote; // why there is no ceiling when some triplets repeat, else empty

    // Triplet t's group, or -1 when it was judged once.
    std::int64_t groupOf(std::int64_t triplet) const
    {
        const Member* member = find(triplet);
        return member ? member->group : -1;
    }
    // Share of t's group choosing the same odd one out; 1 when it was judged once.
    float consensusOf(std::int64_t triplet) const
    {
        const Member* member = find(triplet);
        return member ? member->consensus : 1.0f;
    }

private:
    const Member* find(std::int64_t triplet) const;
};
// A ceiling from a handful of repeated triplets is noise (2 groups gave 0.8, a "normalised score" of 1.65).
constexpr std::int64_t kMinRepeatGroups = 20;
TripletRepeats analyseRepeats(const TripletSet& triplets);

// Normalised score (acc − 1/3)/(ceiling − 1/3); NaN (reported as null) when the ceiling is not above chance.
double normalisedScore(double accuracy, double ceiling);

// Share of triplets where two models pick the same column (ties included as a choice).
double choiceAgreement(const ModelChoices& a, const ModelChoices& b);

struct PairedComparison
{
    double difference = 0; // accuracy(a) - accuracy(b)
    Interval ci95;
    double pValue = 1; // two-sided permutation test (swapping the two models per triplet)
    std::int64_t onlyA = 0, onlyB = 0;
};
PairedComparison comparePaired(const ModelChoices& a, const ModelChoices& b, int replicates,
                               std::uint64_t seed);

} // namespace alignscope
