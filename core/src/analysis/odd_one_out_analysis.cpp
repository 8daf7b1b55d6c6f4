#include "alignscope/odd_one_out_analysis.h"

#include "alignscope/sha256.h"

#include <algorithm>
#include <future>

namespace alignscope {

std::string oddOneOutSharedDigest(const AnalysisRequest& request)
{
    Sha256 hash;
    auto text = [&](const std::string& value) {
        hash.update(value.data(), value.size());
        hash.update("\n", 1);
    };
    // v2: the object interval is the delete-one-object jackknife (v1 results held a bootstrap interval).
    text("odd-one-out-v2");
    if (request.stimuli)
        for (const std::string& id : request.stimuli->ids())
            text(id);
    if (request.triplets)
        hash.update(request.triplets->indices.data(),
                    request.triplets->indices.size() * sizeof(std::int32_t));
    text(std::string(similarityName(request.options.similarity)) + " " +
         std::to_string(request.options.temperature) + " " + std::to_string(request.topK) + " " +
         std::to_string(request.bootstrapReplicates) + " " + std::to_string(request.seed));
    if (request.concepts) {
        text("concepts " + std::to_string(request.concepts->n) + "x" + std::to_string(request.concepts->d));
        hash.update(request.concepts->values.data(), request.concepts->values.size() * sizeof(float));
    }
    for (const std::string& label : request.conceptLabels)
        text(label);
    return hash.hexDigest();
}

std::string oddOneOutFingerprint(const AnalysisRequest& request, size_t model,
                                 const std::string& sharedDigest)
{
    Sha256 hash;
    auto text = [&](const std::string& value) {
        hash.update(value.data(), value.size());
        hash.update("\n", 1);
    };
    text(sharedDigest);
    if (model < request.models.size()) {
        const auto& [name, features] = request.models[model];
        text(name + " " + std::to_string(features.rows) + "x" + std::to_string(features.cols));
        hash.update(features.data(), features.size() * sizeof(float));
    }
    return hash.hexDigest();
}

std::string oddOneOutFingerprint(const AnalysisRequest& request, size_t model)
{
    return oddOneOutFingerprint(request, model, oddOneOutSharedDigest(request));
}

OddOneOutCache cacheOf(const OddOneOutAnalysis& analysis)
{
    OddOneOutCache cache;
    for (const ModelAnalysis& model : analysis.models)
        cache.models.push_back(
            {model.fingerprint, model.name, model.choices, model.ci95, model.ci95Objects, model.perConcept});
    return cache;
}

Result<std::unique_ptr<OddOneOutAnalysis>> analyseOddOneOut(AnalysisRequest request,
                                                            const TaskContext& context)
{
    if (!request.stimuli || !request.triplets) return makeError("", "", "objects and triplets are required");
    if (request.models.empty()) return makeError("", "", "no model features to analyse");
    auto analysis = std::make_unique<OddOneOutAnalysis>();
    analysis->stimuli = request.stimuli;
    analysis->triplets = request.triplets;
    analysis->options = request.options;
    analysis->bootstrapReplicates = request.bootstrapReplicates;
    analysis->seed = request.seed;
    const TripletSet& triplets = *request.triplets;
    // Repeated triplets are grouped on another thread while the concepts and models compute (independent;
    // joined below, or by the future on an early return).
    auto repeats = std::async(std::launch::async, [&triplets] { return analyseRepeats(triplets); });
    if (request.concepts) {
        analysis->conceptLabels = request.conceptLabels.empty()
                                      ? autoConceptLabels(*request.concepts, *request.stimuli)
                                      : request.conceptLabels;
        analysis->concepts = assignConceptDimensions(*request.concepts, triplets);
    }
    // The triplets are hashed once for all models (tens of MB at THINGS scale), and not at all when nothing
    // is cached.
    std::vector<std::string> fingerprints(request.models.size());
    if (request.fingerprints || request.cache) {
        const std::string shared = oddOneOutSharedDigest(request);
        for (size_t m = 0; m < request.models.size(); ++m)
            fingerprints[m] = oddOneOutFingerprint(request, m, shared);
    }
    analysis->restoredFromCache = request.cache != nullptr;
    const double steps = double(request.models.size());
    for (size_t m = 0; m < request.models.size(); ++m) {
        if (context.cancelled()) return makeError("", "", "cancelled");
        ModelAnalysis& model = analysis->models.emplace_back();
        model.name = request.models[m].first;
        model.features = std::move(request.models[m].second);
        TaskContext step = context;
        step.progress = [&](double fraction, const std::string& stage) {
            context.report((double(m) + 0.8 * fraction) / steps, model.name + ": " + stage);
        };
        model.fingerprint = fingerprints[m];
        const OddOneOutCache::Model* saved = nullptr;
        if (request.cache)
            for (const OddOneOutCache::Model& candidate : request.cache->models)
                if (candidate.fingerprint == model.fingerprint) saved = &candidate;
        analysis->restoredFromCache = analysis->restoredFromCache && saved;
        if (saved) {
            auto similarity =
                computeSimilarity(model.features, request.options.similarity, request.options.device, step);
            if (!similarity)
                return Error{model.features.origin, similarity.error().position, similarity.error().reason};
            model.similarity = std::move(similarity).value();
            model.similarity.features = &model.features;
            model.choices = saved->choices;
            model.ci95 = saved->ci95;
            model.ci95Objects = saved->ci95Objects;
            model.perConcept = saved->perConcept;
            context.report(double(m + 1) / steps, model.name + ": restored");
            continue;
        }
        auto choices = computeChoices(model.features, triplets, request.options, step, &model.similarity);
        if (!choices) return Error{model.features.origin, choices.error().position, choices.error().reason};
        model.similarity.features = &model.features;
        model.choices = std::move(choices).value();
        model.ci95 = bootstrapTripletInterval(model.choices.correct, std::int64_t(triplets.size()),
                                              request.bootstrapReplicates, request.seed);
        if (request.bootstrapReplicates > 0) // --bootstrap 0 asks for no intervals
            model.ci95Objects =
                jackknifeObjectInterval(triplets, model.choices.choice, request.stimuli->size());
        if (analysis->concepts)
            model.perConcept =
                perConceptAccuracy(*analysis->concepts, model.choices, request.topK, analysis->conceptLabels,
                                   request.bootstrapReplicates, request.seed + 2);
        context.report(double(m + 1) / steps, model.name + ": done");
    }
    analysis->repeats = repeats.get();
    if (context.cancelled()) return makeError("", "", "cancelled");
    return analysis;
}

std::vector<Disagreement> findDisagreements(const OddOneOutAnalysis& analysis, size_t model,
                                            DisagreementOrder order)
{
    std::vector<Disagreement> out;
    if (model >= analysis.models.size()) return out;
    const ModelAnalysis& m = analysis.models[model];
    const TripletSet& triplets = *analysis.triplets;
    for (size_t t = 0; t < m.choices.size(); ++t) {
        if (m.choices.isCorrect(t)) continue;
        const auto p = choiceProbabilities(m.similarity, triplets, t, analysis.options.temperature);
        Disagreement d;
        d.triplet = std::int64_t(t);
        d.modelChoice = m.choices.choice[t];
        d.confidence = d.modelChoice >= 0 ? p.p[d.modelChoice] : p.confidence();
        d.humanProbability = p.p[2];
        d.dimension = analysis.concepts ? analysis.concepts->top[t] : -1;
        d.consensus = analysis.repeats.consensusOf(std::int64_t(t));
        out.push_back(d);
    }
    auto byConfidence = [](const Disagreement& a, const Disagreement& b) {
        return a.confidence != b.confidence ? a.confidence > b.confidence : a.triplet < b.triplet;
    };
    switch (order) {
    case DisagreementOrder::Confidence:
        std::sort(out.begin(), out.end(), byConfidence);
        break;
    case DisagreementOrder::Dimension:
        std::sort(out.begin(), out.end(), [&](const Disagreement& a, const Disagreement& b) {
            return a.dimension != b.dimension ? a.dimension < b.dimension : byConfidence(a, b);
        });
        break;
    case DisagreementOrder::Consensus:
        std::sort(out.begin(), out.end(), [&](const Disagreement& a, const Disagreement& b) {
            return a.consensus != b.consensus ? a.consensus > b.consensus : byConfidence(a, b);
        });
        break;
    }
    return out;
}

} // namespace alignscope
