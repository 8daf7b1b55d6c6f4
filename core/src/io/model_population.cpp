#include "alignscope/model_population.h"

#include "alignscope/json_reader.h"
#include "alignscope/result_json.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace alignscope {

Status ModelPopulation::add(const std::string& model, const std::string& metric, double value,
                            const std::string& origin, std::optional<Interval> ci95,
                            const ResultFingerprint& fingerprint)
{
    if (!std::isfinite(value)) return okStatus();
    auto& metricsOfModel = m_entries[model];
    if (const auto it = metricsOfModel.find(metric); it != metricsOfModel.end())
        return makeError(origin, "model '" + model + "'",
                         "metric '" + metric + "' also comes from " + it->second.origin);
    if (metricsOfModel.empty()) models.push_back(model);
    if (std::find(metrics.begin(), metrics.end(), metric) == metrics.end()) metrics.push_back(metric);
    if (ci95 && !(std::isfinite(ci95->low) && std::isfinite(ci95->high))) ci95.reset();
    metricsOfModel[metric] = {value, ci95, origin, fingerprint};
    return okStatus();
}

const ModelPopulation::Entry* ModelPopulation::find(const std::string& model, const std::string& metric) const
{
    const auto byModel = m_entries.find(model);
    if (byModel == m_entries.end()) return nullptr;
    const auto entry = byModel->second.find(metric);
    return entry == byModel->second.end() ? nullptr : &entry->second;
}

std::optional<double> ModelPopulation::value(const std::string& model, const std::string& metric) const
{
    const Entry* entry = find(model, metric);
    return entry ? std::optional<double>(entry->value) : std::nullopt;
}

std::optional<Interval> ModelPopulation::interval(const std::string& model, const std::string& metric) const
{
    const Entry* entry = find(model, metric);
    return entry ? entry->ci95 : std::nullopt;
}

std::vector<double> ModelPopulation::column(const std::string& metric) const
{
    std::vector<double> values;
    values.reserve(models.size());
    for (const std::string& model : models)
        values.push_back(value(model, metric).value_or(std::nan("")));
    return values;
}

std::vector<std::string> ModelPopulation::conceptLabels() const
{
    std::vector<std::string> labels;
    for (const std::string& metric : metrics)
        if (auto key = parseMetricKey(metric); key && key->kind == MetricKind::ConceptAccuracy)
            labels.push_back(key->concept);
    return labels;
}

std::string ModelPopulation::metricList() const
{
    std::string list;
    for (const std::string& metric : metrics)
        list += (list.empty() ? "" : ", ") + metric;
    return list.empty() ? "none" : list;
}

