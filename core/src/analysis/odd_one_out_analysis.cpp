#include "alignscope/odd_one_out_analysis.h"

#include "alignscope/sha256.h"

#include <algorithm>
#include <cmath>
#include <future>
#include <limits>

namespace alignscope {

namespace {

// Why saved choices cannot stand for this model on these triplets, or empty. One value in -1..2 per
// triplet, and at every triplet the model's own pick, recomputed as an analysis computes it (float32
// similarities, exact float64 ones where those are close): choices of another model, of other triplets or
// edited anywhere differ. Where the exact values are within a relative 1e-6 of each other the pick rests
// on rounding, so either of the tied picks (or a tie) is the model's; a pick clearly below them is not.
std::string savedChoicesProblem(const ModelChoices& saved, const TripletSet& triplets,
                                const PairwiseSimilarity& similarity)
{
    if (saved.choice.size() != triplets.size())
        return std::to_string(saved.choice.size()) + " saved choices for " + std::to_string(triplets.size()) +
               " triplets";
    for (size_t t = 0; t < saved.choice.size(); ++t)
        if (saved.choice[t] < -1 || saved.choice[t] > 2)
            return "saved choice " + std::to_string(int(saved.choice[t])) + " at triplet " +
                   std::to_string(t) + " (choices are -1 to 2)";
    if (!similarity.features) return {};
    const ModelChoices recomputed = choicesFromSimilarity(similarity, triplets, {});
    for (size_t t = 0; t < triplets.size(); ++t) {
        if (saved.choice[t] == recomputed.choice[t]) continue;
        const std::int32_t i = triplets.at(t, 0), j = triplets.at(t, 1), k = triplets.at(t, 2);
        // pair[c]: the similarity of the two objects other than column c; the largest makes c the odd one.
        const double pair[3] = {similarity.exact(j, k), similarity.exact(i, k), similarity.exact(i, j)};
        if (!std::isfinite(pair[0]) || !std::isfinite(pair[1]) || !std::isfinite(pair[2])) continue;
        const double best = std::max({pair[0], pair[1], pair[2]});
        const double scale = std::max({std::abs(pair[0]), std::abs(pair[1]), std::abs(pair[2])});
        int tied = 0;
        for (double value : pair)
            tied += best - value <= 1e-6 * scale;
        const int pick = saved.choice[t];
        if (pick < 0 ? tied > 1 : best - pair[pick] <= 1e-6 * scale) continue;
        return "saved choice at triplet " + std::to_string(t) + " is " + std::to_string(pick) +
               ", the model's features pick " + std::to_string(int(recomputed.choice[t])) +
               " (choices of other features, or edited)";
    }
    return {};
}

// Counts recounted from the choices themselves, never taken from what was saved beside them.
ModelChoices recounted(const ModelChoices& saved)
{
    ModelChoices choices = saved;
    choices.correct = std::count(choices.choice.begin(), choices.choice.end(), std::int8_t(2));
    choices.ties = std::count(choices.choice.begin(), choices.choice.end(), std::int8_t(-1));
    choices.undecided = 0;
    return choices;
}

} // namespace

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
    // An accuracy over no triplets is undefined, not 0 (the loaders refuse such a file with the same words).
    if (request.triplets->size() == 0) return makeError(request.triplets->origin, "", "no triplets");
    auto analysis = std::make_unique<OddOneOutAnalysis>();
    analysis->stimuli = request.stimuli;
    analysis->triplets = request.triplets;
    analysis->options = request.options;
    analysis->bootstrapReplicates = request.bootstrapReplicates;
    analysis->seed = request.seed;
    const TripletSet& triplets = *request.triplets;
    if (context.cancelled()) return makeError("", "", "cancelled");
    // Repeated triplets are grouped on another thread while the concepts and models compute (independent;
    // joined below, or by the future on an early return), unless the request brings them.
    std::future<TripletRepeats> repeats;
    if (!request.repeats)
        repeats = std::async(std::launch::async, [&triplets] { return analyseRepeats(triplets); });
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
        for (size_t m = 0; m < request.models.size(); ++m) {
            if (context.cancelled()) return makeError("", "", "cancelled");
            fingerprints[m] = oddOneOutFingerprint(request, m, shared);
        }
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
        bool restored = false;
        if (saved) {
            auto similarity =
                computeSimilarity(model.features, request.options.similarity, request.options.device, step);
            if (!similarity)
                return Error{model.features.origin, similarity.error().position, similarity.error().reason};
            model.similarity = std::move(similarity).value();
            model.similarity.features = &model.features;
            const std::string problem = savedChoicesProblem(saved->choices, triplets, model.similarity);
            if (problem.empty()) {
                model.choices = recounted(saved->choices);
                restored = true;
            } else {
                analysis->cacheProblems.push_back((saved->source.empty() ? model.name : saved->source) +
                                                  ": " + problem + "; recomputed");
            }
        }
        analysis->restoredFromCache = analysis->restoredFromCache && restored;
        if (!restored) {
            auto choices = computeChoices(model.features, triplets, request.options, step, &model.similarity);
            if (!choices)
                return Error{model.features.origin, choices.error().position, choices.error().reason};
            model.similarity.features = &model.features;
            model.choices = std::move(choices).value();
        }
        // The statistics are always counted from the choices, restored ones too (cheap next to the choices).
        model.ci95 = bootstrapTripletInterval(model.choices.correct, std::int64_t(triplets.size()),
                                              request.bootstrapReplicates, request.seed);
        if (request.bootstrapReplicates > 0) // --bootstrap 0 asks for no intervals
            model.ci95Objects =
                jackknifeObjectInterval(triplets, model.choices.choice, request.stimuli->size());
        if (analysis->concepts)
            model.perConcept =
                perConceptAccuracy(*analysis->concepts, model.choices, request.topK, analysis->conceptLabels,
                                   request.bootstrapReplicates, request.seed + 2);
        context.report(double(m + 1) / steps, model.name + (restored ? ": restored" : ": done"));
    }
    analysis->repeats = request.repeats ? *request.repeats : repeats.get();
    if (context.cancelled()) return makeError("", "", "cancelled");
    return analysis;
}

