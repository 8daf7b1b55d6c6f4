// alignscope-cli neighbours: each object's nearest neighbours under a model and under humans, and how far
// they agree (Jaccard@k, Spearman's rho of the object's two similarity rows).
#include "alignscope/json_writer.h"
#include "arguments.h"
#include "commands.h"

#include "alignscope/datasets.h"
#include "alignscope/human_similarity.h"
#include "alignscope/object_neighbours.h"
#include "alignscope/text_matrix.h"
#include "alignscope/version.h"

#include <iomanip>

namespace alignscope::cli {

namespace {

Result<std::optional<RowIdentity>> optionalIdentity(const std::string& argument)
{
    if (argument.empty()) return std::optional<RowIdentity>();
    auto identity = rowIdentityFromArgument(argument);
    if (!identity) return identity.error();
    return std::optional<RowIdentity>(std::move(identity).value());
}

// The human similarity over the objects, in their order: the concept embedding's (Hebart et al. 2020), or
// a matrix whose rows are named by --rdm-rows, the file or its sidecar (a matrix without IDs is taken in the
// objects' order, as rsa does).
Result<SimilarityMatrix> humanSimilarity(const std::string& conceptsPath, const std::string& conceptRows,
                                         const std::string& rdmPath, const std::string& rdmKind,
                                         const std::string& rdmRows, const StimulusSet& objects)
{
    if (!conceptsPath.empty()) {
        auto identity = optionalIdentity(conceptRows);
        if (!identity) return identity.error();
        auto space = loadConceptSpace(conceptsPath, objects, *identity);
        if (!space) return space.error();
        std::vector<std::int64_t> all(objects.size());
        for (size_t s = 0; s < all.size(); ++s)
            all[s] = std::int64_t(s);
        auto similarity = conceptSimilarity(*space, all, false);
        if (similarity) similarity->origin = conceptsPath;
        return similarity;
    }
    const auto kind =
        rdmKind == "similarity" ? SimilarityMatrix::Kind::Similarity : SimilarityMatrix::Kind::Dissimilarity;
    auto data = loadSquareMatrix(rdmPath, kind, {});
    if (!data) return data.error();
    if (!rdmRows.empty()) {
        auto ids = readIdList(rdmRows);
        if (!ids) return ids.error();
        if (std::int64_t(ids->size()) != data->matrix.n)
            return makeError(rdmRows, "",
                             "names " + std::to_string(ids->size()) + " rows but " + rdmPath + " has " +
                                 std::to_string(data->matrix.n));
        data->stimulusIds = std::move(ids).value();
    }
    auto aligned = alignToStimuli(std::move(data).value(), objects.ids(), rdmPath);
    if (!aligned) return aligned.error();
    SimilarityMatrix matrix = std::move(aligned->matrix);
    matrix.kind = kind;
    matrix.origin = rdmPath;
    return matrix;
}

void writeIds(JsonWriter& json, const StimulusSet& objects, const std::vector<std::int64_t>& indices)
{
    json.beginArray();
    for (std::int64_t index : indices)
        json.value(objects.id(size_t(index)));
    json.endArray();
}

void printObject(std::ostream& out, const StimulusSet& objects, const ObjectNeighbours& object)
{
    auto names = [&](const std::vector<std::int64_t>& indices) {
        std::string text;
        for (std::int64_t index : indices)
            text += (text.empty() ? "" : ", ") + objects.id(size_t(index));
        return text;
    };
    out << std::fixed << std::setprecision(4) << object.id << ": jaccard " << object.jaccard << ", spearman "
        << object.spearman << " (" << object.shared << " shared)\n"
        << "  model: " << names(object.model) << "\n"
        << "  human: " << names(object.human) << "\n";
}

} // namespace

int runNeighbours(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    CLI::App app =
        makeApp("neighbours", "Each object's nearest neighbours under a model and under humans, and "
                              "their agreement (Jaccard@k, Spearman's rho of the similarity rows).");
    std::string objectsPath, featuresPath, featureRows,
        similarityChoice = "cosine", conceptsPath, conceptRows, rdmPath, rdmKind = "dissimilarity", rdmRows,
        objectId;
    int k = 10, threads = 0;
    bool json = false;
    app.add_option("--objects", objectsPath, "object table (THINGS concepts TSV or ID list)")->required();
    app.add_option("--features", featuresPath, "model features")->required();
    app.add_option("--feature-rows", featureRows, "row IDs of the features: FILE, canonical or sorted");
    app.add_option("--similarity", similarityChoice, "the model's similarity")
        ->capture_default_str()
        ->check(CLI::IsMember({"cosine", "dot", "euclidean", "correlation"}));
    auto* concepts =
        app.add_option("--concepts", conceptsPath, "concept embedding whose similarity is the human space");
    app.add_option("--concept-rows", conceptRows, "row IDs of the concepts: FILE, canonical or sorted")
        ->needs(concepts);
    auto* rdm = app.add_option("--rdm", rdmPath,
                               "human (dis)similarity matrix (FILE or FILE:VAR; rows named by a .rows.txt "
                               "sidecar or --rdm-rows)");
    app.add_option("--rdm-kind", rdmKind, "what --rdm holds")
        ->capture_default_str()
        ->check(CLI::IsMember({"dissimilarity", "similarity"}))
        ->needs(rdm);
    app.add_option("--rdm-rows", rdmRows, "object IDs of the --rdm rows")->needs(rdm);
    rdm->excludes(concepts);
    addInteger(app, "--k", k, 1, 1000000, "neighbours per object");
    app.add_option("--object", objectId, "print only this object (its ID)");
    app.add_flag("--json", json, "print JSON");
    addThreads(app, threads);
    if (auto exit = parseArguments(app, args, out, err)) return *exit;
    if (rdmPath.empty() == conceptsPath.empty()) {
        err << "alignscope-cli neighbours: give one of --concepts and --rdm\n" << app.help();
        return 2;
    }
    configureComputeThreads(threads);
    auto objects = loadObjects(objectsPath);
    if (!objects) return fail(err, objects.error());
    std::optional<size_t> only;
    if (!objectId.empty()) {
        only = objects->indexOf(objectId);
        if (!only) return fail(err, makeError(objectsPath, "", "has no object '" + objectId + "'"));
    }
    auto identity = optionalIdentity(featureRows);
    if (!identity) return fail(err, identity.error());
    auto features = loadFeatures(featuresPath, *objects, *identity);
    if (!features) return fail(err, features.error());
    const SimilarityKind kind = *parseSimilarityKind(similarityChoice);
    auto model = computeSimilarity(*features, kind, ComputeDevice::Cpu);
    if (!model) return fail(err, Error{featuresPath, model.error().position, model.error().reason});
    model->features = &features.value();
    auto human = humanSimilarity(conceptsPath, conceptRows, rdmPath, rdmKind, rdmRows, *objects);
    if (!human) return fail(err, human.error());
    auto result = compareNeighbours(*objects, *model, *human, k);
    if (!result) return fail(err, result.error());

    if (!json) {
        if (only) {
            printObject(out, *objects, result->objects[*only]);
            return 0;
        }
        out << std::fixed << std::setprecision(4) << "k: " << k << ", similarity: " << similarityName(kind)
            << "\nmean jaccard: " << result->meanJaccard << "\nmean spearman: " << result->meanSpearman
            << "\n";
        for (const ObjectNeighbours& object : result->objects)
            out << object.id << "\t" << object.jaccard << "\t" << object.spearman << "\n";
        return 0;
    }
    JsonWriter writer;
    writer.beginObject()
        .key("k")
        .value(k)
        .key("similarity")
        .value(similarityName(kind))
        .key("human")
        .value(conceptsPath.empty() ? rdmPath : conceptsPath)
        .key("n_objects")
        .value(std::int64_t(objects->size()))
        .key("mean_jaccard")
        .value(result->meanJaccard)
        .key("mean_spearman")
        .value(result->meanSpearman)
        .key("objects")
        .beginArray();
    for (const ObjectNeighbours& object : result->objects) {
        if (only && object.id != objectId) continue;
        writer.beginObject().key("id").value(object.id).key("model_neighbours");
        writeIds(writer, *objects, object.model);
        writer.key("human_neighbours");
        writeIds(writer, *objects, object.human);
        writer.key("n_shared")
            .value(object.shared)
            .key("jaccard")
            .value(object.jaccard)
            .key("spearman")
            .value(object.spearman)
            .endObject();
    }
    writer.endArray().endObject();
    out << writer.text() << "\n";
    return 0;
}

} // namespace alignscope::cli
