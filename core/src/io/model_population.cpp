#include "alignscope/model_population.h"

#include "alignscope/json_reader.h"
#include "alignscope/result_json.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace alignscope {

Status ModelPopulation::add(const std::string& model, const std::string& metric, double value,
                            const std::string& origin, std::optional<Interval> ci95)
{
    if (!std::isfinite(value)) return okStatus();
    auto& metricsOfModel = m_entries[model];
    if (const auto it = metricsOfModel.find(metric); it != metricsOfModel.end())
        return makeError(origin, "model '" + model + "'",
                         "metric '" + metric + "' also comes from " + it->second.origin);
    if (metricsOfModel.empty()) models.push_back(model);
    if (std::find(metrics.begin(), metrics.end(), metric) == metrics.end()) metrics.push_back(metric);
    if (ci95 && !(std::isfinite(ci95->low) && std::isfinite(ci95->high))) ci95.reset();
    metricsOfModel[metric] = {value, ci95, origin};
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
    const std::string prefix = kConceptMetricPrefix;
    for (const std::string& metric : metrics)
        if (metric.compare(0, prefix.size(), prefix) == 0) labels.push_back(metric.substr(prefix.size()));
    return labels;
}

namespace {

double numberOf(const JsonValue* value)
{
    return value && value->isNumber() ? value->number : std::nan("");
}

std::optional<Interval> intervalOf(const JsonValue* value)
{
    if (!value || !value->isArray() || value->array.size() != 2) return std::nullopt;
    return readInterval(value);
}

} // namespace

Status readPopulationResults(const std::string& path, ModelPopulation& population,
                             std::optional<ModelMetadata>* embedded)
{
    auto document = readJsonFile(path);
    if (!document) return document.error();
    if (const JsonValue* models = document->find("models"); models && models->isArray()) {
        for (const JsonValue& model : models->array) {
            const std::string name = model.stringOr("name");
            if (name.empty()) return makeError(path, "models", "a model without a name");
            if (auto status = population.add(name, "accuracy", numberOf(model.find("accuracy")), path,
                                             intervalOf(model.find("ci95")));
                !status)
                return status;
            if (auto status =
                    population.add(name, "normalized_score", numberOf(model.find("normalized_score")), path);
                !status)
                return status;
            if (const JsonValue* concepts = model.find("per_concept"); concepts && concepts->isArray())
                for (const JsonValue& concept : concepts->array) {
                    const ConceptAccuracy accuracy = readConceptAccuracy(concept);
                    if (auto status =
                            population.add(name, kConceptMetricPrefix + accuracy.label, accuracy.accuracy,
                                           path, intervalOf(concept.find("ci95")));
                        !status)
                        return status;
                }
        }
        return okStatus();
    }
    if (document->stringOr("format") == "alignscope-batch-results-1") {
        const JsonValue* rows = document->find("rows");
        if (!rows || !rows->isArray()) return makeError(path, "rows", "must be an array");
        for (const JsonValue& row : rows->array) {
            if (row.stringOr("state") != "done") continue;
            std::string metric = row.stringOr("metric");
            if (!row.stringOr("dataset").empty()) metric += "@" + row.stringOr("dataset");
            if (!row.stringOr("variant").empty()) metric += "/" + row.stringOr("variant");
            const std::string text = row.stringOr("value");
            char* end = nullptr;
            const double value = std::strtod(text.c_str(), &end);
            if (text.empty() || end != text.c_str() + text.size()) continue;
            if (auto status = population.add(row.stringOr("model"), metric, value, path); !status)
                return status;
        }
        if (const JsonValue* meta = document->find("meta"); meta && embedded) {
            auto metadata = modelMetadataFromJson(*meta, path);
            if (!metadata) return metadata.error();
            *embedded = std::move(metadata).value();
        }
        return okStatus();
    }
    return makeError(path, "", "expected 'alignscope-cli ooo --json' output or merged batch results");
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