namespace {

// Per group of repeated judgments: the judgment a folded listing shows (the first with the highest consensus)
// and how many there are.
struct RepeatFolding
{
    std::vector<std::int64_t> representative;
    std::vector<std::int32_t> size;
};

RepeatFolding foldRepeats(const TripletRepeats& repeats)
{
    RepeatFolding folding{std::vector<std::int64_t>(size_t(repeats.groups), -1),
                          std::vector<std::int32_t>(size_t(repeats.groups), 0)};
    std::vector<float> best(size_t(repeats.groups), 0.0f);
    for (const TripletRepeats::Member& member : repeats.members) { // in triplet order
        const size_t g = size_t(member.group);
        ++folding.size[g];
        if (folding.representative[g] < 0 || member.consensus > best[g])
            folding.representative[g] = member.triplet, best[g] = member.consensus;
    }
    return folding;
}

bool listed(TripletAgreement show, bool correct)
{
    return show == TripletAgreement::All || correct == (show == TripletAgreement::Agreements);
}

// Sorted through small keys (first, then second, descending; stable, so then in the listing's triplet order):
// moving the rows themselves made sorting millions of them several times slower than listing them.
std::vector<Disagreement> sortedListing(std::vector<Disagreement> rows, DisagreementOrder order)
{
    struct Key
    {
        float first, second;
        std::uint32_t row;
    };
    std::vector<Key> keys(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        const Disagreement& d = rows[i];
        const float first = order == DisagreementOrder::Dimension   ? -float(d.dimension)
                            : order == DisagreementOrder::Consensus ? d.consensus
                                                                    : d.confidence;
        keys[i] = {first, order == DisagreementOrder::Confidence ? 0.0f : d.confidence, std::uint32_t(i)};
    }
    std::stable_sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
        return a.first != b.first ? a.first > b.first : a.second > b.second;
    });
    std::vector<Disagreement> sorted(rows.size());
    for (size_t i = 0; i < keys.size(); ++i)
        sorted[i] = rows[keys[i].row];
    return sorted;
}

