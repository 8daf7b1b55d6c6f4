// alignscope-cli rsa / concept-similarity / cka.
#include "arguments.h"
#include "commands.h"
#include "alignscope/json_writer.h"

#include "alignscope/cka.h"
#include "alignscope/datasets.h"
#include "alignscope/human_similarity.h"
#include "alignscope/npy.h"
#include "alignscope/rsa.h"
#include "alignscope/text_matrix.h"
#include "alignscope/version.h"

#include <iomanip>

namespace alignscope::cli {

namespace {

const char* const kRsaUsage = R"(usage: alignscope-cli rsa --objects FILE [--stimuli FILE]
    (--features FILE [--feature-rows FILE|canonical|sorted] [--rdm-method cosine|correlation|euclidean|gaussian]
     | --model-matrix FILE [--model-kind similarity|dissimilarity])
    (--rdm FILE [--rdm-var NAME] [--rdm-kind dissimilarity|similarity]
     | --concept-similarity FILE [--concept-rows FILE|canonical|sorted] [--third-objects stimuli|all])
    [--compare spearman|pearson|kendall-a|kendall-b|cosine] [--bootstrap N] [--seed S] [--json]
)";

// Object indices of the stimuli being compared: --stimuli IDs, or every object in order.
Result<std::vector<std::int64_t>> stimulusIndices(const Arguments& args, const StimulusSet& objects)
{
    std::vector<std::int64_t> indices;
    if (!args.has("stimuli")) {
        for (size_t i = 0; i < objects.size(); ++i) indices.push_back(std::int64_t(i));
        return indices;
    }
    const std::string path = args.value("stimuli");
    auto ids = readIdList(path);
    if (!ids) return ids.error();
    std::vector<std::string> unknown;
    for (const auto& id : *ids) {
        const auto index = objects.indexOf(id);
        if (index) indices.push_back(std::int64_t(*index));
        else unknown.push_back(id);
    }
    if (!unknown.empty())
        return makeError(path, "", std::to_string(unknown.size()) + " stimulus IDs are not objects of " + objects.origin +
                                       " (first: " + unknown.front() + ")");
    return indices;
}

Result<SimilarityMatrix::Kind> parseKind(const std::string& text, const std::string& option)
{
    if (text == "similarity") return SimilarityMatrix::Kind::Similarity;
    if (text == "dissimilarity") return SimilarityMatrix::Kind::Dissimilarity;
    return makeError("", "", "--" + option + " must be similarity or dissimilarity");
}

Result<std::optional<RowIdentity>> optionalIdentity(const Arguments& args, const std::string& option)
{
    if (!args.has(option)) return std::optional<RowIdentity>();
    auto identity = rowIdentityFromArgument(args.value(option));
    if (!identity) return identity.error();
    return std::optional<RowIdentity>(std::move(identity).value());
}

Result<SimilarityMatrix> conceptSimilarityFor(const Arguments& args, const StimulusSet& objects,
                                              const std::vector<std::int64_t>& stimuli, const std::string& option)
{
    auto identity = optionalIdentity(args, "concept-rows");
    if (!identity) return identity.error();
    auto space = loadConceptSpace(args.value(option), objects, *identity);
    if (!space) return space.error();
    const std::string third = args.value("third-objects", "stimuli");
    if (third != "stimuli" && third != "all") return makeError("", "", "--third-objects must be stimuli or all");
    return conceptSimilarity(*space, stimuli, third == "all");
}

} // namespace

