#pragma once
// Results of many models side by side: one value per model and metric (accuracy, normalized_score,
// concept:<label>, rsa metrics per human dataset, ...), with intervals where the source gave them. Read from
// `alignscope-cli ooo --json` outputs and merged batch results, or filled by the app from its own analyses;
// joined with a model table (model_metadata.h) for the statistics in population_stats.h.

#include "alignscope/alignment_stats.h"
#include "alignscope/model_metadata.h"
#include "alignscope/result.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace alignscope {

inline constexpr const char* kConceptMetricPrefix = "concept:";

struct ModelPopulation
{
    std::vector<std::string> models;  // in the order first seen
    std::vector<std::string> metrics; // in the order first seen

    // Adds one value; non-finite values are no value (a null in JSON). A second value for the same model and
    // metric is an error naming both sources.
    Status add(const std::string& model, const std::string& metric, double value, const std::string& origin,
               std::optional<Interval> ci95 = std::nullopt);
    std::optional<double> value(const std::string& model, const std::string& metric) const;
    std::optional<Interval> interval(const std::string& model, const std::string& metric) const;
    // Per model (in `models` order): the metric's value, NaN where the model has none.
    std::vector<double> column(const std::string& metric) const;
    // The concept labels that have a concept:<label> metric, in the order first seen.
    std::vector<std::string> conceptLabels() const;
    bool empty() const { return models.empty(); }

private:
    struct Entry
    {
        double value = 0;
        std::optional<Interval> ci95;
        std::string origin;
    };
    std::map<std::string, std::map<std::string, Entry>> m_entries; // model → metric → entry
    const Entry* find(const std::string& model, const std::string& metric) const;
};

// Adds a result file: `alignscope-cli ooo --json` output (accuracy, normalized_score, concept:<label> per
// model) or merged batch results (alignscope-batch-results-1: each finished row's metric, named
// metric@dataset/variant when those are set; rows of unfinished jobs are left out). Errors name the file.
// Merged batch results may carry the manifest's model metadata ("meta"); it goes to `embedded` when given.
Status readPopulationResults(const std::string& path, ModelPopulation& population,
                             std::optional<ModelMetadata>* embedded = nullptr);

// A metadata column's values per model of the population (through `match`): numbers (NaN where missing) or
// text ("" where missing).
std::vector<double> metadataNumbers(const ModelMetadata& metadata, const MetadataMatch& match,
                                    const std::string& column);
std::vector<std::string> metadataLevels(const ModelMetadata& metadata, const MetadataMatch& match,
                                        const std::string& column);

} // namespace alignscope
