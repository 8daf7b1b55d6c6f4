#include "alignscope/model_metadata.h"

#include "alignscope/delimited_table.h"
#include "alignscope/json_reader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
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

std::string trimmed(const std::string& text)
{
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// Types, numbers and the log-scale hint from the cells as written.
void inferTypes(ModelMetadata& metadata)
{
    for (MetadataColumn& column : metadata.columns) {
        column.number.assign(column.text.size(), std::numeric_limits<double>::quiet_NaN());
        column.notNumeric.clear();
        size_t numbers = 0, texts = 0;
        for (size_t r = 0; r < column.text.size(); ++r) {
            std::string why;
            switch (parseCellNumber(column.text[r], column.number[r], &why)) {
            case CellValue::Number:
                ++numbers;
                break;
            case CellValue::Text:
                if (texts++ == 0)
                    column.notNumeric = "row " + std::to_string(r + 1) +
                                        (r < metadata.models.size() ? " (model '" + metadata.models[r] + "')"
                                                                    : std::string()) +
                                        ": " + why;
                break;
            case CellValue::Missing:
                break;
            }
        }
        column.numeric = numbers > 0 && texts == 0;
        if (!column.numeric) {
            column.number.clear();
            if (numbers == 0) column.notNumeric.clear(); // words only: plainly categorical
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
    // "model" before "name" before "id", wherever they stand; else the first column.
    int nameColumn = -1;
    for (const char* candidate : {"model", "name", "id"})
        for (size_t c = 0; c < table.columns.size(); ++c)
            if (nameColumn < 0 && lowered(trimmed(table.columns[c])) == candidate) nameColumn = int(c);
    if (nameColumn < 0) nameColumn = 0;
    // A table saved by modelMetadataCsv (or any CSV export) reads back as it was: csvFieldValue drops the
    // quote that kept a cell such as "=cmd" from running as a formula.
    out.nameColumn = csvFieldValue(table.columns[size_t(nameColumn)]);
    for (size_t c = 0; c < table.columns.size(); ++c)
        if (int(c) != nameColumn) out.columns.push_back(columnNamed(csvFieldValue(table.columns[c])));
    for (const auto& row : table.rows) {
        out.models.push_back(trimmed(csvFieldValue(row[size_t(nameColumn)])));
        size_t k = 0;
        for (size_t c = 0; c < row.size(); ++c)
            if (int(c) != nameColumn) out.columns[k++].text.push_back(csvFieldValue(row[c]));
    }
    return out;
}

std::string cellText(const JsonValue& value)
{
    switch (value.type) {
    case JsonValue::Type::String:
        return value.string;
    case JsonValue::Type::Number:
        return numberText(value.number);
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
                if (name.empty() && row.find(key)) {
                    name = row.stringOr(key);
                    out.nameColumn = key;
                }
            entries.emplace_back(name, &row);
        }
    } else if (document.isObject()) {
        out.nameColumn = "model";
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
            if (document.isArray() && lower == lowered(out.nameColumn)) continue;
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

bool isMissingCell(const std::string& text)
{
    const std::string cell = lowered(trimmed(text));
    return cell.empty() || cell == "na" || cell == "n/a" || cell == "nan" || cell == "null";
}

CellValue parseCellNumber(const std::string& text, double& value, std::string* why)
{
    value = std::numeric_limits<double>::quiet_NaN();
    if (isMissingCell(text)) return CellValue::Missing;
    const std::string cell = trimmed(text);
    const char* begin = cell.data() + (cell[0] == '+' && cell.size() > 1 && cell[1] != '-' ? 1 : 0);
    const char* end = cell.data() + cell.size();
    double parsed = 0;
    const auto [stop, error] = std::from_chars(begin, end, parsed, std::chars_format::general);
    if (error == std::errc() && stop == end && std::isfinite(parsed)) {
        value = parsed;
        return CellValue::Number;
    }
    if (why)
        *why = "'" + text + "' is not " +
               (error == std::errc() && stop == end       ? std::string("a finite number")
                : error == std::errc::result_out_of_range ? std::string("a number in range")
                                                          : std::string("a number"));
    return CellValue::Text;
}

std::string numberText(double value)
{
    if (std::isnan(value)) return "nan";
    char buffer[64];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return error == std::errc() ? std::string(buffer, end) : std::string();
}

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
    const auto field = csvField;
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

Result<ModelMetadata> mergeModelMetadata(const ModelMetadata& first, const ModelMetadata& second)
{
    ModelMetadata out = first;
    if (out.origin != second.origin) out.origin += out.origin.empty() ? second.origin : ", " + second.origin;
    if (out.nameColumn.empty()) out.nameColumn = second.nameColumn;
    for (const MetadataColumn& column : second.columns)
        if (!out.column(column.name)) {
            MetadataColumn added;
            added.name = column.name;
            added.text.assign(out.models.size(), std::string());
            out.columns.push_back(std::move(added));
        }
    for (size_t r = 0; r < second.models.size(); ++r) {
        const std::string& model = second.models[r];
        auto at = std::find(out.models.begin(), out.models.end(), model);
        size_t row = size_t(at - out.models.begin());
        if (at == out.models.end()) {
            out.models.push_back(model);
            for (MetadataColumn& column : out.columns)
                column.text.emplace_back();
        }
        for (const MetadataColumn& column : second.columns) {
            const std::string& cell = column.text[r];
            if (cell.empty()) continue;
            for (MetadataColumn& target : out.columns) {
                if (target.name != column.name) continue;
                std::string& existing = target.text[row];
                if (!existing.empty() && existing != cell)
                    return makeError(second.origin, "model '" + model + "', column '" + column.name + "'",
                                     "'" + cell + "' differs from '" + existing + "' in " + first.origin);
                existing = cell;
            }
        }
    }
    inferTypes(out);
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
