// Per-object statistics and neighbours at THINGS scale (issue 28): the time per-object alignment adds to an
// odd-one-out analysis per model (target <= 0.3 s), and the neighbours computation at 1,854 x 2,048.
// Usage: bench_objects [models n p triplets k]. Built, not a ctest: run by hand (README lists the numbers).
#include "bench_support.h"

#include "alignscope/human_similarity.h"
#include "alignscope/object_alignment.h"
#include "alignscope/object_neighbours.h"
#include "alignscope/odd_one_out_analysis.h"
#include "alignscope/version.h"

#include <algorithm>
#include <iostream>
#include <random>
#include <string>
#include <vector>

using namespace alignscope;

namespace {

// A low-rank part shared by every model plus noise of their own, as things_scale_data.py draws them.
FeatureMatrix modelFeatures(const std::vector<float>& basis, std::int64_t n, std::int64_t p, int rank,
                            std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal;
    std::vector<float> mix(size_t(rank * p));
    for (float& v : mix)
        v = normal(rng);
    FeatureMatrix f;
    f.rows = n;
    f.cols = p;
    f.values.assign(size_t(n * p), 0.0f);
    for (std::int64_t r = 0; r < n; ++r)
        for (int b = 0; b < rank; ++b) {
            const float weight = basis[size_t(r * rank + b)];
            for (std::int64_t c = 0; c < p; ++c)
                f.values[size_t(r * p + c)] += weight * mix[size_t(b * p + c)];
        }
    for (float& v : f.values)
        v += 4 * normal(rng);
    return f;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    const int models = argc > 1 ? std::stoi(argv[1]) : 3;
    const std::int64_t n = argc > 2 ? std::stoll(argv[2]) : 1854, p = argc > 3 ? std::stoll(argv[3]) : 2048,
                       t = argc > 4 ? std::stoll(argv[4]) : 4700000;
    const int k = argc > 5 ? std::stoi(argv[5]) : 10;
    configureComputeThreads();
    const int rank = 64;
    std::mt19937_64 rng(0);
    std::normal_distribution<float> normal;
    std::vector<float> basis(size_t(n * rank));
    for (float& v : basis)
        v = normal(rng);
    std::vector<std::string> ids;
    for (std::int64_t o = 0; o < n; ++o)
        ids.push_back("object" + std::to_string(o));
    AnalysisRequest request;
    request.stimuli = std::make_shared<const StimulusSet>(StimulusSet::create(ids, "bench").value());
    auto triplets = std::make_shared<TripletSet>();
    std::uniform_int_distribution<std::int32_t> pick(0, std::int32_t(n - 1));
    while (std::int64_t(triplets->size()) < t) {
        const std::int32_t i = pick(rng), j = pick(rng), l = pick(rng);
        if (i != j && i != l && j != l) triplets->indices.insert(triplets->indices.end(), {i, j, l});
    }
    request.triplets = triplets;
    for (int m = 0; m < models; ++m)
        request.models.emplace_back("model" + std::to_string(m), modelFeatures(basis, n, p, rank, 100 + m));
    request.options.device = ComputeDevice::Cpu;
    request.fingerprints = false;
    double start = bench::seconds();
    auto analysis = analyseOddOneOut(std::move(request));
    if (!analysis) {
        std::cerr << analysis.error().message() << "\n";
        return 1;
    }
    const double analysisSeconds = bench::seconds() - start;

    std::vector<double> perModel, counting, all;
    for (int run = 0; run < 3; ++run) {
        for (const ModelAnalysis& model : (*analysis)->models) {
            start = bench::seconds();
            auto objects =
                perObjectAccuracy(*(*analysis)->stimuli, *(*analysis)->triplets, model.choices, 0, 5);
            counting.push_back(bench::seconds() - start);
            if (!objects) return 1;
        }
        for (const ModelAnalysis& model : (*analysis)->models) {
            start = bench::seconds();
            auto objects = perObjectAccuracy(*(*analysis)->stimuli, *(*analysis)->triplets, model.choices,
                                             (*analysis)->bootstrapReplicates, 5);
            perModel.push_back(bench::seconds() - start);
            if (!objects) return 1;
        }
        start = bench::seconds();
        auto table = perObjectAlignment(**analysis);
        all.push_back(bench::seconds() - start);
        if (!table) return 1;
    }
    std::cout << "analysis of " << models << " models, " << n << " objects, " << t
              << " triplets: " << analysisSeconds << " s\n"
              << "per-object accuracy with intervals, per model: median " << median(perModel)
              << " s (target <= 0.3 s), of which counting (no interval) " << median(counting) << " s\n"
              << "per-object alignment of all models (+ all models wrong): median " << median(all) << " s, "
              << median(all) / models << " s per model\n";

    // Neighbours at n x p: the model's similarity, the human space from a 49-dimension concept embedding,
    // and the comparison (k nearest, Jaccard, Spearman per object).
    const ModelAnalysis& model = (*analysis)->models.front();
    ConceptSpace concepts;
    concepts.n = n;
    concepts.d = 49;
    for (std::int64_t v = 0; v < n * 49; ++v)
        concepts.values.push_back(std::max(0.0f, normal(rng)));
    std::vector<std::int64_t> every(static_cast<size_t>(n));
    for (std::int64_t o = 0; o < n; ++o)
        every[size_t(o)] = o;
    start = bench::seconds();
    auto similarity = computeSimilarity(model.features, SimilarityKind::Cosine, ComputeDevice::Cpu);
    const double similaritySeconds = bench::seconds() - start;
    start = bench::seconds();
    auto human = conceptSimilarity(concepts, every, false);
    const double humanSeconds = bench::seconds() - start;
    if (!similarity || !human) return 1;
    similarity->features = &model.features;
    start = bench::seconds();
    auto neighbours = compareNeighbours(*(*analysis)->stimuli, *similarity, *human, k);
    const double compareSeconds = bench::seconds() - start;
    if (!neighbours) return 1;
    std::cout << "neighbours at " << n << " x " << p << ", k " << k << ": model similarity "
              << similaritySeconds << " s, concept similarity (49 dimensions) " << humanSeconds
              << " s, comparison " << compareSeconds << " s, total "
              << similaritySeconds + humanSeconds + compareSeconds << " s (mean Jaccard "
              << neighbours->meanJaccard << ")\n";
    return 0;
}
