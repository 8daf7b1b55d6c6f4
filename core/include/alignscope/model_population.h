#pragma once
// Results of many models side by side: one value per model and metric (named by MetricKey's text form,
// metric_key.h: odd-one-out accuracy, normalised score, per concept, RSA per human dataset, ...), with
// intervals where the source gave them. Read from `alignscope-cli ooo --json` outputs and merged batch
// results, or filled by the app from its own analyses; joined with a model table (model_metadata.h) for the
// statistics in population_stats.h.

#include "alignscope/alignment_stats.h"
#include "alignscope/metric_key.h"
#include "alignscope/model_metadata.h"
#include "alignscope/result.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace alignscope {

// What makes one result comparable with another (written by `ooo --json` as "fingerprint", by `merge` per
// row): the objects and triplets as used (SHA-256 over the object IDs and the triplets, see
// tripletsFingerprint in result_json.h) and the similarity. Empty for files written before fingerprints.
struct ResultFingerprint
{
    std::string triplets;   // hex SHA-256
    std::string similarity; // similarityName
    bool empty() const { return triplets.empty() && similarity.empty(); }
    bool operator==(const ResultFingerprint& other) const
    {
        return triplets == other.triplets && similarity == other.similarity;
    }
    bool operator!=(const ResultFingerprint& other) const { return !(*this == other); }
};

// Results that cannot be pooled without saying so (see checkPooling).
struct PoolingCheck
{
    std::vector<std::string> mixed;           // per metric whose results differ: what differs, and where
    std::vector<std::string> unfingerprinted; // files whose results carry no fingerprint (older files)
    std::string differing; // short, for figure titles: "triplets and objects", "similarity" or both
    bool mixedResults() const { return !mixed.empty(); }
};

struct ModelPopulation
{
    std::vector<std::string> models;  // in the order first seen
    std::vector<std::string> metrics; // metricName of each, in the order first seen

    // Adds one value; non-finite values are no value (a null in JSON). A second value for the same model and
    // metric is an error naming both sources.
    Status add(const std::string& model, const std::string& metric, double value, const std::string& origin,
               std::optional<Interval> ci95 = std::nullopt, const ResultFingerprint& fingerprint = {});
    std::optional<double> value(const std::string& model, const std::string& metric) const;
    std::optional<Interval> interval(const std::string& model, const std::string& metric) const;
    // Per model (in `models` order): the metric's value, NaN where the model has none.
    std::vector<double> column(const std::string& metric) const;
    Status add(const std::string& model, const MetricKey& metric, double value, const std::string& origin,
               std::optional<Interval> ci95 = std::nullopt, const ResultFingerprint& fingerprint = {})
    {
        return add(model, metricName(metric), value, origin, ci95, fingerprint);
    }
    std::optional<double> value(const std::string& model, const MetricKey& metric) const
    {
        return value(model, metricName(metric));
    }
    std::optional<Interval> interval(const std::string& model, const MetricKey& metric) const
    {
        return interval(model, metricName(metric));
    }
    std::vector<double> column(const MetricKey& metric) const { return column(metricName(metric)); }
    // The concept labels that have a concept accuracy metric, in the order first seen.
    std::vector<std::string> conceptLabels() const;
    bool empty() const { return models.empty(); }
    // The metrics present, comma-separated (for "no model has the metric" messages).
    std::string metricList() const;

    // Models read but with no value: failed or unfinished jobs, models whose values are all missing or
    // non-finite ("model_99: job 'late' failed (merged.json)"); listed by compare and the Compare page.
    std::vector<std::string> leftOut;

    // Whether the values of `metrics` come from results with one fingerprint.
    PoolingCheck checkPooling(const std::vector<std::string>& metrics) const;
    // The distinct fingerprints of `metric`'s values, the empty one included when a value has none.
    std::vector<ResultFingerprint> fingerprints(const std::string& metric) const;

private:
    struct Entry
    {
        double value = 0;
        std::optional<Interval> ci95;
        std::string origin;
        ResultFingerprint fingerprint;
    };
    std::map<std::string, std::map<std::string, Entry>> m_entries; // model → metric → entry
    const Entry* find(const std::string& model, const std::string& metric) const;
};

// Adds a result file: `alignscope-cli ooo --json` output (accuracy, normalised score and per-concept accuracy
// per model) or merged batch results (alignscope-batch-results-1: each finished row's metric with its dataset
// and variant as a MetricKey; a metric the table does not know is an error; rows of unfinished jobs are left
// out and listed in `leftOut`).
// Values are checked: accuracies within [0, 1] and equal to n_correct / n_triplets where both are given,
// intervals with low <= high; a value that is not a number is an error. Errors name the file and the field.
// Merged batch results may carry the manifest's model metadata ("meta"); it joins `embedded` when given (a
// cell that two files give differently is an error naming both).
Status readPopulationResults(const std::string& path, ModelPopulation& population,
                             std::optional<ModelMetadata>* embedded = nullptr);

// What compare, its figure and the Compare page read: the result files and a model table (`metaPath`, else
// the merged results' "meta"), with the pooling check of the metrics asked for.
struct PopulationInputs
{
    ModelPopulation population;
    std::optional<ModelMetadata> metadata;
    std::string metadataOrigin; // `metaPath` or the merged results that gave "meta"
};
Result<PopulationInputs> loadPopulationInputs(const std::vector<std::string>& resultPaths,
                                              const std::string& metaPath);

// The metrics a view of the population reads: `metric`, `x` when it is a metric, every concept accuracy
// when `concepts` is set, and every zero-shot and cross-validated probe accuracy (what the Transfer view
// draws) when `transfer` is set.
std::vector<std::string> metricsRead(const ModelPopulation& population, const std::string& metric,
                                     const std::string& x, bool concepts, bool transfer = false);

// A metadata column's values per model of the population (through `match`): numbers (NaN where missing) or
// text ("" where missing).
std::vector<double> metadataNumbers(const ModelMetadata& metadata, const MetadataMatch& match,
                                    const std::string& column);
std::vector<std::string> metadataLevels(const ModelMetadata& metadata, const MetadataMatch& match,
                                        const std::string& column);

} // namespace alignscope
