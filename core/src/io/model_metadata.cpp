#include "alignscope/model_metadata.h"

#include "alignscope/delimited_table.h"
#include "alignscope/json_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>

namespace alignscope {

namespace {

MetadataColumn columnNamed(const std::string& name)
{
    MetadataColumn column;
    column.name = name;
    return column;
}

std::string lowered(std::string text)
{
    for (char& c : text)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

bool parseNumber(const std::string& text, double& value)
{
    if (text.empty()) return false;
    char* end = nullptr;
    value = std::strtod(text.c_str(), &end);
    return end == text.c_str() + text.size() && std::isfinite(value);
}

// Types, numbers and the log-scale hint from the cells as written.
void inferTypes(ModelMetadata& metadata)
{
    for (MetadataColumn& column : metadata.columns) {
        column.number.assign(column.text.size(), std::numeric_limits<double>::quiet_NaN());
        bool numeric = false, allNumbers = true;
        for (size_t r = 0; r < column.text.size(); ++r) {
            if (column.text[r].empty()) continue;
            numeric = true;
            allNumbers = allNumbers && parseNumber(column.text[r], column.number[r]);
        }
        column.numeric = numeric && allNumbers;
        if (!column.numeric) {
            column.number.clear();
            continue;
        }
        double low = std::numeric_limits<double>::infinity(), high = 0;
        bool positive = true;
        for (double v : column.number)
            if (!std::isnan(v))
                positive = positive && v > 0, low = std::min(low, v), high = std::max(high, v);
        column.logScaleSuggested = positive && high / low > 100;
    }
}

Status checkNames(const ModelMetadata& metadata)
{
    std::set<std::string> seen;
    for (size_t r = 0; r < metadata.models.size(); ++r) {
        if (metadata.models[r].empty())
            return makeError(metadata.origin, "row " + std::to_string(r + 1), "no model name");
        if (!seen.insert(metadata.models[r]).second)
            return makeError(metadata.origin, "row " + std::to_string(r + 1),
                             "model '" + metadata.models[r] + "' is listed twice");
    }
    if (metadata.models.empty()) return makeError(metadata.origin, "", "no models");
    return okStatus();
}

Result<ModelMetadata> fromTable(const DelimitedTable& table, const std::string& path)
{
    ModelMetadata out;
    out.origin = path;
    if (table.columns.empty()) return makeError(path, "", "no header row");
    int nameColumn = 0;
    for (const char* candidate : {"model", "name", "id"})
        for (size_t c = 0; c < table.columns.size(); ++c)
            if (lowered(table.columns[c]) == candidate && nameColumn == 0) nameColumn = int(c);
    for (size_t c = 0; c < table.columns.size(); ++c)
        if (int(c) != nameColumn) out.columns.push_back(columnNamed(table.columns[c]));
    for (const auto& row : table.rows) {
        out.models.push_back(row[size_t(nameColumn)]);
        size_t k = 0;
        for (size_t c = 0; c < row.size(); ++c)
            if (int(c) != nameColumn) out.columns[k++].text.push_back(row[c]);
    }
    return out;
}

std::string cellText(const JsonValue& value)
{
    switch (value.type) {
    case JsonValue::Type::String:
        return value.string;
    case JsonValue::Type::Number: {
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%.17g", value.number);
        return buffer;
    }
    case JsonValue::Type::Bool:
        return value.boolean ? "true" : "false";
    default:
        return "";
    }
}

Result<ModelMetadata> metadataFromJson(const JsonValue& document, const std::string& path)
{
    ModelMetadata out;
    out.origin = path;
    std::vector<std::pair<std::string, const JsonValue*>> entries;
    if (document.isArray()) {
        for (size_t r = 0; r < document.array.size(); ++r) {
            const JsonValue& row = document.array[r];
            if (!row.isObject()) return makeError(path, "entry " + std::to_string(r + 1), "not an object");
            std::string name;
            for (const char* key : {"model", "name", "id"})
                if (name.empty()) name = row.stringOr(key);
            entries.emplace_back(name, &row);
        }
    } else if (document.isObject()) {
        for (const auto& [name, row] : document.object) {
            if (!row.isObject()) return makeError(path, "'" + name + "'", "not an object");
            entries.emplace_back(name, &row);
        }
    } else {
        return makeError(path, "", "expected an array of objects or an object of objects");
    }
    for (const auto& [name, row] : entries)
        for (const auto& member : row->object) {
            const std::string& key = member.first;
            const std::string lower = lowered(key);
            if (document.isArray() && (lower == "model" || lower == "name" || lower == "id")) continue;
            if (std::none_of(out.columns.begin(), out.columns.end(),
                             [&](const MetadataColumn& c) { return c.name == key; }))
                out.columns.push_back(columnNamed(key));
        }
    for (const auto& [name, row] : entries) {
        out.models.push_back(name);
        for (MetadataColumn& column : out.columns) {
            const JsonValue* value = row->find(column.name);
            column.text.push_back(value ? cellText(*value) : "");
        }
    }
    return out;
}

} // namespace

const MetadataColumn* ModelMetadata::column(const std::string& name) const
{
    for (const MetadataColumn& c : columns)
        if (c.name == name) return &c;
    return nullptr;
}

Result<ModelMetadata> modelMetadataFromJson(const JsonValue& document, const std::string& origin)
{
    auto loaded = metadataFromJson(document, origin);
    if (!loaded) return loaded;
    if (auto status = checkNames(*loaded); !status) return status.error();
    inferTypes(*loaded);
    return loaded;
}

Result<ModelMetadata> loadModelMetadata(const std::string& path)
{
    const std::string lower = lowered(path);
    auto endsWith = [&](const std::string& suffix) {
        return lower.size() >= suffix.size() &&
               lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    Result<ModelMetadata> loaded = makeError(path, "", "expected a .csv, .tsv or .json model table");
    if (endsWith(".json")) {
        auto document = readJsonFile(path);
        if (!document) return document.error();
        loaded = metadataFromJson(*document, path);
    } else if (endsWith(".csv") || endsWith(".tsv")) {
        auto table = readDelimitedTable(path, endsWith(".tsv") ? '\t' : ',');
        if (!table) return table.error();
        loaded = fromTable(*table, path);
    }
    if (!loaded) return loaded;
    if (auto status = checkNames(*loaded); !status) return status.error();
    inferTypes(*loaded);
    return loaded;
}

void inferColumnTypes(ModelMetadata& metadata)
{
    inferTypes(metadata);
}

Status checkModelNames(const ModelMetadata& metadata)
{
    return checkNames(metadata);
}

std::string modelMetadataCsv(const ModelMetadata& metadata)
{
    auto field = [](const std::string& text) {
        if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
        std::string quoted = "\"";
        for (char c : text)
            quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        return quoted + "\"";
    };
    std::string out = "model";
    for (const MetadataColumn& column : metadata.columns)
        out += "," + field(column.name);
    out += "\n";
    for (size_t r = 0; r < metadata.models.size(); ++r) {
        out += field(metadata.models[r]);
        for (const MetadataColumn& column : metadata.columns)
            out += "," + field(r < column.text.size() ? column.text[r] : std::string());
        out += "\n";
    }
    return out;
}

MetadataMatch matchModelsToMetadata(const ModelMetadata& metadata, const std::vector<std::string>& models)
{
    MetadataMatch out;
    out.rowForModel.assign(models.size(), -1);
    std::vector<bool> used(metadata.models.size(), false);
    for (int pass = 0; pass < 2; ++pass)
        for (size_t m = 0; m < models.size(); ++m) {
            if (out.rowForModel[m] >= 0) continue;
            for (size_t r = 0; r < metadata.models.size(); ++r) {
                const bool same = pass == 0 ? metadata.models[r] == models[m]
                                            : lowered(metadata.models[r]) == lowered(models[m]);
                if (!used[r] && same) {
                    out.rowForModel[m] = int(r);
                    used[r] = true;
                    break;
                }
            }
        }
    for (size_t m = 0; m < models.size(); ++m)
        if (out.rowForModel[m] < 0) out.unmatchedModels.push_back(models[m]);
    for (size_t r = 0; r < used.size(); ++r)
        if (!used[r]) out.unusedRows.push_back(metadata.models[r]);
    return out;
}

} // namespace alignscope
