#pragma once
// Results tables for papers: odd-one-out and RSA tables as CSV and LaTeX (booktabs), and methods.md.

#include "alignscope/model_metadata.h"
#include "alignscope/model_population.h"
#include "alignscope/odd_one_out_analysis.h"
#include "alignscope/population_stats.h"
#include "alignscope/rsa_analysis.h"

#include <QStringList>
#include <memory>
#include <optional>
#include <string>
#include <vector>

// Writes results-ooo.{csv,tex}, results-rsa.{csv,tex} (when computed) and methods.md into `folder`
// atomically; returns the files written and appends one-line errors to `errors`.
QStringList exportTables(const alignscope::OddOneOutAnalysis* oddOneOut,
                         const std::vector<std::shared_ptr<const alignscope::RsaAnalysis>>& rsa,
                         const QString& folder, QStringList* errors);

// What the Compare page's tables show, as plain values (pages/compare_tables.h fills them from its
// controller), so that exporting needs no controller.
struct PopulationTables
{
    struct Statistics
    {
        std::string metric, x, groupBy; // what was computed: the result, against x, by the grouping column
        std::optional<alignscope::CorrelationStatistic> pearson, spearman;
        std::optional<alignscope::FactorStatistic> factor;
    };
    alignscope::ModelPopulation population;
    alignscope::ModelMetadata metadata;
    alignscope::MetadataMatch match;
    std::vector<std::string> metrics; // the selection's result, then its x when x is a result too
    alignscope::PoolingCheck pooling; // of the selection's results
    bool allowMixed = false;          // the user chose to pool mixed results
    alignscope::PopulationOptions options;
    bool logX = false;
    std::optional<Statistics> statistics; // when computed
};

// The Compare page's tables: compare-models.{csv,tex} (models, metadata, the selection's result),
// compare-statistics.{csv,tex} (the selection's statistics, when computed) and compare-methods.md.
QStringList exportPopulationTables(const PopulationTables& tables, const QString& folder,
                                   QStringList* errors);
