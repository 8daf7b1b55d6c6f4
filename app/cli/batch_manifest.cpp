#include "batch_manifest.h"

#include "alignscope/json_reader.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

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

// What a manifest object may hold: each key's type, and for strings the values allowed (empty: any).
struct KeyRule
{
    enum class Type
    {
        String,
        Number,
        Integer,
        Metadata // an object of text, numbers, booleans or nulls: a model's metadata
    } type = Type::String;
    std::vector<std::string> values;
    double low = 0, high = 0; // numbers
};
using Schema = std::map<std::string, KeyRule>;

const KeyRule kText{};
KeyRule oneOf(std::vector<std::string> values)
{
    return {KeyRule::Type::String, std::move(values), 0, 0};
}

const Schema kModelSchema{{"name", kText},
                          {"features", kText},
                          {"rows", kText},
                          {"torchscript", kText},
                          {"model", kText},
                          {"weights", kText},
                          {"layers", kText},
                          {"images", kText},
                          {"output", kText},
                          {"method", kText},
                          {"preset", oneOf({"imagenet", "clip", "none"})},
                          {"meta", {KeyRule::Type::Metadata, {}, 0, 0}}};
const Schema kDatasetSchema{{"name", kText},
                            {"objects", kText},
                            {"triplets", kText},
                            {"concepts", kText},
                            {"concept_rows", kText},
                            {"rdm", kText},
                            {"rdm_kind", oneOf({"dissimilarity", "similarity"})},
                            {"stimuli", kText},
                            {"rdm_rows", kText}};
const Schema kAnalysisSchema{{"type", oneOf({"ooo", "rsa", "probe"})},
                             {"similarity", oneOf({"cosine", "dot", "euclidean", "correlation"})},
                             {"rdm_method", oneOf({"cosine", "correlation", "euclidean", "gaussian"})},
                             {"compare", oneOf({"spearman", "pearson", "kendall-a", "kendall-b", "cosine"})},
                             {"lambda", {KeyRule::Type::Number, {}, 0, 1e12}},
                             {"folds", {KeyRule::Type::Integer, {}, 2, 100}},
                             {"seed", {KeyRule::Type::Integer, {}, 0, 9007199254740992.0}},
                             {"bootstrap", {KeyRule::Type::Integer, {}, 0, 100000}}};

std::string joined(const std::vector<std::string>& values)
{
    std::string text;
    for (const auto& v : values)
        text += (text.empty() ? "" : ", ") + v;
    return text;
}

// Unknown keys, wrong types and values out of range are errors naming the key ("analyses[2].folds").
Status checkObject(const JsonValue& object, const Schema& schema, const std::string& where,
                   const std::string& file)
{
    if (!object.isObject()) return makeError(file, where, "must be a JSON object");
    for (const auto& [key, value] : object.object) {
        const std::string at = where + "." + key;
        const auto rule = schema.find(key);
        if (rule == schema.end()) {
            std::vector<std::string> known;
            for (const auto& [name, unused] : schema)
                known.push_back(name);
            return makeError(file, at, "unknown key (known: " + joined(known) + ")");
        }
        const KeyRule& r = rule->second;
        if (r.type == KeyRule::Type::String) {
            if (!value.isString()) return makeError(file, at, "must be a string");
            if (!r.values.empty() &&
                std::find(r.values.begin(), r.values.end(), value.string) == r.values.end())
                return makeError(file, at, "'" + value.string + "' is not one of " + joined(r.values));
            continue;
        }
        if (r.type == KeyRule::Type::Metadata) {
            if (!value.isObject())
                return makeError(file, at, "must be an object of metadata (column: value)");
            for (const auto& [column, cell] : value.object)
                if (cell.isArray() || cell.isObject())
                    return makeError(file, at + "." + column, "must be text, a number, true/false or null");
            continue;
        }
        if (!value.isNumber()) return makeError(file, at, "must be a number");
        char got[40];
        std::snprintf(got, sizeof got, "%.17g", value.number);
        if (r.type == KeyRule::Type::Integer && (!value.integral || value.number != std::floor(value.number)))
            return makeError(file, at, std::string("must be a whole number (got ") + got + ")");
        if (!(value.number >= r.low && value.number <= r.high)) {
            char range[80];
            std::snprintf(range, sizeof range, "from %.17g to %.17g", r.low, r.high);
            return makeError(file, at, std::string("must be ") + range + " (got " + got + ")");
        }
    }
    return okStatus();
}

std::string numberText(double value, const char* format)
{
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, format, value);
    return buffer;
}

std::string variantOf(const JsonValue& analysis)
{
    const std::string type = analysis.stringOr("type");
    if (type == "ooo") return analysis.stringOr("similarity", "cosine");
    if (type == "rsa")
        return analysis.stringOr("rdm_method", "correlation") + "-" +
               analysis.stringOr("compare", "spearman");
    if (type == "probe") return "lambda" + numberText(analysis.numberOr("lambda", 0.1), "%g");
    return {};
}

} // namespace

