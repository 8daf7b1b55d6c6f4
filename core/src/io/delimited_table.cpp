#include "alignscope/delimited_table.h"

#include "alignscope/file_io.h"
#include "alignscope/text_matrix.h"

#include <charconv>
#include <cmath>

namespace alignscope {

int DelimitedTable::columnIndex(const std::string& name) const
{
    for (size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == name) return static_cast<int>(i);
    return -1;
}

Result<DelimitedTable> parseDelimitedTable(const std::string& text, char delimiter, const std::string& name)
{
    if (const auto bad = firstInvalidUtf8(text); bad >= 0)
        return makeError(name, "byte " + std::to_string(bad), "invalid UTF-8");
    DelimitedTable table;
    std::vector<std::string> record;
    std::string field;
    size_t pos = text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    std::int64_t line = 1;
    std::int64_t recordLine = 1;
    bool inQuotes = false;
    bool fieldWasQuoted = false;
    auto finishRecord = [&]() -> Status {
        record.push_back(std::move(field));
        field.clear();
        fieldWasQuoted = false;
        const bool blank = record.size() == 1 && record[0].empty();
        if (!blank) {
            if (table.columns.empty()) {
                table.columns = std::move(record);
            } else if (record.size() != table.columns.size()) {
                return makeError(name, "line " + std::to_string(recordLine),
                                 "expected " + std::to_string(table.columns.size()) + " fields, found " +
                                     std::to_string(record.size()));
            } else {
                table.rows.push_back(std::move(record));
            }
        }
        record.clear();
        recordLine = line;
        return okStatus();
    };
    for (; pos < text.size(); ++pos) {
        const char c = text[pos];
        if (inQuotes) {
            if (c == '"') {
                if (pos + 1 < text.size() && text[pos + 1] == '"') {
                    field += '"';
                    ++pos;
                } else {
                    inQuotes = false;
                }
            } else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        if (c == '"' && field.empty() && !fieldWasQuoted) {
            inQuotes = true;
            fieldWasQuoted = true;
        } else if (c == delimiter) {
            record.push_back(std::move(field));
            field.clear();
            fieldWasQuoted = false;
        } else if (c == '\n') {
            ++line;
            if (!field.empty() && field.back() == '\r') field.pop_back();
            if (auto status = finishRecord(); !status) return status.error();
        } else if (fieldWasQuoted && c != '\r') {
            return makeError(name, "line " + std::to_string(line), "text after a closing quote");
        } else {
            field += c;
        }
    }
    if (inQuotes) return makeError(name, "line " + std::to_string(recordLine), "unterminated quoted field");
    if (!field.empty() && field.back() == '\r') field.pop_back();
    if (!field.empty() || !record.empty())
        if (auto status = finishRecord(); !status) return status.error();
    if (table.columns.empty()) return makeError(name, "", "empty table (no header)");
    return table;
}

Result<DelimitedTable> readDelimitedTable(const std::string& path, char delimiter)
{
    auto bytes = readWholeFile(path, std::uint64_t(2) << 30);
    if (!bytes) return bytes.error();
    return parseDelimitedTable(std::string(bytes->begin(), bytes->end()), delimiter, path);
}

Result<StimulusSet> stimuliFromConceptTable(const DelimitedTable& table, const std::string& name)
{
    const int idColumn = table.columnIndex("uniqueID");
    if (idColumn < 0) return makeError(name, "line 1", "no 'uniqueID' column in the header");
    if (table.rows.empty()) return makeError(name, "", "no objects below the header");
    std::vector<std::string> ids;
    ids.reserve(table.rows.size());
    for (const auto& row : table.rows)
        ids.push_back(row[size_t(idColumn)]);
    auto set = StimulusSet::create(std::move(ids), name);
    if (!set) return set.error();
    auto copyColumn = [&](const char* column, std::vector<std::string>& out) {
        const int index = table.columnIndex(column);
        if (index < 0) return;
        for (const auto& row : table.rows)
            out.push_back(row[size_t(index)]);
    };
    copyColumn("Word", set->displayNames);
    copyColumn("Top-down Category (WordNet)", set->categories);
    return set;
}

Result<StimulusSet> readThingsConcepts(const std::string& path)
{
    auto table = readDelimitedTable(path, '\t');
    if (!table) return table.error();
    return stimuliFromConceptTable(*table, path);
}

namespace {

bool isFiniteNumber(const std::string& text)
{
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && std::isfinite(value);
}

const char kFormulaStarts[] = "=+-@\t\r";

} // namespace

std::string csvField(const std::string& text)
{
    // A spreadsheet runs a cell that begins with = + - @ (or tab, CR) as a formula: a quote makes it text
    // (OWASP's advice); numbers such as -0.5 stay numbers.
    std::string cell = text;
    if (!cell.empty() && std::string(kFormulaStarts).find(cell[0]) != std::string::npos &&
        !isFiniteNumber(cell))
        cell = "'" + cell;
    if (cell.find_first_of(",\"\n\r") == std::string::npos) return cell;
    std::string quoted = "\"";
    for (char c : cell)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

std::string csvFieldValue(const std::string& cell)
{
    if (cell.size() >= 2 && cell[0] == '\'' && std::string(kFormulaStarts).find(cell[1]) != std::string::npos)
        return cell.substr(1);
    return cell;
}

} // namespace alignscope
