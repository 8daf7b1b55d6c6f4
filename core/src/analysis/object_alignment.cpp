#include "alignscope/object_alignment.h"

#include "alignscope/odd_one_out_analysis.h"

#include "parallel_for.h"

#include <limits>
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
    // Three counters per object, interleaved: the increments stay in one cache line per object.
    std::vector<std::int64_t> counts(3 * stimuli.size(), 0);
    const std::int8_t* choice = choices.choice.data();
    for (size_t t = 0; t < triplets.size(); ++t) {
        const std::int64_t correct = choice[t] == 2, tie = choice[t] < 0;
        forEachObject(triplets, t, [&](std::int32_t o) {
            std::int64_t* c = &counts[3 * size_t(o)];
            c[0] += 1;
            c[1] += correct;
            c[2] += tie;
        });
    }
    // The intervals are independent per object (each its own seeded generator): spread over the threads.
    parallelFor(std::int64_t(out.size()), 64, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t s = begin; s < end; ++s) {
            ObjectAccuracy& object = out[size_t(s)];
            object.id = stimuli.id(size_t(s));
            object.triplets = counts[3 * size_t(s)];
            object.correct = counts[3 * size_t(s) + 1];
            object.ties = counts[3 * size_t(s) + 2];
            object.accuracy = object.triplets ? double(object.correct) / double(object.triplets) : kNaN;
            object.ci95 = object.triplets ? bootstrapTripletInterval(object.correct, object.triplets,
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
    std::vector<std::int64_t> counts(2 * stimuli.size(), 0);
    for (size_t t = 0; t < triplets.size(); ++t) {
        bool allWrong = true;
        for (const ModelChoices* choices : models)
            allWrong = allWrong && !choices->isCorrect(t);
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