int runRsa(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    auto parsed = Arguments::parse(args,
                                   {"objects", "stimuli", "features", "feature-rows", "rdm-method", "model-matrix", "model-kind",
                                    "rdm", "rdm-var", "rdm-kind", "concept-similarity", "concept-rows", "third-objects",
                                    "compare", "bootstrap", "seed", "threads"},
                                   {"json", "help"});
    if (auto exit = usageExit(parsed, "rsa", kRsaUsage, out, err)) return *exit;
    const Arguments& a = *parsed;
    if (!a.has("objects") || a.has("features") == a.has("model-matrix") || a.has("rdm") == a.has("concept-similarity")) {
        err << "alignscope-cli rsa: give --objects, one of --features/--model-matrix and one of --rdm/--concept-similarity\n" << kRsaUsage;
        return 2;
    }
    configureComputeThreads(std::atoi(a.value("threads", "0").c_str()));
    auto objects = loadObjects(a.value("objects"));
    if (!objects) return fail(err, objects.error());
    auto stimuli = stimulusIndices(a, *objects);
    if (!stimuli) return fail(err, stimuli.error());
    const std::int64_t n = std::int64_t(stimuli->size());
    auto compare = parseCompareMethod(a.value("compare", "spearman"));
    auto method = parseRdmMethod(a.value("rdm-method", "correlation"));
    if (!compare) return fail(err, compare.error());
    if (!method) return fail(err, method.error());

    // Model side.
    Result<CondensedMatrix> model = makeError("", "", "no model");
    if (a.has("features")) {
        auto identity = optionalIdentity(a, "feature-rows");
        if (!identity) return fail(err, identity.error());
        auto features = loadFeaturesForSubset(a.value("features"), *objects, *stimuli, *identity);
        if (!features) return fail(err, features.error());
        model = modelRdm(*features, *method);
    } else {
        auto kind = parseKind(a.value("model-kind", "dissimilarity"), "model-kind");
        if (!kind) return fail(err, kind.error());
        auto matrix = loadSquareMatrix(a.value("model-matrix"), *kind, {});
        if (!matrix) return fail(err, matrix.error());
        if (matrix->matrix.n != n)
            return fail(err, makeError(a.value("model-matrix"), "", "is " + std::to_string(matrix->matrix.n) + "×" +
                                                                       std::to_string(matrix->matrix.n) + " for " + std::to_string(n) + " stimuli"));
        model = condense(matrix->matrix.values, n, *kind, a.value("model-matrix"));
    }
    if (!model) return fail(err, model.error());

    // Human side.
    Result<CondensedMatrix> human = makeError("", "", "no human data");
    std::vector<CondensedMatrix> subjects;
    if (a.has("rdm")) {
        auto kind = parseKind(a.value("rdm-kind", "dissimilarity"), "rdm-kind");
        if (!kind) return fail(err, kind.error());
        const std::string spec = a.has("rdm-var") ? a.value("rdm") + ":" + a.value("rdm-var") : a.value("rdm");
        auto data = loadSquareMatrix(spec, *kind, {});
        if (!data) return fail(err, data.error());
        if (data->matrix.n != n)
            return fail(err, makeError(spec, "", "covers " + std::to_string(data->matrix.n) + " stimuli, the model " + std::to_string(n)));
        human = condense(data->matrix.values, n, *kind, spec);
        subjects = std::move(data->subjects);
    } else {
        auto similarity = conceptSimilarityFor(a, *objects, *stimuli, "concept-similarity");
        if (!similarity) return fail(err, similarity.error());
        human = condense(similarity->values, n, SimilarityMatrix::Kind::Similarity, a.value("concept-similarity"));
    }
    if (!human) return fail(err, human.error());

    const int replicates = std::atoi(a.value("bootstrap", "0").c_str());
    const std::uint64_t seed = std::strtoull(a.value("seed", "0").c_str(), nullptr, 10);
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
    if (!a.has("json")) {
        out << std::setprecision(6) << compareMethodName(*compare) << " r = " << *r << " over " << n << " stimuli ("
            << pairs << " pairs)";
        if (interval) out << ", 95% CI [" << interval->low << ", " << interval->high << "]";
        if (ceiling) out << ", noise ceiling [" << ceiling->lower << ", " << ceiling->upper << "]";
        out << "\n";
        return 0;
    }
    JsonWriter json;
    json.beginObject().key("r").value(*r).key("n_stimuli").value(n).key("n_pairs").value(pairs)
        .key("compare").value(compareMethodName(*compare))
        .key("rdm_method").value(a.has("features") ? rdmMethodName(*method) : "model-matrix").key("ci95");
    if (interval) json.beginArray().value(interval->low).value(interval->high).endArray();
    else json.null();
    json.key("noise_ceiling");
    if (ceiling) json.beginObject().key("lower").value(ceiling->lower).key("upper").value(ceiling->upper).endObject();
    else json.null();
    out << json.endObject().text() << "\n";
    return 0;
}

