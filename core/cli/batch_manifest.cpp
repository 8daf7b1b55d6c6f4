#include "batch_manifest.h"

#include "alignscope/json_reader.h"

#include <filesystem>
#include <set>

namespace alignscope::cli {

namespace fs = std::filesystem;

namespace {

std::string safeName(std::string text)
{
    for (char& c : text)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
    return text;
}

struct ModelEntry
{
    std::string name, features, rows;
    bool extracted = false;
};

std::string variantOf(const JsonValue& analysis)
{
    const std::string type = analysis.stringOr("type");
    if (type == "ooo") return analysis.stringOr("similarity", "cosine");
    if (type == "rsa") return analysis.stringOr("rdm_method", "correlation") + "-" + analysis.stringOr("compare", "spearman");
    if (type == "probe") {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%g", analysis.numberOr("lambda", 0.1));
        return std::string("lambda") + buffer;
    }
    return {};
}

} // namespace

Result<std::vector<BatchJob>> expandManifest(const std::string& manifestPath, const std::string& outputFolder)
{
    auto manifest = readJsonFile(manifestPath);
    if (!manifest) return manifest.error();
    if (!manifest->isObject()) return makeError(manifestPath, "", "a manifest is a JSON object with models, datasets and analyses");
    const fs::path base = fs::absolute(fs::path(manifestPath)).parent_path();
    auto resolve = [&](const std::string& path) { return path.empty() || fs::path(path).is_absolute() ? path : (base / path).lexically_normal().string(); };
    const JsonValue* models = manifest->find("models");
    const JsonValue* datasets = manifest->find("datasets");
    const JsonValue* analyses = manifest->find("analyses");
    for (const auto& [key, value] : {std::pair<const char*, const JsonValue*>{"models", models}, {"datasets", datasets}, {"analyses", analyses}})
        if (!value || !value->isArray() || value->array.empty()) return makeError(manifestPath, key, "must be a non-empty array");

    std::vector<BatchJob> jobs;
    std::vector<ModelEntry> modelEntries;
    std::set<std::string> names;
    for (const JsonValue& m : models->array) {
        ModelEntry entry;
        entry.name = safeName(m.stringOr("name"));
        if (entry.name.empty() || !names.insert("model:" + entry.name).second)
            return makeError(manifestPath, "models", "every model needs a unique name");
        if (!m.stringOr("torchscript").empty()) {
            entry.extracted = true;
            entry.features = (fs::path(outputFolder) / "features" / (entry.name + ".npy")).string();
            BatchJob job;
            job.name = "extract." + entry.name;
            job.stage = "extract";
            job.analysis = "extract";
            job.model = entry.name;
            job.arguments = {"extract", "--model", resolve(m.stringOr("torchscript")), "--images", resolve(m.stringOr("images")),
                             "--out", entry.features, "--preset", m.stringOr("preset", "imagenet"), "--json", "--quiet",
                             "--cache", (fs::path(outputFolder) / "cache").string()};
            if (!m.stringOr("output").empty()) job.arguments.insert(job.arguments.end(), {"--output", m.stringOr("output")});
            if (!m.stringOr("method").empty()) job.arguments.insert(job.arguments.end(), {"--method", m.stringOr("method")});
            if (m.stringOr("images").empty()) return makeError(manifestPath, "model '" + entry.name + "'", "a TorchScript model needs \"images\"");
            jobs.push_back(std::move(job));
        } else if (!m.stringOr("features").empty()) {
            entry.features = resolve(m.stringOr("features"));
            entry.rows = m.stringOr("rows");
            if (entry.rows != "canonical" && entry.rows != "sorted") entry.rows = resolve(entry.rows);
        } else {
            return makeError(manifestPath, "model '" + entry.name + "'", "needs \"features\" or \"torchscript\"");
        }
        modelEntries.push_back(std::move(entry));
    }
    for (const JsonValue& d : datasets->array) {
        const std::string dataset = safeName(d.stringOr("name"));
        if (dataset.empty() || !names.insert("dataset:" + dataset).second)
            return makeError(manifestPath, "datasets", "every dataset needs a unique name");
        if (d.stringOr("objects").empty()) return makeError(manifestPath, "dataset '" + dataset + "'", "needs \"objects\"");
        for (const ModelEntry& model : modelEntries)
            for (const JsonValue& a : analyses->array) {
                const std::string type = a.stringOr("type");
                if (type != "ooo" && type != "rsa" && type != "probe")
                    return makeError(manifestPath, "analyses", "unknown analysis type '" + type + "' (ooo, rsa, probe)");
                const bool needsTriplets = type != "rsa";
                if (needsTriplets ? d.stringOr("triplets").empty() : d.stringOr("rdm").empty()) continue;
                BatchJob job;
                job.stage = "analyse";
                job.analysis = type;
                job.model = model.name;
                job.dataset = dataset;
                job.variant = safeName(variantOf(a));
                job.name = type + "-" + job.variant + "." + model.name + "." + dataset;
                if (!names.insert(job.name).second) return makeError(manifestPath, "analyses", "two analyses give the same job '" + job.name + "'");
                std::vector<std::string>& args = job.arguments;
                args = {type, "--objects", resolve(d.stringOr("objects")), "--features", model.features};
                if (!model.rows.empty()) args.insert(args.end(), {"--feature-rows", model.rows});
                if (type == "ooo") {
                    args.insert(args.end(), {"--triplets", resolve(d.stringOr("triplets")), "--similarity", a.stringOr("similarity", "cosine")});
                    if (!d.stringOr("concepts").empty()) {
                        args.insert(args.end(), {"--concepts", resolve(d.stringOr("concepts"))});
                        const std::string rows = d.stringOr("concept_rows");
                        if (!rows.empty()) args.insert(args.end(), {"--concept-rows", rows == "sorted" || rows == "canonical" ? rows : resolve(rows)});
                    }
                } else if (type == "rsa") {
                    args.insert(args.end(), {"--rdm", resolve(d.stringOr("rdm")), "--rdm-kind", d.stringOr("rdm_kind", "dissimilarity"),
                                             "--rdm-method", a.stringOr("rdm_method", "correlation"), "--compare", a.stringOr("compare", "spearman")});
                    if (!d.stringOr("stimuli").empty()) args.insert(args.end(), {"--stimuli", resolve(d.stringOr("stimuli"))});
                } else {
                    char lambda[32], folds[16];
                    std::snprintf(lambda, sizeof lambda, "%.17g", a.numberOr("lambda", 0.1));
                    std::snprintf(folds, sizeof folds, "%d", int(a.numberOr("folds", 3)));
                    args.insert(args.end(), {"--triplets", resolve(d.stringOr("triplets")), "--lambda", lambda, "--folds", folds, "--seed",
                                             std::to_string(std::int64_t(a.numberOr("seed", 42)))});
                }
                args.push_back("--json");
                jobs.push_back(std::move(job));
            }
    }
    return jobs;
}

} // namespace alignscope::cli
