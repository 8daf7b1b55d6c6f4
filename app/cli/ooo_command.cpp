// alignscope-cli ooo: zero-shot odd-one-out accuracy of one or more feature sets.
#include "alignscope/json_writer.h"
#include "arguments.h"
#include "commands.h"

#include "alignscope/datasets.h"
#include "alignscope/file_io.h"
#include "alignscope/metric_key.h"
#include "alignscope/object_alignment.h"
#include "alignscope/odd_one_out_analysis.h"
#include "alignscope/result_json.h"
#include "alignscope/version.h"

#include <cmath>
#include <cstdio>
#include <deque>
#include <iomanip>
#include <map>
#include <optional>

namespace alignscope::cli {

namespace {

std::string stemOf(const std::string& path)
{
    const size_t slash = path.find_last_of('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const size_t dot = name.find_last_of('.');
    return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

Result<std::vector<std::optional<RowIdentity>>> rowIdentities(const std::vector<std::string>& arguments,
                                                              size_t count, const std::string& option)
{
    std::vector<std::optional<RowIdentity>> out(count);
    if (arguments.empty()) return out;
    if (arguments.size() != 1 && arguments.size() != count)
        return makeError("", "", "give --" + option + " once or once per features file");
    for (size_t m = 0; m < count; ++m) {
        auto identity = rowIdentityFromArgument(arguments.size() == 1 ? arguments[0] : arguments[m]);
        if (!identity) return identity.error();
        out[m] = std::move(identity).value();
    }
    return out;
}

Status writeChoices(const std::string& path, const TripletSet& triplets,
                    const std::deque<ModelAnalysis>& models, double temperature)
{
    AtomicFileWriter writer(path);
    if (auto status = writer.open(); !status) return status;
    std::string header = "i,j,k";
    for (const auto& m : models) {
        const std::string suffix = models.size() > 1 ? "_" + m.name : "";
        header += ",choice" + suffix + ",p_i" + suffix + ",p_j" + suffix + ",p_k" + suffix;
    }
    writer.write(header + "\n");
    std::string block;
    char cell[64];
    for (size_t t = 0; t < triplets.size(); ++t) {
        block += std::to_string(triplets.at(t, 0)) + "," + std::to_string(triplets.at(t, 1)) + "," +
                 std::to_string(triplets.at(t, 2));
        for (const auto& m : models) {
            const auto p = choiceProbabilities(m.similarity, triplets, t, temperature);
            const int c = m.choices.choice[t];
            const std::string choice = c < 0 ? "tie" : std::to_string(triplets.at(t, c));
            std::snprintf(cell, sizeof cell, ",%s,%.6g,%.6g,%.6g", choice.c_str(), p.p[0], p.p[1], p.p[2]);
            block += cell;
        }
        block += '\n';
        if (block.size() > (1 << 20)) {
            if (!writer.write(block)) break;
            block.clear();
        }
    }
    writer.write(block);
    return writer.commit();
}

void printText(std::ostream& out, const std::deque<ModelAnalysis>& models, const TripletRepeats& repeats,
               SimilarityKind similarity)
{
    out << "similarity: " << similarityName(similarity) << "\n";
    if (repeats.noiseCeiling)
        out << "noise ceiling: " << std::fixed << std::setprecision(4) << *repeats.noiseCeiling << " ("
            << repeats.groups << " repeated triplets)\n";
    else if (!repeats.ceilingNote.empty())
        out << "noise ceiling: not estimated (" << repeats.ceilingNote << ")\n";
    for (const auto& m : models) {
        out << std::fixed << std::setprecision(4) << m.name << ": accuracy " << m.choices.accuracy() << " ["
            << m.ci95.low << ", " << m.ci95.high << "] (" << m.choices.correct << "/" << m.choices.size()
            << ", ties " << m.choices.ties << ")";
        if (repeats.noiseCeiling) {
            const double normalised = normalisedScore(m.choices.accuracy(), *repeats.noiseCeiling);
            if (std::isnan(normalised))
                out << ", normalised n/a (ceiling at chance)";
            else
                out << ", normalised " << normalised;
        }
        out << "\n";
        for (const auto& c : m.perConcept)
            if (c.triplets > 0)
                out << "  " << std::left << std::setw(40) << c.label.substr(0, 40) << std::right
                    << std::setw(8) << c.triplets << "  " << c.accuracy << "\n";
    }
}

// One row per object that occurs in a triplet, in the objects' order: its id, its triplets and `fields`.
template <typename Object, typename Fields>
void writeObjectRows(JsonWriter& json, const char* key, const std::vector<Object>& objects, Fields fields)
{
    json.key(key).beginArray();
    for (const Object& object : objects) {
        if (object.triplets == 0) continue;
        json.beginObject().key("id").value(object.id).key("n_triplets").value(object.triplets);
        fields(object);
        json.endObject();
    }
    json.endArray();
}

// Per object of one model.
void writePerObject(JsonWriter& json, const std::vector<ObjectAccuracy>& objects)
{
    writeObjectRows(json, "per_object", objects, [&](const ObjectAccuracy& object) {
        json.key("n_correct")
            .value(object.correct)
            .key("n_ties")
            .value(object.ties)
            .key(metricKindName(MetricKind::Accuracy))
            .value(object.accuracy)
            .key("ci95")
            .beginArray()
            .value(object.ci95.low)
            .value(object.ci95.high)
            .endArray();
    });
}

void writeAllModelsWrong(JsonWriter& json, const std::vector<ObjectFailure>& objects)
{
    writeObjectRows(json, "per_object_all_models_wrong", objects, [&](const ObjectFailure& object) {
        json.key("n_all_models_wrong").value(object.allWrong).key("share").value(object.share);
    });
}

} // namespace

int runOoo(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    CLI::App app = makeApp("ooo", "Zero-shot odd-one-out accuracy of feature sets against human triplets.");
    std::string objectsPath, tripletsPath, thingsFolder, split = "test", similarityChoice = "cosine",
                                                         deviceName = "auto";
    std::string conceptsPath, conceptLabelsPath, choicesPath;
    std::vector<std::string> featurePaths, featureRows, modelNames;
    std::string conceptRows;
    int topK = 1, replicates = 1000, threads = 0;
    double temperature = 1.0;
    std::uint64_t seed = 0;
    bool jsonOutput = false, perObject = false;
    auto* objectsOption =
        app.add_option("--objects", objectsPath, "object table (THINGS concepts TSV or ID list)");
    auto* tripletsOption =
        app.add_option("--triplets", tripletsPath, "triplet file (i j k, k the human's odd one out)");
    auto* thingsOption =
        app.add_option("--things", thingsFolder, "THINGS folder (instead of --objects/--triplets)");
    thingsOption->excludes(objectsOption)->excludes(tripletsOption);
    objectsOption->needs(tripletsOption);
    tripletsOption->needs(objectsOption);
    app.add_option("--split", split, "THINGS triplet split")
        ->capture_default_str()
        ->check(CLI::IsMember({"test", "train"}))
        ->needs(thingsOption);
    app.add_option("--features", featurePaths, "feature file (repeat for several models)")->required();
    app.add_option("--name", modelNames,
                   "the model's name in the results (repeat once per --features, in order; default: the "
                   "file's stem)");
    app.add_option("--feature-rows", featureRows,
                   "row IDs of the features: FILE, canonical or sorted (once, or once per --features)");
    app.add_option("--similarity", similarityChoice, "similarity")
        ->capture_default_str()
        ->check(CLI::IsMember({"cosine", "dot", "euclidean", "correlation"}));
    auto* conceptsOption = app.add_option("--concepts", conceptsPath,
                                          "concept embedding (e.g. VICE) for the per-concept breakdown");
    app.add_option("--concept-rows", conceptRows, "row IDs of the concepts: FILE, canonical or sorted")
        ->needs(conceptsOption);
    app.add_option("--concept-labels", conceptLabelsPath, "one label per concept dimension")
        ->needs(conceptsOption);
    addInteger(app, "--top-k", topK, 1, 2, "concept dimensions per triplet");
    addReal(app, "--temperature", temperature, 0, 1e6, "softmax temperature of the choice probabilities",
            true);
    addInteger(app, "--bootstrap", replicates, 0, 100000, "bootstrap replicates for the 95% intervals");
    addSeed(app, seed);
    app.add_option("--device", deviceName,
                   "similarity on: auto = the CPU (BLAS; LibTorch is not loaded), cuda = the GPU")
        ->capture_default_str()
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    app.add_option("--choices-out", choicesPath, "write every triplet's choice and probabilities (CSV)");
    auto* jsonOption = app.add_flag("--json", jsonOutput, "print JSON");
    app.add_flag("--per-object", perObject,
                 "add each object's accuracy over the triplets that contain it (per_object) and the share "
                 "of them every model gets wrong")
        ->needs(jsonOption);
    addThreads(app, threads);
    if (auto exit = parseArguments(app, args, out, err)) return *exit;
    if (thingsFolder.empty() && objectsPath.empty()) {
        err << "alignscope-cli ooo: give --things or --objects and --triplets\n" << app.help();
        return 2;
    }
    if (!modelNames.empty() && modelNames.size() != featurePaths.size()) {
        err << "alignscope-cli ooo: --name is given " << modelNames.size() << " time(s) for "
            << featurePaths.size() << " --features; give one name per feature file, in order\n";
        return 2;
    }
    auto fail = [&](const Error& error) { return cli::fail(err, error); };
    configureComputeThreads(threads);

    // Objects and triplets, from a THINGS folder or separate files.
    StimulusSet objects;
    TripletSet triplets;
    if (!thingsFolder.empty()) {
        auto folder = loadThingsFolder(thingsFolder);
        if (!folder) return fail(folder.error());
        const bool train = split == "train";
        auto& splitTriplets = train ? folder->train : folder->test;
        if (!splitTriplets)
            return fail(makeError(thingsFolder, "",
                                  std::string("no ") + (train ? "train_90" : "test_10") + " triplets"));
        objects = std::move(folder->objects);
        triplets = std::move(*splitTriplets);
    } else {
        auto loadedObjects = loadObjects(objectsPath);
        if (!loadedObjects) return fail(loadedObjects.error());
        objects = std::move(loadedObjects).value();
        auto loadedTriplets = loadTriplets(tripletsPath, objects.size());
        if (!loadedTriplets) return fail(loadedTriplets.error());
        triplets = std::move(loadedTriplets).value();
    }
    OddOneOutOptions options;
    options.similarity = *parseSimilarityKind(similarityChoice);
    options.device = *parseComputeDevice(deviceName);
    options.temperature = temperature;

    auto identities = rowIdentities(featureRows, featurePaths.size(), "feature-rows");
    if (!identities) return fail(identities.error());

    AnalysisRequest request;
    request.options = options;
    request.topK = topK;
    request.bootstrapReplicates = replicates;
    request.fingerprints = false; // nothing is cached from the command line
    request.seed = seed;
    if (!conceptsPath.empty()) {
        auto conceptIdentity = rowIdentities(conceptRows.empty() ? std::vector<std::string>{}
                                                                 : std::vector<std::string>{conceptRows},
                                             1, "concept-rows");
        if (!conceptIdentity) return fail(conceptIdentity.error());
        auto space = loadConceptSpace(conceptsPath, objects, (*conceptIdentity)[0]);
        if (!space) return fail(space.error());
        if (!space->warning.empty()) err << "warning: " << space->warning << "\n";
        if (!conceptLabelsPath.empty()) {
            auto loaded = loadConceptLabels(conceptLabelsPath, space->d);
            if (!loaded) return fail(loaded.error());
            request.conceptLabels = std::move(loaded).value();
        }
        request.concepts = std::move(space).value();
    }
    std::map<std::string, std::string> featureRowsText; // per model: how its rows were mapped to the objects
    for (size_t m = 0; m < featurePaths.size(); ++m) {
        auto features = loadFeatures(featurePaths[m], objects, (*identities)[m]);
        if (!features) return fail(features.error());
        const auto& identity = (*identities)[m];
        const std::string name =
            modelNames.empty() ? stemOf(splitKeySpec(featurePaths[m]).first) : modelNames[m];
        featureRowsText[name] = !identity ? "embedded row IDs or a .rows.txt sidecar"
                                : identity->policy == RowIdentity::Policy::Canonical ? "canonical"
                                : identity->policy == RowIdentity::Policy::Sorted
                                    ? "sorted"
                                    : "ids from " + identity->origin;
        request.models.emplace_back(name, std::move(features).value());
    }
    request.stimuli = std::make_shared<const StimulusSet>(std::move(objects));
    request.triplets = std::make_shared<const TripletSet>(std::move(triplets));
    auto analysis = analyseOddOneOut(std::move(request));
    if (!analysis) return fail(analysis.error());
    const std::deque<ModelAnalysis>& models = (*analysis)->models;
    const TripletSet& judged = *(*analysis)->triplets;
    const TripletRepeats& repeats = (*analysis)->repeats;

    if (!choicesPath.empty()) {
        auto status = writeChoices(choicesPath, judged, models, options.temperature);
        if (!status) return fail(status.error());
    }
    if (!jsonOutput) {
        printText(out, models, repeats, options.similarity);
        return 0;
    }
    std::optional<PerObjectAlignment> objectAlignment;
    if (perObject) {
        auto computed = perObjectAlignment(**analysis);
        if (!computed) return fail(computed.error());
        objectAlignment = std::move(computed).value();
    }
    JsonWriter json;
    json.beginObject();
    // What makes these results comparable with others (compare refuses to pool results that differ).
    writeResultFingerprint(json, tripletsFingerprint(*(*analysis)->stimuli, judged),
                           (*analysis)->stimuli->size(), judged.size(), similarityName(options.similarity));
    json.key("models").beginArray();
    size_t modelIndex = 0;
    for (const auto& m : models) {
        json.beginObject()
            .key("name")
            .value(m.name)
            .key(metricKindName(MetricKind::Accuracy))
            .value(m.choices.accuracy())
            .key("n_triplets")
            .value(m.choices.size())
            .key("n_correct")
            .value(m.choices.correct)
            .key("n_ties")
            .value(m.choices.ties)
            .key("ci95")
            .beginArray()
            .value(m.ci95.low)
            .value(m.ci95.high)
            .endArray()
            .key("ci95_objects")
            .beginArray()
            .value(m.ci95Objects.low)
            .value(m.ci95Objects.high)
            .endArray();
        if (repeats.noiseCeiling)
            json.key(metricKindName(MetricKind::NormalizedScore))
                .value(normalisedScore(m.choices.accuracy(), *repeats.noiseCeiling));
        json.key("feature_rows").value(featureRowsText[m.name]);
        json.key("device").value(m.choices.device).key("per_concept").beginArray();
        for (const auto& c : m.perConcept)
            writeConceptAccuracy(json, c); // the layout projects use too
        json.endArray();
        if (objectAlignment) writePerObject(json, objectAlignment->models[modelIndex]);
        ++modelIndex;
        json.endObject();
    }
    json.endArray().key("similarity").value(similarityName(options.similarity)).key("noise_ceiling");
    if (repeats.noiseCeiling)
        json.value(*repeats.noiseCeiling);
    else
        json.null();
    json.key("n_repeated_triplets").value(repeats.groups);
    if (!repeats.ceilingNote.empty()) json.key("noise_ceiling_note").value(repeats.ceilingNote);
    json.key("agreement").beginArray();
    for (size_t a = 0; a < models.size(); ++a)
        for (size_t b = a + 1; b < models.size(); ++b) {
            const PairedComparison paired =
                comparePaired(models[a].choices, models[b].choices, replicates, seed + 3);
            json.beginObject()
                .key("a")
                .value(models[a].name)
                .key("b")
                .value(models[b].name)
                .key("choice_agreement")
                .value(choiceAgreement(models[a].choices, models[b].choices))
                .key("accuracy_difference")
                .value(paired.difference)
                .key("ci95")
                .beginArray()
                .value(paired.ci95.low)
                .value(paired.ci95.high)
                .endArray()
                .key("p_value")
                .value(paired.pValue)
                .endObject();
        }
    json.endArray();
    std::int64_t allWrong = 0;
    for (size_t t = 0; t < judged.size(); ++t) {
        bool wrong = true;
        for (const auto& m : models)
            wrong = wrong && !m.choices.isCorrect(t);
        allWrong += wrong;
    }
    json.key("n_all_models_wrong").value(allWrong);
    if (objectAlignment) writeAllModelsWrong(json, objectAlignment->allModelsWrong);
    json.endObject();
    out << json.text() << "\n";
    return 0;
}

} // namespace alignscope::cli
