#pragma once
// Tables and a methods paragraph for the statistics over a population of models (the Compare page's File >
// Export Tables, `compare`): the models with their metadata and results, a factor's groups and pairwise
// differences, and what was computed with how many replicates, permutations and which seed.

#include "alignscope/model_population.h"
#include "alignscope/population_stats.h"
#include "alignscope/report_tables.h"

#include <optional>
#include <string>
#include <vector>

namespace alignscope {

// One row per model: its name, every metadata column, then `metrics` (with 95% intervals where known).
ReportTable populationTable(const ModelPopulation& population, const ModelMetadata& metadata,
                            const MetadataMatch& match, const std::vector<std::string>& metrics);

// The statistics of one selection: correlations against `x` and/or the factor `by`, one row per statistic.
ReportTable populationStatisticsTable(const std::string& metric, const std::string& x,
                                      const std::optional<CorrelationStatistic>& pearson,
                                      const std::optional<CorrelationStatistic>& spearman,
                                      const std::string& by, const std::optional<FactorStatistic>& factor);

// Opens with mixedResultsNote and the files without a fingerprint when `pooling` found them.
std::string populationMethodsParagraph(const PopulationOptions& options, int models, bool logX,
                                       const PoolingCheck& pooling = {});
// "WARNING: results were pooled although they differ (...)", or empty when they do not.
std::string mixedResultsNote(const PoolingCheck& pooling);

} // namespace alignscope
