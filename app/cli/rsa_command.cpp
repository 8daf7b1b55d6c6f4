// alignscope-cli rsa / concept-similarity / cka.
#include "alignscope/json_writer.h"
#include "arguments.h"
#include "commands.h"

#include "alignscope/cka.h"
#include "alignscope/datasets.h"
#include "alignscope/human_similarity.h"
#include "alignscope/load.h"
#include "alignscope/npy.h"
#include "alignscope/rsa.h"
#include "alignscope/sha256.h"
#include "alignscope/text_matrix.h"
#include "alignscope/version.h"

#include <filesystem>
#include <iomanip>

namespace alignscope::cli {

namespace {

// Object indices of the stimuli being compared: --stimuli IDs, or every object in order.
Result<std::vector<std::int64_t>> stimulusIndices(const std::string& path, const StimulusSet& objects)
{
    std::vector<std::int64_t> indices;
    if (path.empty()) {
        for (size_t i = 0; i < objects.size(); ++i)
            indices.push_back(std::int64_t(i));
        return indices;
    }
    auto ids = readIdList(path);
    if (!ids) return ids.error();
    std::vector<std::string> unknown;
    for (const auto& id : *ids) {
        const auto index = objects.indexOf(id);
        if (index)
            indices.push_back(std::int64_t(*index));
        else
            unknown.push_back(id);
    }
    if (!unknown.empty())
        return makeError(path, "",
                         std::to_string(unknown.size()) + " stimulus IDs are not objects of " +
                             objects.origin + " (first: " + unknown.front() + ")");
    return indices;
}

SimilarityMatrix::Kind parseKind(const std::string& text)
{
    return text == "similarity" ? SimilarityMatrix::Kind::Similarity : SimilarityMatrix::Kind::Dissimilarity;
}

Result<std::optional<RowIdentity>> optionalIdentity(const std::string& argument)
{
    if (argument.empty()) return std::optional<RowIdentity>();
    auto identity = rowIdentityFromArgument(argument);
    if (!identity) return identity.error();
    return std::optional<RowIdentity>(std::move(identity).value());
}

Result<SimilarityMatrix> conceptSimilarityFor(const std::string& conceptsPath, const std::string& conceptRows,
                                              const std::string& third, const StimulusSet& objects,
                                              const std::vector<std::int64_t>& stimuli, std::string* warning)
{
    auto identity = optionalIdentity(conceptRows);
    if (!identity) return identity.error();
    auto space = loadConceptSpace(conceptsPath, objects, *identity);
    if (!space) return space.error();
    if (warning) *warning = space->warning;
    return conceptSimilarity(*space, stimuli, third == "all");
}

// Maps the human matrix's rows to the compared stimuli by ID (from --rdm-rows, the file or its sidecar); a
// matrix without IDs is taken in --stimuli order.
Result<HumanDataset> alignHumanRows(HumanDataset data, const std::string& spec, const std::string& rowsPath,
                                    const StimulusSet& objects, const std::vector<std::int64_t>& stimuli)
{
    if (!rowsPath.empty()) {
        auto ids = readIdList(rowsPath);
        if (!ids) return ids.error();
        if (std::int64_t(ids->size()) != data.matrix.n)
            return makeError(rowsPath, "",
                             "names " + std::to_string(ids->size()) + " rows but " + spec + " has " +
                                 std::to_string(data.matrix.n));
        data.stimulusIds = std::move(ids).value();
    }
    std::vector<std::string> wanted;
    for (std::int64_t index : stimuli)
        wanted.push_back(objects.id(size_t(index)));
    return alignToStimuli(std::move(data), wanted, spec);
}

const std::vector<std::string> kKinds{"dissimilarity", "similarity"};

} // namespace

int runRsa(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    CLI::App app = makeApp("rsa", "Correlation of a model RDM with a human similarity matrix (RSA).");
    std::string objectsPath, stimuliPath, featuresPath, featureRows, rdmMethodChoice = "correlation",
                                                                     modelMatrixPath;
    std::string modelKind = "dissimilarity", rdmPath, rdmVar, rdmKind = "dissimilarity", rdmRows,
                conceptsPath, conceptRows;
    std::string third = "stimuli", compareName = "spearman", modelName;
    int replicates = 0, threads = 0;
    std::uint64_t seed = 0;
    bool json = false;
    app.add_option("--objects", objectsPath, "object table (THINGS concepts TSV or ID list)")->required();
    app.add_option("--stimuli", stimuliPath,
                   "IDs of the compared stimuli, in the order of the human matrix (default: every object)");
    auto* features = app.add_option("--features", featuresPath, "model features");
    app.add_option("--name", modelName, "the model's name in the result (default: the file's stem)");
    app.add_option("--feature-rows", featureRows, "row IDs of the features: FILE, canonical or sorted")
        ->needs(features);
    app.add_option("--rdm-method", rdmMethodChoice, "model RDM")
        ->capture_default_str()
        ->check(CLI::IsMember({"cosine", "correlation", "euclidean", "gaussian"}));
    auto* modelMatrix = app.add_option("--model-matrix", modelMatrixPath,
                                       "a model (dis)similarity matrix instead of features");
    app.add_option("--model-kind", modelKind, "what --model-matrix holds")
        ->capture_default_str()
        ->check(CLI::IsMember(kKinds))
        ->needs(modelMatrix);
    auto* rdm = app.add_option(
        "--rdm", rdmPath, "human (dis)similarity matrix (rows named by a .rows.txt sidecar or --rdm-rows)");
    app.add_option("--rdm-var", rdmVar, "variable of a MAT/HDF5/npz file")->needs(rdm);
    app.add_option("--rdm-kind", rdmKind, "what --rdm holds")
        ->capture_default_str()
        ->check(CLI::IsMember(kKinds))
        ->needs(rdm);
    app.add_option("--rdm-rows", rdmRows,
                   "stimulus IDs of the --rdm rows (default: its .rows.txt sidecar, else --stimuli order)")
        ->needs(rdm);
    auto* concepts = app.add_option("--concept-similarity", conceptsPath,
                                    "concept embedding whose similarity is the human matrix");
    app.add_option("--concept-rows", conceptRows, "row IDs of the concepts: FILE, canonical or sorted")
        ->needs(concepts);
    app.add_option("--third-objects", third, "objects that may be the third of a triplet")
        ->capture_default_str()
        ->check(CLI::IsMember({"stimuli", "all"}))
        ->needs(concepts);
    app.add_option("--compare", compareName, "RDM comparison")
        ->capture_default_str()
        ->check(CLI::IsMember({"spearman", "pearson", "kendall-a", "kendall-b", "cosine"}));
    addInteger(app, "--bootstrap", replicates, 0, 100000, "bootstrap replicates over stimuli");
    addSeed(app, seed);
    app.add_flag("--json", json, "print JSON");
    addThreads(app, threads);
    features->excludes(modelMatrix);
    rdm->excludes(concepts);
    if (auto exit = parseArguments(app, args, out, err)) return *exit;
    if (featuresPath.empty() == modelMatrixPath.empty() || rdmPath.empty() == conceptsPath.empty()) {
        err << "alignscope-cli rsa: give one of --features/--model-matrix and one of "
               "--rdm/--concept-similarity\n"
            << app.help();
        return 2;
    }
    configureComputeThreads(threads);
    auto objects = loadObjects(objectsPath);
    if (!objects) return fail(err, objects.error());
    auto stimuli = stimulusIndices(stimuliPath, *objects);
    if (!stimuli) return fail(err, stimuli.error());
    const std::int64_t n = std::int64_t(stimuli->size());
    auto compare = parseCompareMethod(compareName);
    auto method = parseRdmMethod(rdmMethodChoice);
    if (!compare) return fail(err, compare.error());
    if (!method) return fail(err, method.error());

    // Model side.
    Result<CondensedMatrix> model = makeError("", "", "no model");
    if (!featuresPath.empty()) {
        auto identity = optionalIdentity(featureRows);
        if (!identity) return fail(err, identity.error());
        auto loaded = loadFeaturesForSubset(featuresPath, *objects, *stimuli, *identity);
        if (!loaded) return fail(err, loaded.error());
        model = modelRdm(*loaded, *method);
    } else {
        const auto kind = parseKind(modelKind);
        auto matrix = loadSquareMatrix(modelMatrixPath, kind, {});
        if (!matrix) return fail(err, matrix.error());
        if (matrix->matrix.n != n)
            return fail(err, makeError(modelMatrixPath, "",
                                       "is " + std::to_string(matrix->matrix.n) + "×" +
                                           std::to_string(matrix->matrix.n) + " for " + std::to_string(n) +
                                           " stimuli"));
        model = condense(matrix->matrix.values, n, kind, modelMatrixPath);
    }
    if (!model) return fail(err, model.error());

    // Human side.
    Result<CondensedMatrix> human = makeError("", "", "no human data");
    std::vector<CondensedMatrix> subjects;
    if (!rdmPath.empty()) {
        const auto kind = parseKind(rdmKind);
        const std::string spec = rdmVar.empty() ? rdmPath : rdmPath + ":" + rdmVar;
        auto data = loadSquareMatrix(spec, kind, {});
        if (!data) return fail(err, data.error());
        auto aligned = alignHumanRows(std::move(data).value(), spec, rdmRows, *objects, *stimuli);
        if (!aligned) return fail(err, aligned.error());
        human = condense(aligned->matrix.values, n, kind, spec);
        subjects = std::move(aligned->subjects);
    } else {
        std::string warning;
        auto similarity =
            conceptSimilarityFor(conceptsPath, conceptRows, third, *objects, *stimuli, &warning);
        if (!similarity) return fail(err, similarity.error());
        if (!warning.empty()) err << "warning: " << warning << "\n";
        human = condense(similarity->values, n, SimilarityMatrix::Kind::Similarity, conceptsPath);
    }
    if (!human) return fail(err, human.error());

    // What makes RSA results comparable: the stimuli (IDs, in order) and the human RDM as compared.
    Sha256 humanHash;
    for (std::int64_t index : *stimuli) {
        const std::string& id = objects->id(size_t(index));
        humanHash.update(id.data(), id.size());
        humanHash.update("\n", 1);
    }
    humanHash.update("\n", 1);
    humanHash.update(human->values.data(), human->values.size() * sizeof(human->values[0]));
    const std::string humanSha256 = humanHash.hexDigest();

    std::optional<RsaInterval> interval;
    if (replicates > 0) interval = bootstrapStimuli(*model, *human, *compare, replicates, seed);
    const std::int64_t pairs = std::int64_t(model->values.size());
    // The RDMs are not needed afterwards: let Spearman rank them in place (memory for large stimulus sets).
    auto r = compareRdmsConsuming(std::move(model).value(), std::move(human).value(), *compare);
    if (!r) return fail(err, r.error());
    std::optional<NoiseCeiling> ceiling;
    if (subjects.size() >= 2) {
        auto computed = noiseCeiling(subjects, *compare);
        if (computed) ceiling = *computed;
    }
    if (!json) {
        out << std::setprecision(6) << compareMethodName(*compare) << " r = " << *r << " over " << n
            << " stimuli (" << pairs << " pairs)";
        if (interval) out << ", 95% CI [" << interval->low << ", " << interval->high << "]";
        if (ceiling) out << ", noise ceiling [" << ceiling->lower << ", " << ceiling->upper << "]";
        out << "\n";
        return 0;
    }
    JsonWriter writer;
    const std::string rdmMethod = !featuresPath.empty() ? rdmMethodName(*method) : "model-matrix";
    // The model's name, as compare and the figures show it: chosen, else the file's stem.
    if (modelName.empty())
        modelName =
            std::filesystem::path(splitKeySpec(!featuresPath.empty() ? featuresPath : modelMatrixPath).first)
                .stem()
                .string();
    writer.beginObject()
        .key("name")
        .value(modelName)
        .key("fingerprint")
        .beginObject()
        .key("human_rdm_sha256")
        .value(humanSha256)
        .key("n_stimuli")
        .value(n)
        .key("similarity")
        .value("rdm " + rdmMethod + ", compare " + compareMethodName(*compare))
        .endObject()
        .key("r")
        .value(*r)
        .key("n_stimuli")
        .value(n)
        .key("n_pairs")
        .value(pairs)
        .key("compare")
        .value(compareMethodName(*compare))
        .key("rdm_method")
        .value(rdmMethod)
        .key("ci95");
    if (interval)
        writer.beginArray().value(interval->low).value(interval->high).endArray();
    else
        writer.null();
    writer.key("noise_ceiling");
    if (ceiling)
        writer.beginObject()
            .key("lower")
            .value(ceiling->lower)
            .key("upper")
            .value(ceiling->upper)
            .endObject();
    else
        writer.null();
    out << writer.endObject().text() << "\n";
    return 0;
}

int runConceptSimilarity(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    CLI::App app = makeApp("concept-similarity",
                           "Human similarity matrix from a concept embedding (Hebart et al. 2020).");
    std::string objectsPath, conceptsPath, conceptRows, stimuliPath, third = "stimuli", outPath;
    int threads = 0;
    app.add_option("--objects", objectsPath, "object table")->required();
    app.add_option("--concepts", conceptsPath, "concept embedding (non-negative)")->required();
    app.add_option("--concept-rows", conceptRows, "row IDs of the concepts: FILE, canonical or sorted");
    app.add_option("--stimuli", stimuliPath, "IDs of the stimuli of the matrix (default: every object)");
    app.add_option("--third-objects", third, "objects that may be the third of a triplet")
        ->capture_default_str()
        ->check(CLI::IsMember({"stimuli", "all"}));
    app.add_option("--out", outPath, "output .npy (n × n float32)")->required();
    addThreads(app, threads);
    if (auto exit = parseArguments(app, args, out, err)) return *exit;
    configureComputeThreads(threads);
    auto objects = loadObjects(objectsPath);
    if (!objects) return fail(err, objects.error());
    auto stimuli = stimulusIndices(stimuliPath, *objects);
    if (!stimuli) return fail(err, stimuli.error());
    std::string warning;
    auto similarity = conceptSimilarityFor(conceptsPath, conceptRows, third, *objects, *stimuli, &warning);
    if (!similarity) return fail(err, similarity.error());
    if (!warning.empty()) err << "warning: " << warning << "\n";
    auto status = writeNpy(outPath, makeFloat32Array({similarity->n, similarity->n}, similarity->values));
    if (!status) return fail(err, status.error());
    out << "wrote " << similarity->n << "×" << similarity->n << " similarity matrix to " << outPath << "\n";
    return 0;
}

int runCka(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    CLI::App app = makeApp("cka", "Centered kernel alignment of two feature sets.");
    std::string objectsPath, featureRows, kernel = "linear";
    std::vector<std::string> featurePaths;
    int threads = 0;
    bool json = false;
    CkaOptions options;
    app.add_option("--objects", objectsPath, "object table")->required();
    app.add_option("--features", featurePaths, "feature file (give exactly two)")->required();
    app.add_option("--feature-rows", featureRows, "row IDs of both feature files: FILE, canonical or sorted");
    app.add_option("--kernel", kernel, "kernel")
        ->capture_default_str()
        ->check(CLI::IsMember({"linear", "rbf"}));
    addReal(app, "--sigma", options.sigmaScale, 0, 1e30,
            "RBF width as a multiple of the median pairwise distance (1: the median)", true);
    app.add_flag("--unbiased", options.unbiased, "unbiased HSIC estimator");
    app.add_flag("--json", json, "print JSON");
    addThreads(app, threads);
    if (auto exit = parseArguments(app, args, out, err)) return *exit;
    if (featurePaths.size() != 2) {
        err << "alignscope-cli cka: give --features exactly twice\n" << app.help();
        return 2;
    }
    configureComputeThreads(threads);
    auto objects = loadObjects(objectsPath);
    if (!objects) return fail(err, objects.error());
    auto identity = optionalIdentity(featureRows);
    if (!identity) return fail(err, identity.error());
    std::vector<FeatureMatrix> features;
    for (const auto& spec : featurePaths) {
        auto loaded = loadFeatures(spec, *objects, *identity);
        if (!loaded) return fail(err, loaded.error());
        features.push_back(std::move(loaded).value());
    }
    options.kernel = kernel == "rbf" ? CkaKernel::Rbf : CkaKernel::Linear;
    auto value = cka(features[0], features[1], options);
    if (!value) return fail(err, value.error());
    if (json) {
        JsonWriter writer;
        out << writer.beginObject()
                   .key("cka")
                   .value(*value)
                   .key("kernel")
                   .value(kernel)
                   .key("unbiased")
                   .value(options.unbiased)
                   .key("n_stimuli")
                   .value(features[0].rows)
                   .endObject()
                   .text()
            << "\n";
    } else {
        out << "CKA (" << kernel << (options.unbiased ? ", unbiased" : "") << ") = " << std::setprecision(6)
            << *value << "\n";
    }
    return 0;
}

} // namespace alignscope::cli