int runConceptSimilarity(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    auto parsed = Arguments::parse(args, {"objects", "concepts", "concept-rows", "stimuli", "third-objects", "out", "threads"}, {"help"});
    const char* usage = "usage: alignscope-cli concept-similarity --objects FILE --concepts FILE [--concept-rows FILE|canonical|sorted]\n"
                        "    [--stimuli FILE] [--third-objects stimuli|all] --out FILE.npy\n";
    if (auto exit = usageExit(parsed, "concept-similarity", usage, out, err,
                              [](const Arguments& a) { return a.has("objects") && a.has("concepts") && a.has("out"); }))
        return *exit;
    configureComputeThreads(std::atoi(parsed->value("threads", "0").c_str()));
    auto objects = loadObjects(parsed->value("objects"));
    if (!objects) return fail(err, objects.error());
    auto stimuli = stimulusIndices(*parsed, *objects);
    if (!stimuli) return fail(err, stimuli.error());
    auto similarity = conceptSimilarityFor(*parsed, *objects, *stimuli, "concepts");
    if (!similarity) return fail(err, similarity.error());
    auto status = writeNpy(parsed->value("out"), makeFloat32Array({similarity->n, similarity->n}, similarity->values));
    if (!status) return fail(err, status.error());
    out << "wrote " << similarity->n << "×" << similarity->n << " similarity matrix to " << parsed->value("out") << "\n";
    return 0;
}

int runCka(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    auto parsed = Arguments::parse(args, {"objects", "features", "feature-rows", "kernel", "sigma", "threads"}, {"json", "unbiased", "help"});
    const char* usage = "usage: alignscope-cli cka --objects FILE --features A --features B [--feature-rows FILE|canonical|sorted]\n"
                        "    [--kernel linear|rbf] [--sigma S] [--unbiased] [--json]\n";
    if (auto exit = usageExit(parsed, "cka", usage, out, err,
                              [](const Arguments& a) { return a.has("objects") && a.values("features").size() == 2; }))
        return *exit;
    configureComputeThreads(std::atoi(parsed->value("threads", "0").c_str()));
    auto objects = loadObjects(parsed->value("objects"));
    if (!objects) return fail(err, objects.error());
    auto identity = optionalIdentity(*parsed, "feature-rows");
    if (!identity) return fail(err, identity.error());
    std::vector<FeatureMatrix> features;
    for (const auto& spec : parsed->values("features")) {
        auto loaded = loadFeatures(spec, *objects, *identity);
        if (!loaded) return fail(err, loaded.error());
        features.push_back(std::move(loaded).value());
    }
    CkaOptions options;
    const std::string kernel = parsed->value("kernel", "linear");
    if (kernel != "linear" && kernel != "rbf") return fail(err, makeError("", "", "--kernel must be linear or rbf"));
    options.kernel = kernel == "rbf" ? CkaKernel::Rbf : CkaKernel::Linear;
    options.sigma = std::atof(parsed->value("sigma", "0").c_str());
    options.unbiased = parsed->has("unbiased");
    auto value = cka(features[0], features[1], options);
    if (!value) return fail(err, value.error());
    if (parsed->has("json")) {
        JsonWriter json;
        out << json.beginObject().key("cka").value(*value).key("kernel").value(kernel).key("unbiased").value(options.unbiased)
                   .key("n_stimuli").value(features[0].rows).endObject().text() << "\n";
    } else {
        out << "CKA (" << kernel << (options.unbiased ? ", unbiased" : "") << ") = " << std::setprecision(6) << *value << "\n";
    }
    return 0;
}

} // namespace alignscope::cli