// The filter's objects as a membership mask (a lasso may select a thousand of them; a triplet asks three).
class ObjectSelection
{
public:
    ObjectSelection(const DisagreementFilter& filter, size_t stimuli) : m_match(filter.objectMatch)
    {
        if (filter.objects.empty()) return;
        m_selected.assign(stimuli, 0);
        for (std::int32_t object : filter.objects) {
            if (object >= 0 && size_t(object) < stimuli) {
                m_required += m_selected[size_t(object)] ? 0 : 1;
                m_selected[size_t(object)] = 1;
            } else {
                m_outside = true;
            }
        }
    }
    bool empty() const { return m_selected.empty(); }
    // No triplet can match: every object must be in it but one is not an object or there are more than three;
    // or none of those that may be is an object.
    bool matchesNothing() const
    {
        if (empty()) return false;
        return m_match == ObjectMatch::All ? m_outside || m_required > 3 : m_required == 0;
    }
    bool contains(const std::int32_t* triplet) const
    {
        const auto in = [this](std::int32_t s) {
            return s >= 0 && size_t(s) < m_selected.size() && m_selected[size_t(s)];
        };
        int found = 0;
        for (int position = 0; position < 3; ++position) {
            const std::int32_t s = triplet[position];
            // A stimulus repeated within a triplet counts once.
            const bool repeat = (position > 0 && triplet[0] == s) || (position > 1 && triplet[1] == s);
            if (!repeat && in(s)) ++found;
        }
        return m_match == ObjectMatch::All ? found == m_required : found > 0;
    }

private:
    ObjectMatch m_match;
    std::vector<std::uint8_t> m_selected;
    int m_required = 0;
    bool m_outside = false;
};

} // namespace

std::vector<Disagreement> findDisagreements(const OddOneOutAnalysis& analysis, size_t model,
                                            const DisagreementFilter& filter, const TaskContext& context)
{
    std::vector<Disagreement> out;
    if (model >= analysis.models.size()) return out;
    if (filter.dimension >= 0 && !analysis.concepts) return out;
    const ModelAnalysis& m = analysis.models[model];
    const TripletSet& triplets = *analysis.triplets;
    const TripletRepeats& repeats = analysis.repeats;
    const RepeatFolding folding = filter.foldRepeats ? foldRepeats(repeats) : RepeatFolding{};
    const bool withProbabilities = filter.probabilities || filter.order == DisagreementOrder::Confidence;
    // At most this many rows; reserved (not touched) so that millions of rows are not copied as they grow.
    const size_t correct = size_t(m.choices.correct);
    out.reserve(filter.show == TripletAgreement::All             ? m.choices.size()
                : filter.show == TripletAgreement::Disagreements ? m.choices.size() - correct
                                                                 : correct);
    const ObjectSelection objects(filter, analysis.stimuli->size());
    if (objects.matchesNothing()) return out;
    auto member = repeats.members.begin(); // the first repeated judgment at or after t
    for (size_t t = 0; t < m.choices.size(); ++t) {
        if ((t & 0xfffff) == 0 && context.cancelled()) return {};
        if (!listed(filter.show, m.choices.isCorrect(t))) continue;
        if (filter.dimension >= 0 && analysis.concepts->top[t] != filter.dimension) continue;
        if (!objects.empty() && !objects.contains(&triplets.indices[3 * t])) continue;
        while (member != repeats.members.end() && member->triplet < std::int64_t(t))
            ++member;
        const bool repeated = member != repeats.members.end() && member->triplet == std::int64_t(t);
        Disagreement d;
        if (repeated && filter.foldRepeats) {
            const size_t group = size_t(member->group);
            if (folding.representative[group] != std::int64_t(t)) continue;
            d.judgments = folding.size[group];
        }
        d.triplet = std::int64_t(t);
        d.modelChoice = m.choices.choice[t];
        if (withProbabilities) {
            const auto p = choiceProbabilities(m.similarity, triplets, t, analysis.options.temperature);
            d.confidence = d.modelChoice >= 0 ? p.p[d.modelChoice] : p.confidence();
            d.humanProbability = p.p[2];
        }
        d.dimension = analysis.concepts ? analysis.concepts->top[t] : -1;
        d.consensus = repeated ? member->consensus : 1.0f;
        out.push_back(d);
    }
    if (context.cancelled()) return {};
    if (filter.order == DisagreementOrder::Triplet) return out; // listed in triplet order
    return sortedListing(std::move(out), filter.order);
}

} // namespace alignscope
