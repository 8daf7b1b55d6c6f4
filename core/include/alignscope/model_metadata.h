#pragma once
// A table of model metadata (family, architecture, parameters, training data, objective, ImageNet top-1, ...)
// from CSV, TSV or JSON, matched to models by name. Column types are inferred: a column whose every present
// cell is a finite number is numeric, any other categorical. Numbers are read the same in every locale.

#include "alignscope/result.h"

#include <string>
#include <vector>

namespace alignscope {

struct MetadataColumn
{
    std::string name;
    bool numeric = false;
    // Positive numbers spanning more than two decades (e.g. parameter counts): a log scale suits them.
    bool logScaleSuggested = false;
    std::vector<std::string> text; // per row, as written ("" when missing)
    std::vector<double> number;    // per row when numeric (NaN when missing)
    // A categorical column holding numbers too: the first cell that is not one ("row 3 (model 'b'): 'inf' is
    // not a finite number"), for messages when the column is asked for as a number; else empty.
    std::string notNumeric;
};

// A cell as a number, whatever the process's locale (std::from_chars): decimal or scientific notation with
// '.', spaces around it ignored. Missing: "", NA, N/A, NaN, null (any case). Anything else (hexadecimal,
// infinities, "1,5", words) is Text, and `why` says why.
enum class CellValue
{
    Missing,
    Number,
    Text
};
CellValue parseCellNumber(const std::string& text, double& value, std::string* why = nullptr);
bool isMissingCell(const std::string& text);
// The shortest text that reads back as `value`, with '.' whatever the locale.
std::string numberText(double value);

struct ModelMetadata
{
    std::string origin;
    std::vector<std::string> models; // per row: the model's name (column "model", else "name", else "id",
                                     // else the first column)
    std::string nameColumn;          // the column the names came from
    std::vector<MetadataColumn> columns;

    const MetadataColumn* column(const std::string& name) const;
};

// .csv and .tsv: a header row, one row per model. .json: an array of objects, or an object mapping model
// names to objects. Names must be unique; errors name the file and the row.
Result<ModelMetadata> loadModelMetadata(const std::string& path);

class JsonValue;
// The JSON layouts above from a parsed document (e.g. the "meta" object of merged batch results).
Result<ModelMetadata> modelMetadataFromJson(const JsonValue& document, const std::string& origin);

// Two tables as one (e.g. the "meta" of several merged results): rows of the same model join, columns are
// the union. A cell that both give differently is an error naming the model, the column and both origins.
Result<ModelMetadata> mergeModelMetadata(const ModelMetadata& first, const ModelMetadata& second);

// After cells were edited: numeric/categorical and the log-scale suggestion again, from the cells' text.
void inferColumnTypes(ModelMetadata& metadata);
// Every row has a name and no two rows the same one (errors name the row).
Status checkModelNames(const ModelMetadata& metadata);
// The table as CSV (RFC 4180), first column "model": what loadModelMetadata reads back.
std::string modelMetadataCsv(const ModelMetadata& metadata);

struct MetadataMatch
{
    std::vector<int> rowForModel;             // per model: its metadata row, or -1
    std::vector<std::string> unmatchedModels; // models without a row
    std::vector<std::string> unusedRows;      // rows that name no model
};

// Exact names first, then names equal ignoring case; a row is used once.
MetadataMatch matchModelsToMetadata(const ModelMetadata& metadata, const std::vector<std::string>& models);

} // namespace alignscope
