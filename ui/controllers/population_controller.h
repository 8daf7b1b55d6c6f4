#pragma once
// Owns the population of models the Compare page shows: results read from files (ooo --json outputs, merged
// batch results), the workspace's own odd-one-out results, and a model table matched to them by name. It
// computes the statistics of a selection (correlations, factor effects with permutation tests) on a worker
// with progress; a newer selection supersedes an older one.

#include "figures/population_figure.h"

#include "alignscope/model_metadata.h"
#include "alignscope/model_population.h"
#include "alignscope/population_stats.h"
#include "alignscope/rsa_analysis.h"

#include <QObject>
#include <QStringList>
#include <map>
#include <memory>
#include <optional>

class OddOneOutController;
class TaskRunner;
namespace alignscope {
struct OddOneOutAnalysis;
}

struct PopulationStatistics
{
    PopulationSelection selection;
    std::optional<alignscope::CorrelationStatistic> pearson, spearman; // result against x
    std::optional<alignscope::FactorStatistic> factor;                 // result by the grouping column
    alignscope::PopulationOptions options;
    QString problem; // why a statistic is missing (e.g. a column that is not numeric), else empty
};

class PopulationController : public QObject
{
    Q_OBJECT
public:
    PopulationController(TaskRunner* tasks, OddOneOutController* oddOneOut, QObject* parent = nullptr);

    // Adds result files (read on a worker); errors name the file. Models already present are refused.
    void addResults(const QStringList& paths);
    void setMetadata(const QString& path);
    // Editing the model table (Compare page): column 0 is the model's name (unique, not empty; else false and
    // failed()), other columns any text; types are inferred again and the models re-matched.
    bool setMetadataCell(int row, int column, const QString& text);
    // Rows, with empty cells, for the models with results that the table lacks (a new table when there is
    // none).
    void addRowsForUnmatchedModels();
    bool addMetadataColumn(const QString& name);
    // Writes the table as CSV atomically; it becomes the table the project refers to.
    QString saveMetadata(const QString& path);
    bool metadataEdited() const { return m_metadataEdited; } // edits not saved yet

    // Results and a model table read elsewhere (the demo's, read on its worker).
    void setLoaded(const QStringList& files, alignscope::ModelPopulation population,
                   const QString& metadataPath, alignscope::ModelMetadata metadata);
    // The workspace's exported models as their files describe them (family, parameters, top-1, training
    // data, objective), by their names: with the results' "meta", the model table while none was opened or
    // edited, so a population of exported models needs no typing. Unchanged tables change nothing.
    void setWorkspaceMetadata(alignscope::ModelMetadata table);
    void clear();
    QStringList resultFiles() const { return m_files; }
    QString metadataPath() const { return m_metadataPath; }

    // Files' models, then the workspace's (its odd-one-out accuracies and per-concept accuracies).
    const alignscope::ModelPopulation& population() const { return m_population; }
    const alignscope::ModelMetadata& metadata() const { return m_metadata; }
    const alignscope::MetadataMatch& match() const { return m_match; }
    // The workspace's RSA results join as MetricKind::RsaR of their dataset (set by the Workbench when they
    // change).
    void setWorkspaceRsa(std::vector<std::shared_ptr<const alignscope::RsaAnalysis>> analyses);
    // The transfer matrix: the workspace's probe (set by the Workbench) and probe jobs of the result files.
    void setWorkspaceTransfer(std::vector<TransferCell> cells);
    // The workspace's analyses changed (the odd-one-out results are read from `oddOneOut`): its RSA results
    // and transfer cells, one rebuild and one populationChanged. The Workbench calls it once per change.
    void setWorkspaceResults(std::vector<std::shared_ptr<const alignscope::RsaAnalysis>> rsa,
                             std::vector<TransferCell> transfer);
    std::vector<TransferCell> transferCells() const;

    // Results of the selection pooled from different triplets, objects or similarities (and files without a
    // fingerprint). Mixed results are refused (no statistics, no plot, no tables) unless allowMixed is set;
    // then the page, the figures and the exports say so.
    alignscope::PoolingCheck pooling(const PopulationSelection& selection) const;
    void setAllowMixed(bool allow);
    bool allowMixed() const { return m_allowMixed; }
    // Why the workspace's odd-one-out results are not in the population (their triplets, objects or
    // similarity differ from the result files' and mixing is not allowed), else empty.
    QString workspaceLeftOut() const { return m_workspaceLeftOut; }
    // Where the value the population shows for its model `model` and concept `concept` (indices into
    // population().models and population().conceptLabels(), as the Compare page reports a click) came from in
    // the workspace's odd-one-out analysis: the model's index there and the concept's dimension (a name can
    // belong to several models: the first one's values are shown); nullopt for a results file's model.
    struct WorkspaceCell
    {
        int model = -1;
        int dimension = -1;
    };
    std::optional<WorkspaceCell> workspaceCell(int model, int concept) const;
    bool refusesMixed(const PopulationSelection& selection) const
    {
        return !m_allowMixed && pooling(selection).mixedResults();
    }

    // Permutations and bootstrap replicates for the statistics (the methods paragraph names them).
    void setOptions(const alignscope::PopulationOptions& options) { m_options = options; }
    const alignscope::PopulationOptions& options() const { return m_options; }
    // Starts the statistics of `selection` on a worker; statisticsChanged delivers them.
    void computeStatistics(const PopulationSelection& selection);
    const std::optional<PopulationStatistics>& statistics() const { return m_statistics; }

Q_SIGNALS:
    void populationChanged(); // models, metrics or the model table changed
    void statisticsChanged();
    void failed(const QString& message);

private:
    void rebuild();
    void useDefaultMetadata(); // the results' "meta" and the exported models' own

    TaskRunner* m_tasks;
    OddOneOutController* m_oddOneOut;
    QStringList m_files;
    alignscope::ModelPopulation m_fromFiles;
    alignscope::ModelPopulation m_population;
    QString m_metadataPath;
    alignscope::ModelMetadata m_metadata; // the model table opened, else the results' embedded one
    std::optional<alignscope::ModelMetadata> m_embedded;
    alignscope::ModelMetadata m_workspaceMetadata;
    std::vector<TransferCell> m_workspaceTransfer;
    std::vector<std::shared_ptr<const alignscope::RsaAnalysis>> m_workspaceRsa;
    bool m_metadataEdited = false;
    bool m_allowMixed = false;
    QString m_workspaceLeftOut;
    std::vector<int> m_workspaceModels;     // per population model: its index in the analysis, else -1
    std::vector<int> m_workspaceDimensions; // per population concept: its dimension in the analysis, else -1
    alignscope::MetadataMatch m_match;
    alignscope::PopulationOptions m_options;
    std::optional<PopulationStatistics> m_statistics;
};