namespace {

std::string joined(const std::set<std::string>& items)
{
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

} // namespace

PoolingCheck ModelPopulation::checkPooling(const std::vector<std::string>& wanted) const
{
    PoolingCheck check;
    std::set<std::string> unfingerprinted;
    size_t mixedMetrics = 0;
    for (const std::string& metric : wanted) {
        // value → the origins that gave it, for triplets and similarity separately
        std::map<std::string, std::set<std::string>> triplets, similarity;
        for (const auto& [model, byMetric] : m_entries) {
            const auto entry = byMetric.find(metric);
            if (entry == byMetric.end()) continue;
            const Entry& e = entry->second;
            if (e.fingerprint.triplets.empty())
                unfingerprinted.insert(e.origin);
            else
                triplets[e.fingerprint.triplets].insert(e.origin);
            if (!e.fingerprint.similarity.empty()) similarity[e.fingerprint.similarity].insert(e.origin);
        }
        std::string differs;
        auto describe = [&](const char* what, const std::map<std::string, std::set<std::string>>& values,
                            bool shorten) {
            if (values.size() < 2) return;
            differs += std::string(differs.empty() ? "" : "; ") + what + " differ: ";
            bool first = true;
            for (const auto& [value, origins] : values) {
                differs += (first ? "" : ", ") + (shorten ? value.substr(0, 12) + "…" : value) + " (" +
                           joined(origins) + ")";
                first = false;
            }
        };
        describe("triplets and objects", triplets, true);
        describe("similarities", similarity, false);
        auto note = [&](const char* what) {
            if (check.differing.find(what) == std::string::npos)
                check.differing += (check.differing.empty() ? "" : ", ") + std::string(what);
        };
        if (triplets.size() > 1) note("triplets and objects");
        if (similarity.size() > 1) note("similarities");
        if (differs.empty()) continue;
        if (++mixedMetrics <= 3) check.mixed.push_back("'" + metric + "' pools results whose " + differs);
    }
    if (mixedMetrics > 3)
        check.mixed.push_back("… and " + std::to_string(mixedMetrics - 3) +
                              " more metrics mixed the same way");
    check.unfingerprinted.assign(unfingerprinted.begin(), unfingerprinted.end());
    return check;
}

std::vector<ResultFingerprint> ModelPopulation::fingerprints(const std::string& metric) const
{
    std::vector<ResultFingerprint> found;
    for (const auto& [model, byMetric] : m_entries)
        if (const auto entry = byMetric.find(metric); entry != byMetric.end())
            if (std::find(found.begin(), found.end(), entry->second.fingerprint) == found.end())
                found.push_back(entry->second.fingerprint);
    return found;
}

namespace {

std::string shown(double value)
{
    return numberText(value);
}

// A number field of a result: absent or null is NaN; any other non-number is an error.
Result<double> numberField(const JsonValue& object, const char* key, const std::string& path,
                           const std::string& where)
{
    const JsonValue* value = object.find(key);
    if (!value || value->type == JsonValue::Type::Null) return std::nan("");
    if (!value->isNumber()) return makeError(path, where + "." + key, "must be a number or null");
    return value->number;
}

// A 95% interval of a result: absent, null or [null, null] is none; low above high, or an accuracy's interval
// outside [0, 1], is an error.
Result<std::optional<Interval>> intervalField(const JsonValue& object, const char* key, bool accuracy,
                                              const std::string& path, const std::string& where)
{
    const JsonValue* value = object.find(key);
    if (!value || value->type == JsonValue::Type::Null) return std::optional<Interval>();
    if (!value->isArray() || value->array.size() != 2)
        return makeError(path, where + "." + key, "must be [low, high]");
    const Interval interval = readInterval(value);
    if (std::isnan(interval.low) || std::isnan(interval.high)) return std::optional<Interval>();
    if (interval.low > interval.high)
        return makeError(path, where + "." + key,
                         "[" + shown(interval.low) + ", " + shown(interval.high) + "]: low above high");
    if (accuracy && (interval.low < 0 || interval.high > 1))
        return makeError(path, where + "." + key,
                         "[" + shown(interval.low) + ", " + shown(interval.high) + "] is not within [0, 1]");
    return std::optional<Interval>(interval);
}

// An accuracy: within [0, 1], and n_correct / n_triplets where the result gives both.
Result<double> accuracyField(const JsonValue& object, const std::string& path, const std::string& where)
{
    const char* field = metricKindName(MetricKind::Accuracy);
    auto accuracy = numberField(object, field, path, where);
    if (!accuracy || std::isnan(*accuracy)) return accuracy;
    if (!(*accuracy >= 0 && *accuracy <= 1))
        return makeError(path, where + "." + field, shown(*accuracy) + " is not within [0, 1]");
    auto triplets = numberField(object, "n_triplets", path, where);
    auto correct = numberField(object, "n_correct", path, where);
    if (!triplets) return triplets.error();
    if (!correct) return correct.error();
    if (!std::isnan(*triplets) && !std::isnan(*correct) && *triplets > 0) {
        if (*correct < 0 || *correct > *triplets)
            return makeError(path, where + ".n_correct",
                             shown(*correct) + " is not within [0, n_triplets = " + shown(*triplets) + "]");
        const double expected = *correct / *triplets;
        if (std::fabs(expected - *accuracy) > 1e-9)
            return makeError(path, where + "." + field,
                             shown(*accuracy) + " is not n_correct / n_triplets (" + shown(*correct) + " / " +
                                 shown(*triplets) + " = " + shown(expected) + ")");
    }
    return accuracy;
}

ResultFingerprint fingerprintOf(const JsonValue& document)
{
    ResultFingerprint fingerprint;
    if (const JsonValue* given = document.find("fingerprint"); given && given->isObject()) {
        fingerprint.triplets = given->stringOr("triplets_sha256");
        fingerprint.similarity = given->stringOr("similarity");
    }
    if (fingerprint.similarity.empty()) fingerprint.similarity = document.stringOr("similarity");
    return fingerprint;
}

Status readOooResults(const JsonValue& document, const JsonValue& models, const std::string& path,
                      ModelPopulation& population)
{
    const ResultFingerprint fingerprint = fingerprintOf(document);
    for (size_t m = 0; m < models.array.size(); ++m) {
        const JsonValue& model = models.array[m];
        const std::string where = "models[" + std::to_string(m) + "]";
        if (!model.isObject()) return makeError(path, where, "not an object");
        const std::string name = model.stringOr("name");
        if (name.empty()) return makeError(path, where, "a model without a name");
        auto accuracy = accuracyField(model, path, where);
        if (!accuracy) return accuracy.error();
        auto ci = intervalField(model, "ci95", true, path, where);
        if (!ci) return ci.error();
        if (auto objects = intervalField(model, "ci95_objects", true, path, where); !objects)
            return objects.error();
        auto normalised = numberField(model, metricKindName(MetricKind::NormalizedScore), path, where);
        if (!normalised) return normalised.error();
        const bool known =
            std::find(population.models.begin(), population.models.end(), name) != population.models.end();
        if (auto status =
                population.add(name, MetricKey::of(MetricKind::Accuracy), *accuracy, path, *ci, fingerprint);
            !status)
            return status;
        if (auto status = population.add(name, MetricKey::of(MetricKind::NormalizedScore), *normalised, path,
                                         std::nullopt, fingerprint);
            !status)
            return status;
        if (const JsonValue* concepts = model.find("per_concept"); concepts && concepts->isArray())
            for (size_t c = 0; c < concepts->array.size(); ++c) {
                const JsonValue& concept = concepts->array[c];
                const std::string at = where + ".per_concept[" + std::to_string(c) + "]";
                if (!concept.isObject()) return makeError(path, at, "not an object");
                auto conceptAccuracy = accuracyField(concept, path, at);
                if (!conceptAccuracy) return conceptAccuracy.error();
                auto conceptCi = intervalField(concept, "ci95", true, path, at);
                if (!conceptCi) return conceptCi.error();
                const ConceptAccuracy read = readConceptAccuracy(concept);
                if (auto status = population.add(name, MetricKey::conceptAccuracy(read.label),
                                                 *conceptAccuracy, path, *conceptCi, fingerprint);
                    !status)
                    return status;
            }
        if (!known &&
            std::find(population.models.begin(), population.models.end(), name) == population.models.end())
            population.leftOut.push_back(name + ": no finite value (" + path + ")");
    }
    return okStatus();
}

Status readMergedResults(const JsonValue& document, const std::string& path, ModelPopulation& population)
{
    const JsonValue* rows = document.find("rows");
    if (!rows || !rows->isArray()) return makeError(path, "rows", "must be an array");
    std::vector<std::string> seen; // models of finished rows, in order
    for (size_t r = 0; r < rows->array.size(); ++r) {
        const JsonValue& row = rows->array[r];
        const std::string where = "rows[" + std::to_string(r) + "]";
        if (!row.isObject()) return makeError(path, where, "not an object");
        const std::string model = row.stringOr("model");
        if (row.stringOr("state") != "done") {
            std::string entry = model.empty() ? "job '" + row.stringOr("job") + "'"
                                              : model + ": job '" + row.stringOr("job") + "'";
            population.leftOut.push_back(
                entry + " " +
                (row.stringOr("state").empty() ? std::string("unfinished") : row.stringOr("state")) + " (" +
                path + ")");
            continue;
        }
        if (model.empty()) return makeError(path, where + ".model", "a finished row without a model");
        if (std::find(seen.begin(), seen.end(), model) == seen.end()) seen.push_back(model);
        const auto kind = parseMetricKind(row.stringOr("metric"));
        if (!kind) return makeError(path, where + ".metric", kind.error().reason);
        const std::string metric =
            metricName(MetricKey::of(*kind, row.stringOr("dataset"), row.stringOr("variant")));
        const bool accuracy = isAccuracyMetric(*kind);
        double values[3];
        const char* keys[] = {"value", "ci_low", "ci_high"};
        for (int k = 0; k < 3; ++k) {
            const JsonValue* field = row.find(keys[k]);
            if (field && field->isNumber()) {
                values[k] = field->number;
                continue;
            }
            if (field && field->type != JsonValue::Type::Null && !field->isString())
                return makeError(path, where + "." + keys[k], "must be a number or text");
            std::string why;
            if (parseCellNumber(field && field->isString() ? field->string : std::string(), values[k],
                                &why) == CellValue::Text)
                return makeError(path, where + "." + keys[k], why);
        }
        if (std::isnan(values[0])) continue;
        if (accuracy && !(values[0] >= 0 && values[0] <= 1))
            return makeError(path, where + ".value",
                             shown(values[0]) + " is not within [0, 1] (" + metric + ")");
        std::optional<Interval> ci;
        if (!std::isnan(values[1]) && !std::isnan(values[2])) {
            if (values[1] > values[2])
                return makeError(path, where + ".ci_low",
                                 "[" + shown(values[1]) + ", " + shown(values[2]) + "]: low above high");
            if (accuracy && (values[1] < 0 || values[2] > 1))
                return makeError(path, where + ".ci_low",
                                 "[" + shown(values[1]) + ", " + shown(values[2]) +
                                     "] is not within [0, 1] (" + metric + ")");
            ci = Interval{values[1], values[2]};
        }
        ResultFingerprint fingerprint{row.stringOr("triplets_sha256"), row.stringOr("similarity")};
        if (auto status = population.add(model, metric, values[0], path, ci, fingerprint); !status)
            return status;
    }
    for (const std::string& model : seen)
        if (std::find(population.models.begin(), population.models.end(), model) == population.models.end())
            population.leftOut.push_back(model + ": no finite value (" + path + ")");
    return okStatus();
}

} // namespace

Status readPopulationResults(const std::string& path, ModelPopulation& population,
                             std::optional<ModelMetadata>* embedded)
{
    auto document = readJsonFile(path);
    if (!document) return document.error();
    if (!document->isObject())
        return makeError(path, "", "expected 'alignscope-cli ooo --json' output or merged batch results");
    if (const JsonValue* models = document->find("models"); models && models->isArray())
        return readOooResults(*document, *models, path, population);
    if (document->stringOr("format") == "alignscope-batch-results-1") {
        if (auto status = readMergedResults(*document, path, population); !status) return status;
        if (const JsonValue* meta = document->find("meta"); meta && embedded) {
            auto metadata = modelMetadataFromJson(*meta, path);
            if (!metadata) return metadata.error();
            if (*embedded) {
                auto merged = mergeModelMetadata(**embedded, *metadata);
                if (!merged) return merged.error();
                *embedded = std::move(merged).value();
            } else {
                *embedded = std::move(metadata).value();
            }
        }
        return okStatus();
    }
    return makeError(path, "", "expected 'alignscope-cli ooo --json' output or merged batch results");
}

Result<PopulationInputs> loadPopulationInputs(const std::vector<std::string>& resultPaths,
                                              const std::string& metaPath)
{
    PopulationInputs inputs;
    std::optional<ModelMetadata> embedded;
    for (const std::string& path : resultPaths)
        if (auto status = readPopulationResults(path, inputs.population, &embedded); !status)
            return status.error();
    if (!metaPath.empty()) {
        auto loaded = loadModelMetadata(metaPath);
        if (!loaded) return loaded.error();
        inputs.metadata = std::move(loaded).value();
        inputs.metadataOrigin = metaPath;
    } else if (embedded) {
        inputs.metadataOrigin = embedded->origin;
        inputs.metadata = std::move(embedded);
    }
    return inputs;
}

std::vector<std::string> metricsRead(const ModelPopulation& population, const std::string& metric,
                                     const std::string& x, bool concepts, bool transfer)
{
    std::vector<std::string> read{metric};
    if (transfer)
        for (const std::string& name : population.metrics)
            if (auto key = parseMetricKey(name);
                key && (key->kind == MetricKind::ZeroShotAccuracy || key->kind == MetricKind::CvAccuracy))
                read.push_back(name);
    if (!x.empty() &&
        std::find(population.metrics.begin(), population.metrics.end(), x) != population.metrics.end())
        read.push_back(x);
    if (concepts)
        for (const std::string& label : population.conceptLabels())
            read.push_back(metricName(MetricKey::conceptAccuracy(label)));
    return read;
}

std::vector<double> metadataNumbers(const ModelMetadata& metadata, const MetadataMatch& match,
                                    const std::string& column)
{
    const MetadataColumn* found = metadata.column(column);
    std::vector<double> values;
    for (const int row : match.rowForModel)
        values.push_back(found && found->numeric && row >= 0 ? found->number[size_t(row)] : std::nan(""));
    return values;
}

std::vector<std::string> metadataLevels(const ModelMetadata& metadata, const MetadataMatch& match,
                                        const std::string& column)
{
    const MetadataColumn* found = metadata.column(column);
    std::vector<std::string> levels;
    for (const int row : match.rowForModel)
        levels.push_back(found && row >= 0 ? found->text[size_t(row)] : std::string());
    return levels;
}

} // namespace alignscope
