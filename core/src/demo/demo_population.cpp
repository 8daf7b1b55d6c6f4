// The demo's population of simulated models and their odd-one-out results.
#include "alignscope/demo_population.h"

#include "alignscope/datasets.h"
#include "alignscope/delimited_table.h"
#include "alignscope/file_io.h"
#include "alignscope/json_reader.h"
#include "alignscope/json_writer.h"
#include "alignscope/metric_key.h"
#include "alignscope/odd_one_out_analysis.h"
#include "alignscope/result_json.h"

#include <cmath>
#include <filesystem>
#include <random>

namespace alignscope {

namespace {

constexpr int kPopulationVersion = 3; // 2: results carry their fingerprint; 3: of the test split
constexpr int kProjectedDimensions = 48;

struct SimulatedModel
{
    std::string family;
    std::string size;
    double parameters = 0;
    std::string trainingData;
    std::string name() const { return family + "-" + size + "-" + trainingData; }
};

std::vector<SimulatedModel> simulatedModels()
{
    std::vector<SimulatedModel> models;
    const struct
    {
        const char* name;
        double scale; // parameters per size step differ by family
    } families[] = {{"convnet", 1.0}, {"vit", 1.6}, {"mixer", 1.2}};
    const struct
    {
        const char* name;
        double parameters;
    } sizes[] = {{"small", 5.0e6}, {"base", 8.6e7}, {"large", 1.0e9}};
    for (const auto& family : families)
        for (const auto& size : sizes)
            for (const char* data : {"curated", "web"})
                models.push_back({family.name, size.name, size.parameters * family.scale, data});
    return models;
}

// Feature noise per training set: the planted effect. Nothing else about a model changes its expected
// alignment; each model draws its own projection and noise.
double noiseFor(const SimulatedModel& model)
{
    return model.trainingData == "curated" ? 0.25 : 0.6;
}

// Objects × 48 features: the concept space (without the uncaptured concept) through a random projection,
// plus Gaussian noise. std::mt19937_64 and a Box-Muller draw: the same numbers on every platform.
FeatureMatrix simulateFeatures(const ConceptSpace& concepts, const std::vector<std::string>& labels,
                               const std::vector<std::string>& ids, const SimulatedModel& model,
                               std::uint64_t seed)
{
    std::mt19937_64 random(seed);
    auto uniform = [&random] { return double(random() >> 11) / double(1ULL << 53); };
    auto normal = [&uniform] {
        const double u = std::max(uniform(), 1e-300), v = uniform();
        return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * M_PI * v);
    };
    const std::int64_t d = concepts.d, p = kProjectedDimensions;
    std::vector<double> projection(size_t(d * p));
    for (double& w : projection)
        w = normal() / std::sqrt(double(d));
    std::vector<double> weight(size_t(d), 1.0);
    for (std::int64_t k = 0; k < d; ++k)
        weight[size_t(k)] = labels[size_t(k)] == kDemoUncapturedConcept ? 0.0 : 0.8 + 0.4 * uniform();
    const double sigma = noiseFor(model) * (0.9 + 0.2 * uniform());
    FeatureMatrix features;
    features.rows = concepts.n;
    features.cols = p;
    features.values.resize(size_t(concepts.n * p));
    features.rowIds = ids;
    features.origin = model.name();
    for (std::int64_t r = 0; r < concepts.n; ++r)
        for (std::int64_t c = 0; c < p; ++c) {
            double value = 0;
            for (std::int64_t k = 0; k < d; ++k)
                value += weight[size_t(k)] * double(concepts.at(r, k)) * projection[size_t(k * p + c)];
            features.values[size_t(r * p + c)] = float(value + sigma * normal());
        }
    return features;
}

} // namespace

