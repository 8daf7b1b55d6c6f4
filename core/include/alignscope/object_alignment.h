#pragma once
// Odd-one-out alignment per object: how often a model picks the human odd one out in the triplets that
// contain an object (in any position), and how often every model fails there. Objects are named by their
// stimulus ID.

#include "alignscope/alignment_stats.h"
#include "alignscope/data_model.h"
#include "alignscope/odd_one_out.h"
#include "alignscope/progress.h"
#include "alignscope/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace alignscope {

struct OddOneOutAnalysis;

// One object under one model. A triplet that names an object twice counts once for it. A tie (choice -1)
// is a triplet the model got wrong, as in the overall accuracy.
struct ObjectAccuracy
{
    std::string id;            // the stimulus ID
    std::int64_t triplets = 0; // triplets that contain the object
    std::int64_t correct = 0;
    std::int64_t ties = 0;
    double accuracy = 0; // NaN when no triplet contains the object
    // The percentile bootstrap over the object's triplets, the overall accuracy's method (one binomial draw
    // per replicate, drawn by inverse CDF); NaN when no triplet contains the object.
    Interval ci95;
};

// Per stimulus (in stimulus order). The interval of stimulus s is seeded with seed + s. Fails when the
// choices do not belong to the triplets, or when some triplet met a non-finite similarity (`undecided`): such
// a choice says nothing about the object and no accuracy is reported, as for the whole model.
Result<std::vector<ObjectAccuracy>> perObjectAccuracy(const StimulusSet& stimuli, const TripletSet& triplets,
                                                      const ModelChoices& choices, int replicates,
                                                      std::uint64_t seed);

// Per stimulus: the share of its triplets where no model picks the human odd one out (ties are wrong).
struct ObjectFailure
{
    std::string id;
    std::int64_t triplets = 0;
    std::int64_t allWrong = 0;
    double share = 0; // NaN when no triplet contains the object
};
Result<std::vector<ObjectFailure>> allModelsWrongPerObject(const StimulusSet& stimuli,
                                                           const TripletSet& triplets,
                                                           const std::vector<const ModelChoices*>& models);

// Every model of an analysis (models × objects, intervals seeded with the analysis's seed + 5 + stimulus)
// and the objects where they all fail.
struct PerObjectAlignment
{
    std::vector<std::vector<ObjectAccuracy>> models; // analysis.models order, then stimulus order
    std::vector<ObjectFailure> allModelsWrong;
};
Result<PerObjectAlignment> perObjectAlignment(const OddOneOutAnalysis& analysis,
                                              const TaskContext& context = {});

} // namespace alignscope