Result<std::vector<BatchJob>> expandManifest(const std::string& manifestPath, const std::string& outputFolder,
                                             std::vector<ModelMeta>* modelMeta)
{
    auto manifest = readJsonFile(manifestPath);
    if (!manifest) return manifest.error();
    if (!manifest->isObject())
        return makeError(manifestPath, "", "a manifest is a JSON object with models, datasets and analyses");
    const fs::path base = fs::absolute(fs::path(manifestPath)).parent_path();
    auto resolve = [&](const std::string& path) {
        return path.empty() || fs::path(path).is_absolute() ? path
                                                            : (base / path).lexically_normal().string();
    };
    const JsonValue* models = manifest->find("models");
    const JsonValue* datasets = manifest->find("datasets");
    const JsonValue* analyses = manifest->find("analyses");
    for (const auto& [key, value] : manifest->object)
        if (key != "models" && key != "datasets" && key != "analyses" && key != "description")
            return makeError(manifestPath, key,
                             "unknown key (known: models, datasets, analyses, description)");
    for (const auto& [key, value] : {std::pair<const char*, const JsonValue*>{"models", models},
                                     {"datasets", datasets},
                                     {"analyses", analyses}})
        if (!value || !value->isArray() || value->array.empty())
            return makeError(manifestPath, key, "must be a non-empty array");
    for (const auto& [key, list, schema] :
         {std::tuple<const char*, const JsonValue*, const Schema*>{"models", models, &kModelSchema},
          {"datasets", datasets, &kDatasetSchema},
          {"analyses", analyses, &kAnalysisSchema}})
        for (size_t i = 0; i < list->array.size(); ++i)
            if (auto checked = checkObject(list->array[i], *schema,
                                           std::string(key) + "[" + std::to_string(i) + "]", manifestPath);
                !checked)
                return checked.error();
    for (size_t i = 0; i < analyses->array.size(); ++i)
        if (!analyses->array[i].find("type"))
            return makeError(manifestPath, "analyses[" + std::to_string(i) + "].type", "is required");

    std::vector<BatchJob> jobs;
    std::vector<ModelEntry> modelEntries;
    std::set<std::string> names;
    for (const JsonValue& m : models->array) {
        ModelEntry entry;
        entry.name = safeName(m.stringOr("name"));
        if (entry.name.empty() || !names.insert("model:" + entry.name).second)
            return makeError(manifestPath, "models", "every model needs a unique name");
        if (const JsonValue* meta = m.find("meta"); meta && modelMeta)
            modelMeta->push_back({entry.name, *meta});
        if (!m.stringOr("torchscript").empty() && !m.stringOr("model").empty())
            return makeError(manifestPath, "model '" + entry.name + "'",
                             "has both \"torchscript\" and \"model\"");
        if ((!m.stringOr("weights").empty() || !m.stringOr("layers").empty()) && m.stringOr("model").empty())
            return makeError(manifestPath, "model '" + entry.name + "'",
                             "\"weights\" and \"layers\" go with a model by name (\"model\")");
        const std::string byName = m.stringOr("model");
        if (!byName.empty() && byName.rfind("torchvision:", 0) != 0 && byName.rfind("python:", 0) != 0)
            return makeError(manifestPath, "model '" + entry.name + "'",
                             "\"model\" names torchvision:NAME or python:FILE.py[:FUNCTION]");
        if (!m.stringOr("torchscript").empty() || !byName.empty()) {
            entry.extracted = true;
            entry.features = (fs::path(outputFolder) / "features" / (entry.name + ".npy")).string();
            BatchJob job;
            job.name = "extract." + entry.name;
            job.stage = "extract";
            job.analysis = "extract";
            job.model = entry.name;
            // A model by name is exported once into the user's feature cache folder (ALIGNSCOPE_CACHE_DIR),
            // keyed by source, name, weights and layers, and shared by every job and run that names it.
            const std::string model = byName.empty() ? resolve(m.stringOr("torchscript"))
                                      : byName.rfind("python:", 0) == 0
                                          ? "python:" + resolve(byName.substr(7))
                                          : byName;
            job.arguments = {"extract",
                             "--model",
                             model,
                             "--images",
                             resolve(m.stringOr("images")),
                             "--out",
                             entry.features,
                             "--json",
                             "--quiet",
                             "--cache",
                             (fs::path(outputFolder) / "cache").string()};
            // Exported models carry their own preprocessing: a preset is passed only when the manifest asks.
            if (!m.stringOr("preset").empty())
                job.arguments.insert(job.arguments.end(), {"--preset", m.stringOr("preset")});
            if (!m.stringOr("weights").empty()) {
                const std::string weights = m.stringOr("weights");
                const bool file =
                    weights.find('/') != std::string::npos || weights.find(".pt") != std::string::npos;
                job.arguments.insert(job.arguments.end(), {"--weights", file ? resolve(weights) : weights});
            }
            if (!m.stringOr("layers").empty())
                job.arguments.insert(job.arguments.end(), {"--layers", m.stringOr("layers")});
            if (!m.stringOr("output").empty())
                job.arguments.insert(job.arguments.end(), {"--output", m.stringOr("output")});
            if (!m.stringOr("method").empty())
                job.arguments.insert(job.arguments.end(), {"--method", m.stringOr("method")});
            if (m.stringOr("images").empty())
                return makeError(manifestPath, "model '" + entry.name + "'",
                                 "a TorchScript model or a model by name needs \"images\"");
            jobs.push_back(std::move(job));
        } else if (!m.stringOr("features").empty()) {
            entry.features = resolve(m.stringOr("features"));
            entry.rows = m.stringOr("rows");
            if (entry.rows != "canonical" && entry.rows != "sorted") entry.rows = resolve(entry.rows);
        } else {
            return makeError(manifestPath, "model '" + entry.name + "'",
                             "needs \"features\", \"torchscript\" or \"model\"");
        }
        modelEntries.push_back(std::move(entry));
    }
    for (const JsonValue& d : datasets->array) {
        const std::string dataset = safeName(d.stringOr("name"));
        if (dataset.empty() || !names.insert("dataset:" + dataset).second)
            return makeError(manifestPath, "datasets", "every dataset needs a unique name");
        if (d.stringOr("objects").empty())
            return makeError(manifestPath, "dataset '" + dataset + "'", "needs \"objects\"");
        for (const ModelEntry& model : modelEntries)
            for (const JsonValue& a : analyses->array) {
                const std::string type = a.stringOr("type");
                if (type != "ooo" && type != "rsa" && type != "probe")
                    return makeError(manifestPath, "analyses",
                                     "unknown analysis type '" + type + "' (ooo, rsa, probe)");
                const bool needsTriplets = type != "rsa";
                if (needsTriplets ? d.stringOr("triplets").empty() : d.stringOr("rdm").empty()) continue;
                BatchJob job;
                job.stage = "analyse";
                job.analysis = type;
                job.model = model.name;
                job.dataset = dataset;
                job.variant = safeName(variantOf(a));
                job.name = type + "-" + job.variant + "." + model.name + "." + dataset;
                if (!names.insert(job.name).second)
                    return makeError(manifestPath, "analyses",
                                     "two analyses give the same job '" + job.name + "'");
                std::vector<std::string>& args = job.arguments;
                args = {type, "--objects", resolve(d.stringOr("objects")), "--features", model.features};
                if (!model.rows.empty()) args.insert(args.end(), {"--feature-rows", model.rows});
                if (type == "ooo") {
                    args.insert(args.end(), {"--triplets", resolve(d.stringOr("triplets")), "--similarity",
                                             a.stringOr("similarity", "cosine")});
                    if (a.find("bootstrap"))
                        args.insert(args.end(),
                                    {"--bootstrap", numberText(a.numberOr("bootstrap", 0), "%.0f")});
                    if (a.find("seed"))
                        args.insert(args.end(), {"--seed", numberText(a.numberOr("seed", 0), "%.0f")});
                    if (!d.stringOr("concepts").empty()) {
                        args.insert(args.end(), {"--concepts", resolve(d.stringOr("concepts"))});
                        const std::string rows = d.stringOr("concept_rows");
                        if (!rows.empty())
                            args.insert(args.end(),
                                        {"--concept-rows",
                                         rows == "sorted" || rows == "canonical" ? rows : resolve(rows)});
                    }
                } else if (type == "rsa") {
                    args.insert(args.end(), {"--rdm", resolve(d.stringOr("rdm")), "--rdm-kind",
                                             d.stringOr("rdm_kind", "dissimilarity"), "--rdm-method",
                                             a.stringOr("rdm_method", "correlation"), "--compare",
                                             a.stringOr("compare", "spearman")});
                    if (!d.stringOr("stimuli").empty())
                        args.insert(args.end(), {"--stimuli", resolve(d.stringOr("stimuli"))});
                    if (!d.stringOr("rdm_rows").empty())
                        args.insert(args.end(), {"--rdm-rows", resolve(d.stringOr("rdm_rows"))});
                    if (a.find("bootstrap"))
                        args.insert(args.end(),
                                    {"--bootstrap", numberText(a.numberOr("bootstrap", 0), "%.0f"), "--seed",
                                     numberText(a.numberOr("seed", 0), "%.0f")});
                } else {
                    args.insert(args.end(), {"--triplets", resolve(d.stringOr("triplets")), "--lambda",
                                             numberText(a.numberOr("lambda", 0.1), "%.17g"), "--folds",
                                             numberText(a.numberOr("folds", 3), "%.0f"), "--seed",
                                             numberText(a.numberOr("seed", 42), "%.0f")});
                }
                args.push_back("--json");
                jobs.push_back(std::move(job));
            }
    }
    return jobs;
}

} // namespace alignscope::cli
