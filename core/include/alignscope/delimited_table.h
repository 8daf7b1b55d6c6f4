#pragma once
// Delimited text tables with RFC 4180 quoting (quoted fields may hold delimiters, "" and newlines),
// and the THINGS concept table built on it.

#include "alignscope/data_model.h"
#include "alignscope/result.h"

#include <string>
#include <vector>

namespace alignscope {

struct DelimitedTable
{
    std::vector<std::string> columns;           // header
    std::vector<std::vector<std::string>> rows; // each has columns.size() fields

    // Index of a column by exact header name, or -1.
    int columnIndex(const std::string& name) const;
};

Result<DelimitedTable> parseDelimitedTable(const std::string& text, char delimiter, const std::string& name);

// The one CSV writer of a cell. RFC 4180: fields with comma, quote or newline are quoted, quotes doubled. A
// field that a spreadsheet would run as a formula (beginning with = + - @, tab or CR, and not a number) gets
// a leading single quote.
std::string csvField(const std::string& text);
// A cell as csvField wrote it, without the protective quote: "'=cmd" reads as "=cmd".
std::string csvFieldValue(const std::string& cell);
Result<DelimitedTable> readDelimitedTable(const std::string& path, char delimiter);

// things_concepts.tsv: objects in file order (the canonical THINGS order), IDs from `uniqueID`,
// display names from `Word`, categories from `Top-down Category (WordNet)` when present.
Result<StimulusSet> readThingsConcepts(const std::string& path);
Result<StimulusSet> stimuliFromConceptTable(const DelimitedTable& table, const std::string& name);

} // namespace alignscope
