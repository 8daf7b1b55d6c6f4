#pragma once
// A table of model metadata (family, architecture, parameters, training data, objective, ImageNet top-1, ...)
// from CSV, TSV or JSON, matched to models by name. Column types are inferred: a column whose every non-empty
// cell is a finite number is numeric, any other categorical.

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
};

struct ModelMetadata
{
    std::string origin;
    std::vector<std::string> models; // per row: the model's name (the first column, or "model"/"name"/"id")
    std::vector<MetadataColumn> columns;

    const MetadataColumn* column(const std::string& name) const;
};

// .csv and .tsv: a header row, one row per model. .json: an array of objects, or an object mapping model
// names to objects. Names must be unique; errors name the file and the row.
Result<ModelMetadata> loadModelMetadata(const std::string& path);

class JsonValue;
// The JSON layouts above from a parsed document (e.g. the "meta" object of merged batch results).
Result<ModelMetadata> modelMetadataFromJson(const JsonValue& document, const std::string& origin);

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