Result<DemoPopulation> generateDemoPopulation(const DemoDataset& demo, const TaskContext& context)
{
    namespace fs = std::filesystem;
    const std::string folder = demo.folder + "/population";
    const std::vector<SimulatedModel> models = simulatedModels();
    DemoPopulation out;
    out.results = folder + "/results.json";
    out.metadata = folder + "/models.csv";
    for (const SimulatedModel& model : models)
        out.models.push_back(model.name());
    if (auto marker = readJsonFile(folder + "/population.json");
        marker && marker->numberOr("generator_version", 0) == kPopulationVersion && fs::exists(out.results) &&
        fs::exists(out.metadata))
        return out;

    std::error_code error;
    fs::create_directories(folder, error);
    if (error) return makeError(folder, "", "cannot create the folder: " + error.message());
    auto objects = loadObjects(demo.folder + "/concepts/things_concepts.tsv");
    if (!objects) return objects.error();
    auto stimuli = std::make_shared<const StimulusSet>(std::move(objects).value());
    auto concepts = loadConceptSpace(demo.conceptSpace, *stimuli, std::nullopt);
    if (!concepts) return concepts.error();
    // The test split, which the demo's workspace analyses (the newest triplets it opens): results of the same
    // triplets pool with the workspace's models, whose fingerprint must match. Its repeats give the noise
    // ceiling.
    auto test = loadTriplets(demo.folder + "/triplets/test_10.txt", stimuli->size());
    if (!test) return test.error();
    TripletSet triplets = std::move(test).value();

    AnalysisRequest request;
    request.stimuli = stimuli;
    request.triplets = std::make_shared<const TripletSet>(std::move(triplets));
    request.conceptLabels = demoPropertyNames();
    request.fingerprints = false;
    for (size_t m = 0; m < models.size(); ++m)
        request.models.emplace_back(models[m].name(), simulateFeatures(*concepts, request.conceptLabels,
                                                                       stimuli->ids(), models[m], 1000 + m));
    request.concepts = std::move(concepts).value();
    TaskContext step = context;
    step.progress = [&context](double fraction, const std::string& stage) {
        context.report(fraction, "demo population: " + stage);
    };
    auto analysis = analyseOddOneOut(std::move(request), step);
    if (!analysis) return analysis.error();
    const TripletRepeats& repeats = (*analysis)->repeats;

    JsonWriter json;
    json.beginObject();
    writeResultFingerprint(json, tripletsFingerprint(*(*analysis)->stimuli, *(*analysis)->triplets),
                           (*analysis)->stimuli->size(), (*analysis)->triplets->size(),
                           similarityName((*analysis)->options.similarity));
    json.key("models").beginArray();
    for (const ModelAnalysis& model : (*analysis)->models) {
        json.beginObject()
            .key("name")
            .value(model.name)
            .key(metricKindName(MetricKind::Accuracy))
            .value(model.choices.accuracy());
        json.key("ci95");
        writeInterval(json, model.ci95);
        json.key("n_triplets").value(std::int64_t(model.choices.size()));
        if (repeats.noiseCeiling)
            json.key(metricKindName(MetricKind::NormalizedScore))
                .value(normalisedScore(model.choices.accuracy(), *repeats.noiseCeiling));
        json.key("per_concept").beginArray();
        for (const ConceptAccuracy& concept : model.perConcept)
            writeConceptAccuracy(json, concept);
        json.endArray().endObject();
    }
    json.endArray().key("similarity").value("cosine").key("noise_ceiling");
    if (repeats.noiseCeiling)
        json.value(*repeats.noiseCeiling);
    else
        json.null();
    json.key("source").value("AlignScope demo population (simulated models)").endObject();
    if (auto w = writeFileAtomically(out.results, json.text() + "\n"); !w) return w.error();

    std::string table = "model,training_data,family,size,parameters\n";
    for (const SimulatedModel& model : models) {
        char parameters[32];
        std::snprintf(parameters, sizeof parameters, "%.0f", model.parameters);
        table += csvField(model.name()) + "," + csvField(model.trainingData) + "," + csvField(model.family) +
                 "," + csvField(model.size) + "," + parameters + "\n";
    }
    if (auto w = writeFileAtomically(out.metadata, table); !w) return w.error();
    JsonWriter marker;
    marker.beginObject().key("generator_version").value(kPopulationVersion).endObject();
    if (auto w = writeFileAtomically(folder + "/population.json", marker.text() + "\n"); !w) return w.error();
    return out;
}

} // namespace alignscope
