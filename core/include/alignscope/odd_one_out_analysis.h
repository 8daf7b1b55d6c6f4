#pragma once
// A complete odd-one-out analysis of several models on one triplet set: what the CLI prints and the GUI
// shows. Synchronous; cancellable; progress over models.

#include "alignscope/alignment_stats.h"
#include "alignscope/concept_breakdown.h"
#include "alignscope/odd_one_out.h"

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace alignscope {

struct ModelAnalysis
{
    std::string name;
    FeatureMatrix features;        // rows in stimulus order
    PairwiseSimilarity similarity; // points at `features`; keep the object where it is
    ModelChoices choices;
    Interval ci95;
    Interval ci95Objects;
    std::vector<ConceptAccuracy> perConcept; // empty without a concept space
    std::string fingerprint;                 // oddOneOutFingerprint of its inputs
};

// Results of an earlier analysis, kept in a project: when the inputs' fingerprint matches, restoring them
// skips computing the choices (only the similarities the views need are recomputed). Restored choices are
// verified first (one value in -1..2 per triplet, agreeing with the model's own similarities where those
// decide clearly) and everything shown is recounted from them; the saved statistics are not used.
struct OddOneOutCache
{
    struct Model
    {
        std::string fingerprint; // of the shared inputs and this model's name and features
        std::string name;
        ModelChoices choices;
        Interval ci95;
        Interval ci95Objects;
        std::vector<ConceptAccuracy> perConcept;
        std::string source = {}; // where the choices were read from: named when they do not verify
    };
    std::vector<Model> models;
};

struct OddOneOutAnalysis
{
    std::shared_ptr<const StimulusSet> stimuli;
    std::shared_ptr<const TripletSet> triplets;
    OddOneOutOptions options;
    std::deque<ModelAnalysis> models; // deque: element addresses stay valid
    TripletRepeats repeats;
    std::optional<ConceptAssignment> concepts;
    std::vector<std::string> conceptLabels;
    int bootstrapReplicates = 1000;
    std::uint64_t seed = 0;
    bool restoredFromCache = false; // every model's results came from AnalysisRequest::cache
    // Saved choices that matched a model's fingerprint but did not verify: "<source>: <why>; recomputed".
    std::vector<std::string> cacheProblems;
};

struct AnalysisRequest
{
    std::shared_ptr<const StimulusSet> stimuli;
    std::shared_ptr<const TripletSet> triplets;
    std::vector<std::pair<std::string, FeatureMatrix>> models; // name, features in stimulus order
    std::optional<ConceptSpace> concepts;                      // rows in stimulus order
    std::vector<std::string> conceptLabels;                    // empty: automatic labels
    OddOneOutOptions options;
    int topK = 1;
    int bootstrapReplicates = 1000;
    std::uint64_t seed = 0;
    std::shared_ptr<const OddOneOutCache> cache; // used only when its fingerprint matches
    // The repeats of these same triplets from an earlier analysis (they depend on nothing else): not grouped
    // again. Null: grouped here.
    std::shared_ptr<const TripletRepeats> repeats;
    bool fingerprints =
        true; // false: no SHA-256 of the inputs (results that are never cached, as in the CLI)
};

// SHA-256 over the stimuli, triplets, concept space, labels and options (oddOneOutSharedDigest, the same for
// every model), and one model's name and features.
std::string oddOneOutSharedDigest(const AnalysisRequest& request);
std::string oddOneOutFingerprint(const AnalysisRequest& request, size_t model,
                                 const std::string& sharedDigest);
std::string oddOneOutFingerprint(const AnalysisRequest& request, size_t model);
OddOneOutCache cacheOf(const OddOneOutAnalysis& analysis);

Result<std::unique_ptr<OddOneOutAnalysis>> analyseOddOneOut(AnalysisRequest request,
                                                            const TaskContext& context = {});

// Triplets where a model's choice differs from the human one (ties included), or agrees with it, as a
// listing shows them (the triplet browser lists through findDisagreements).
struct Disagreement
{
    std::int64_t triplet = 0;
    std::int8_t modelChoice = -1; // column the model picked, -1 for a tie
    float confidence = 0;         // the model's probability for its own pick
    float humanProbability = 0;   // the model's probability for the human choice
    std::int32_t dimension = -1;  // dominant concept dimension, -1 without concepts
    float consensus = 1;          // share of repeated responses agreeing with this one
    std::int32_t judgments = 1;   // with foldRepeats: how many judged this triplet
};

enum class DisagreementOrder
{
    Confidence, // the model's surest picks first
    Dimension,
    Consensus,
    Triplet // the triplets' order
};

enum class TripletAgreement
{
    Disagreements,
    Agreements,
    All
};

enum class ObjectMatch
{
    All, // triplets that contain every object listed
    Any  // triplets that contain at least one
};

struct DisagreementFilter
{
    TripletAgreement show = TripletAgreement::Disagreements;
    std::int32_t dimension =
        -1; // only triplets whose dominant concept this is (none without concepts); -1: all
    // Only triplets that contain these stimuli (indices into the analysis's objects, any position): with
    // ObjectMatch::All every one of them (an object's triplets; an RDM cell's pair), with Any at least one (a
    // map's lasso selection). An index outside the objects is in no triplet. Empty: every triplet.
    std::vector<std::int32_t> objects;
    ObjectMatch objectMatch = ObjectMatch::All;
    // A triplet judged several times is listed once: its first judgment with the highest consensus, with
    // `judgments` counting them.
    bool foldRepeats = false;
    DisagreementOrder order = DisagreementOrder::Confidence;
    // Fill confidence and humanProbability: a softmax per row, most of the time of a long listing (4 M rows:
    // 1.3 s against 0.08 s without). Always computed when ordered by confidence.
    bool probabilities = true;
};

// Ties of the order go by confidence (when computed), then by triplet. Empty when cancelled.
std::vector<Disagreement> findDisagreements(const OddOneOutAnalysis& analysis, size_t model,
                                            const DisagreementFilter& filter,
                                            const TaskContext& context = {});
inline std::vector<Disagreement> findDisagreements(const OddOneOutAnalysis& analysis, size_t model,
                                                   DisagreementOrder order)
{
    DisagreementFilter filter;
    filter.order = order;
    return findDisagreements(analysis, model, filter);
}

} // namespace alignscope
