#pragma once
// RSA of several models against one human similarity matrix, plus what the RDM views need: stimulus
// orderings and the pairs where model and humans disagree most.

#include "alignscope/data_model.h"
#include "alignscope/progress.h"
#include "alignscope/rsa.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace alignscope {

struct RsaModelResult
{
    std::string name;
    CondensedMatrix rdm;
    double r = 0;
    std::optional<RsaInterval> ci95; // bootstrap over stimuli, when requested and affordable
    std::string fingerprint;         // rsaFingerprint of its inputs
};

// Correlations of an earlier analysis (see OddOneOutCache): with a matching fingerprint the model RDMs, the
// correlation and the (seeded) bootstrap interval are recomputed; nothing saved is shown, and a saved r or
// interval that differs from the recomputed one is named in cacheProblems.
struct RsaCache
{
    struct Model
    {
        std::string fingerprint; // of the human data, options and this model's features
        double r = 0;
        std::optional<RsaInterval> ci95;
        std::string source = {}; // where it was read from: named when it does not verify
    };
    std::vector<Model> models;
};

struct RsaAnalysis
{
    std::string dataset; // name of the human data
    std::shared_ptr<const StimulusSet> stimuli;
    CondensedMatrix human; // dissimilarities
    std::string humanOrigin;
    RdmMethod method = RdmMethod::Correlation;
    CompareMethod compare = CompareMethod::Spearman;
    std::vector<RsaModelResult> models;
    std::optional<ConceptSpace> concepts; // for ordering by dominant dimension
    bool restoredFromCache = false;       // every model's correlation came from RsaRequest::cache
    // Saved correlations that matched a model's fingerprint but not its RDMs: "<source>: <why>; recomputed".
    std::vector<std::string> cacheProblems;
};

struct RsaRequest
{
    std::string dataset;
    std::shared_ptr<const StimulusSet> stimuli;
    CondensedMatrix human;
    std::string humanOrigin;
    std::vector<std::pair<std::string, FeatureMatrix>> models;
    std::optional<ConceptSpace> concepts;
    RdmMethod method = RdmMethod::Correlation;
    CompareMethod compare = CompareMethod::Spearman;
    int bootstrapReplicates = 0;               // 0: no interval
    std::int64_t bootstrapPairLimit = 5000000; // larger matrices skip the bootstrap (minutes per model)
    std::uint64_t seed = 0;
    std::shared_ptr<const RsaCache> cache; // used only when its fingerprint matches
};

std::string rsaFingerprint(const RsaRequest& request, size_t model);
RsaCache cacheOf(const RsaAnalysis& analysis);

Result<std::shared_ptr<const RsaAnalysis>> analyseRsa(RsaRequest request, const TaskContext& context = {});

// Leaf order of average-linkage hierarchical clustering (nearest-neighbour chain; O(n²) memory, so
// limited to `maximumStimuli`; larger sets keep their order).
std::vector<std::int64_t> clusterOrder(const CondensedMatrix& rdm, std::int64_t maximumStimuli = 6000);
// Stable order by category name (uncategorised last), and by dominant concept dimension then its value.
std::vector<std::int64_t> categoryOrder(const StimulusSet& stimuli);
std::vector<std::int64_t> conceptOrder(const ConceptSpace& concepts);
// Each row's dominant concept dimension: the index of its largest value (the first of equal ones).
std::vector<int> dominantDimensions(const ConceptSpace& concepts);

// Ranks scaled to (0, 1], ties averaged: the rank-transformed display of an RDM.
CondensedMatrix rankTransformed(const CondensedMatrix& rdm);

// Pairs with the largest difference between their rank in `human` and in `model` (ranks scaled to [0, 1]).
struct DivergentPair
{
    std::int64_t i = 0, j = 0;
    float human = 0, model = 0;
    double rankDifference = 0; // model rank − human rank, in [−1, 1]
};
std::vector<DivergentPair> mostDivergentPairs(const CondensedMatrix& human, const CondensedMatrix& model,
                                              size_t count);

} // namespace alignscope
