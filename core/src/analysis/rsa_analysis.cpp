#include "alignscope/rsa_analysis.h"

#include "alignscope/sha256.h"

#include "rank_correlation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

namespace alignscope {

std::string rsaFingerprint(const RsaRequest& request, size_t model)
{
    Sha256 hash;
    auto text = [&](const std::string& value) {
        hash.update(value.data(), value.size());
        hash.update("\n", 1);
    };
    text("rsa-v1 " + request.dataset + " " + rdmMethodName(request.method) + " " +
         compareMethodName(request.compare) + " " + std::to_string(request.bootstrapReplicates) + " " +
         std::to_string(request.bootstrapPairLimit) + " " + std::to_string(request.seed));
    if (request.stimuli)
        for (const std::string& id : request.stimuli->ids())
            text(id);
    hash.update(request.human.values.data(), request.human.values.size() * sizeof(float));
    if (model < request.models.size()) {
        const auto& [name, features] = request.models[model];
        text(name + " " + std::to_string(features.rows) + "x" + std::to_string(features.cols));
        hash.update(features.data(), features.size() * sizeof(float));
    }
    return hash.hexDigest();
}

RsaCache cacheOf(const RsaAnalysis& analysis)
{
    RsaCache cache;
    for (const RsaModelResult& model : analysis.models)
        cache.models.push_back({model.fingerprint, model.r, model.ci95});
    return cache;
}

Result<std::shared_ptr<const RsaAnalysis>> analyseRsa(RsaRequest request, const TaskContext& context)
{
    if (!request.stimuli || request.human.n != std::int64_t(request.stimuli->size()))
        return makeError(request.humanOrigin, "", "human matrix and objects differ in size");
    std::vector<std::string> fingerprints;
    for (size_t m = 0; m < request.models.size(); ++m)
        fingerprints.push_back(rsaFingerprint(request, m));
    auto analysis = std::make_shared<RsaAnalysis>();
    analysis->dataset = request.dataset;
    analysis->stimuli = request.stimuli;
    analysis->human = std::move(request.human);
    analysis->humanOrigin = request.humanOrigin;
    analysis->method = request.method;
    analysis->compare = request.compare;
    analysis->concepts = std::move(request.concepts);
    analysis->restoredFromCache = request.cache != nullptr;
    for (size_t m = 0; m < request.models.size(); ++m) {
        if (context.cancelled()) return makeError("", "", "cancelled");
        auto& [name, features] = request.models[m];
        const std::string& fingerprint = fingerprints[m];
        auto rdm = modelRdm(features, request.method, context);
        if (!rdm) return rdm.error();
        const RsaCache::Model* saved = nullptr;
        if (request.cache)
            for (const RsaCache::Model& candidate : request.cache->models)
                if (candidate.fingerprint == fingerprint) saved = &candidate;
        auto r = compareRdms(*rdm, analysis->human, request.compare, context);
        if (!r) return Error{features.origin, "", r.error().reason};
        // A saved r that is not the one these RDMs give (edited, or from other RDMs) is reported.
        if (saved && !(std::abs(saved->r - *r) <= 1e-9)) {
            std::ostringstream why;
            why.precision(17);
            why << (saved->source.empty() ? name : saved->source) << ": model '" << name << "': saved r "
                << saved->r << " differs from the r of its RDMs (" << *r << "); recomputed";
            analysis->cacheProblems.push_back(why.str());
            saved = nullptr;
        }
        // The interval is always recomputed (the bootstrap is seeded, so a saved one is only ever this one):
        // a saved interval is never shown, and one that differs is reported.
        std::optional<RsaInterval> interval;
        if (request.bootstrapReplicates > 0 && std::int64_t(rdm->values.size()) <= request.bootstrapPairLimit)
            interval = bootstrapStimuli(*rdm, analysis->human, request.compare, request.bootstrapReplicates,
                                        request.seed, context);
        const auto same = [](double a, double b) { return std::abs(a - b) <= 1e-9 || (a != a && b != b); };
        if (saved && (bool(saved->ci95) != bool(interval) ||
                      (interval && !(same(saved->ci95->low, interval->low) &&
                                     same(saved->ci95->high, interval->high))))) {
            std::ostringstream why;
            why.precision(17);
            why << (saved->source.empty() ? name : saved->source) << ": model '" << name
                << "': saved interval ";
            if (saved->ci95)
                why << "[" << saved->ci95->low << ", " << saved->ci95->high << "]";
            else
                why << "(none)";
            why << " is not the one its bootstrap gives; recomputed";
            analysis->cacheProblems.push_back(why.str());
            saved = nullptr;
        }
        analysis->restoredFromCache = analysis->restoredFromCache && saved;
        analysis->models.push_back({name, std::move(rdm).value(), *r, interval, fingerprint});
        context.report(double(m + 1) / double(request.models.size()), "RSA");
    }
    return std::shared_ptr<const RsaAnalysis>(std::move(analysis));
}

std::vector<std::int64_t> clusterOrder(const CondensedMatrix& rdm, std::int64_t maximumStimuli)
{
    const std::int64_t n = rdm.n;
    std::vector<std::int64_t> identity(static_cast<size_t>(n));
    std::iota(identity.begin(), identity.end(), 0);
    if (n < 3 || n > maximumStimuli) return identity;
    // Working distances between active clusters (square, double), cluster sizes and members' leaf lists.
    std::vector<double> d(static_cast<size_t>(n * n));
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < n; ++j)
            d[size_t(i * n + j)] = i == j ? 0.0 : double(rdm.at(i, j));
    std::vector<std::int64_t> size(static_cast<size_t>(n), 1);
    std::vector<std::vector<std::int64_t>> leaves(static_cast<size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
        leaves[size_t(i)] = {i};
    std::vector<bool> active(static_cast<size_t>(n), true);
    std::vector<std::int64_t> chain;
    std::int64_t remaining = n;
    while (remaining > 1) {
        if (chain.empty())
            for (std::int64_t i = 0; i < n; ++i)
                if (active[size_t(i)]) {
                    chain.push_back(i);
                    break;
                }
        const std::int64_t a = chain.back();
        std::int64_t nearest = -1;
        double best = std::numeric_limits<double>::infinity();
        // Prefer the previous chain element on ties so that reciprocal nearest neighbours are found.
        if (chain.size() > 1) nearest = chain[chain.size() - 2], best = d[size_t(a * n + nearest)];
        for (std::int64_t c = 0; c < n; ++c)
            if (active[size_t(c)] && c != a && d[size_t(a * n + c)] < best)
                best = d[size_t(a * n + c)], nearest = c;
        if (chain.size() > 1 && nearest == chain[chain.size() - 2]) {
            chain.pop_back();
            chain.pop_back();
            // Merge `nearest` into `a` (average linkage, Lance–Williams update).
            const double sa = double(size[size_t(a)]), sb = double(size[size_t(nearest)]);
            for (std::int64_t c = 0; c < n; ++c) {
                if (!active[size_t(c)] || c == a || c == nearest) continue;
                const double merged =
                    (sa * d[size_t(a * n + c)] + sb * d[size_t(nearest * n + c)]) / (sa + sb);
                d[size_t(a * n + c)] = d[size_t(c * n + a)] = merged;
            }
            size[size_t(a)] += size[size_t(nearest)];
            auto& into = leaves[size_t(a)];
            into.insert(into.end(), leaves[size_t(nearest)].begin(), leaves[size_t(nearest)].end());
            leaves[size_t(nearest)].clear();
            active[size_t(nearest)] = false;
            --remaining;
        } else {
            chain.push_back(nearest);
        }
    }
    for (std::int64_t i = 0; i < n; ++i)
        if (active[size_t(i)]) return leaves[size_t(i)];
    return identity;
}

std::vector<std::int64_t> categoryOrder(const StimulusSet& stimuli)
{
    std::vector<std::int64_t> order(stimuli.size());
    std::iota(order.begin(), order.end(), 0);
    if (stimuli.categories.size() != stimuli.size()) return order;
    std::stable_sort(order.begin(), order.end(), [&](std::int64_t a, std::int64_t b) {
        const std::string& ca = stimuli.categories[size_t(a)];
        const std::string& cb = stimuli.categories[size_t(b)];
        if (ca.empty() != cb.empty()) return cb.empty();
        return ca < cb;
    });
    return order;
}

std::vector<int> dominantDimensions(const ConceptSpace& concepts)
{
    std::vector<int> dominant(static_cast<size_t>(concepts.n), 0);
    for (std::int64_t i = 0; i < concepts.n; ++i) {
        int best = 0;
        for (std::int64_t d = 1; d < concepts.d; ++d)
            if (concepts.at(i, d) > concepts.at(i, best)) best = int(d);
        dominant[size_t(i)] = best;
    }
    return dominant;
}

std::vector<std::int64_t> conceptOrder(const ConceptSpace& concepts)
{
    std::vector<std::int64_t> order(static_cast<size_t>(concepts.n));
    std::iota(order.begin(), order.end(), 0);
    const std::vector<int> dominant = dominantDimensions(concepts);
    std::stable_sort(order.begin(), order.end(), [&](std::int64_t a, std::int64_t b) {
        if (dominant[size_t(a)] != dominant[size_t(b)]) return dominant[size_t(a)] < dominant[size_t(b)];
        return concepts.at(a, dominant[size_t(a)]) > concepts.at(b, dominant[size_t(b)]);
    });
    return order;
}

CondensedMatrix rankTransformed(const CondensedMatrix& rdm)
{
    CondensedMatrix out{rdm.n, std::vector<float>(rdm.values.size())};
    const std::vector<std::uint32_t> ranks = doubledRanks(rdm.values);
    const double scale = 2.0 * double(rdm.values.size());
    for (size_t k = 0; k < ranks.size(); ++k)
        out.values[k] = float(ranks[k] / scale);
    return out;
}

std::vector<DivergentPair> mostDivergentPairs(const CondensedMatrix& human, const CondensedMatrix& model,
                                              size_t count)
{
    if (human.values.size() != model.values.size() || human.values.empty()) return {};
    const std::vector<std::uint32_t> rh = doubledRanks(human.values), rm = doubledRanks(model.values);
    const double scale = 2.0 * double(human.values.size());
    std::vector<std::pair<double, size_t>> differences(human.values.size());
    for (size_t k = 0; k < differences.size(); ++k)
        differences[k] = {(double(rm[k]) - double(rh[k])) / scale, k};
    count = std::min(count, differences.size());
    std::partial_sort(differences.begin(), differences.begin() + std::ptrdiff_t(count), differences.end(),
                      [](const auto& a, const auto& b) { return std::fabs(a.first) > std::fabs(b.first); });
    std::vector<DivergentPair> out;
    for (size_t c = 0; c < count; ++c) {
        size_t k = differences[c].second;
        std::int64_t i = 0; // invert the condensed index
        while (k >= size_t(human.n - i - 1))
            k -= size_t(human.n - i - 1), ++i;
        const std::int64_t j = i + 1 + std::int64_t(k);
        out.push_back({i, j, human.at(i, j), model.at(i, j), differences[c].first});
    }
    return out;
}

} // namespace alignscope
