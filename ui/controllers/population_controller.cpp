#include "controllers/population_controller.h"

#include "controllers/odd_one_out_controller.h"
#include "session/task_runner.h"

#include "alignscope/file_io.h"
#include "alignscope/result_json.h"

#include <algorithm>
#include <cmath>

using namespace alignscope;

namespace {

std::string lowered(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

} // namespace

PopulationController::PopulationController(TaskRunner* tasks, OddOneOutController* oddOneOut, QObject* parent)
    : QObject(parent), m_tasks(tasks), m_oddOneOut(oddOneOut)
{
}

void PopulationController::addResults(const QStringList& paths)
{
    struct Read
    {
        ModelPopulation population;
        QStringList files;
        std::optional<ModelMetadata> embedded;
    };
    m_tasks->run<Result<Read>>(
        QStringLiteral("population-files"), this,
        [paths, population = m_fromFiles, files = m_files,
         embedded = m_embedded](const TaskContext&) mutable -> Result<Read> {
            for (const QString& path : paths) {
                if (auto status = readPopulationResults(path.toStdString(), population, &embedded); !status)
                    return status.error();
                files << path;
            }
            return Read{std::move(population), files, std::move(embedded)};
        },
        [this](Result<Read> read) {
            if (!read) {
                Q_EMIT failed(QString::fromStdString(read.error().message()));
                return;
            }
            m_fromFiles = std::move(read->population);
            m_files = read->files;
            m_embedded = std::move(read->embedded);
            if (m_metadataPath.isEmpty()) useDefaultMetadata();
            rebuild();
        });
}

void PopulationController::setMetadata(const QString& path)
{
    m_tasks->run<Result<ModelMetadata>>(
        QStringLiteral("population-metadata"), this,
        [file = path.toStdString()](const TaskContext&) { return loadModelMetadata(file); },
        [this, path](Result<ModelMetadata> metadata) {
            if (!metadata) {
                Q_EMIT failed(QString::fromStdString(metadata.error().message()));
                return;
            }
            m_metadataPath = path;
            m_metadata = std::move(metadata).value();
            m_metadataEdited = false;
            rebuild();
        });
}

void PopulationController::setLoaded(const QStringList& files, ModelPopulation population,
                                     const QString& metadataPath, ModelMetadata metadata)
{
    m_files = files;
    m_fromFiles = std::move(population);
    m_metadataPath = metadataPath;
    m_metadata = std::move(metadata);
    rebuild();
}

void PopulationController::setWorkspaceMetadata(ModelMetadata table)
{
    if (modelMetadataCsv(table) == modelMetadataCsv(m_workspaceMetadata)) return;
    m_workspaceMetadata = std::move(table);
    if (!m_metadataPath.isEmpty() || m_metadataEdited) return; // the user's table stays
    useDefaultMetadata();
    rebuild();
}

void PopulationController::useDefaultMetadata()
{
    ModelMetadata table = m_embedded.value_or(ModelMetadata{});
    if (table.models.empty()) {
        table = m_workspaceMetadata;
    } else if (!m_workspaceMetadata.models.empty()) {
        auto merged = mergeModelMetadata(table, m_workspaceMetadata);
        if (merged)
            table = std::move(merged).value();
        else
            Q_EMIT failed(QString::fromStdString(merged.error().message()));
    }
    m_metadata = std::move(table);
}

void PopulationController::setWorkspaceRsa(std::vector<std::shared_ptr<const RsaAnalysis>> analyses)
{
    m_workspaceRsa = std::move(analyses);
    rebuild();
}

void PopulationController::setWorkspaceResults(std::vector<std::shared_ptr<const RsaAnalysis>> rsa,
                                               std::vector<TransferCell> transfer)
{
    m_workspaceRsa = std::move(rsa);
    m_workspaceTransfer = std::move(transfer);
    rebuild();
}

void PopulationController::setWorkspaceTransfer(std::vector<TransferCell> cells)
{
    m_workspaceTransfer = std::move(cells);
    Q_EMIT populationChanged();
}

std::vector<TransferCell> PopulationController::transferCells() const
{
    std::vector<TransferCell> cells = m_workspaceTransfer;
    for (TransferCell& cell : transferCellsFromMetrics(m_fromFiles))
        cells.push_back(std::move(cell));
    return cells;
}

bool PopulationController::setMetadataCell(int row, int column, const QString& text)
{
    if (row < 0 || row >= int(m_metadata.models.size()) || column < 0 ||
        column > int(m_metadata.columns.size()))
        return false;
    ModelMetadata edited = m_metadata;
    if (column == 0)
        edited.models[size_t(row)] = text.trimmed().toStdString();
    else
        edited.columns[size_t(column - 1)].text[size_t(row)] = text.trimmed().toStdString();
    if (auto named = checkModelNames(edited); !named) {
        Q_EMIT failed(QString::fromStdString(named.error().message()));
        return false;
    }
    // A row naming one of the workspace's models renames that model too (its display name in every view,
    // figure and export), so the row stays matched to it.
    if (column == 0 && m_oddOneOut)
        for (size_t m = 0; m < m_match.rowForModel.size() && m < m_workspaceModels.size(); ++m) {
            if (m_match.rowForModel[m] != row || m_workspaceModels[m] < 0) continue;
            QString error;
            if (!m_oddOneOut->renameModel(m_workspaceModels[m], text.trimmed(), &error)) {
                Q_EMIT failed(error);
                return false;
            }
        }
    inferColumnTypes(edited);
    m_metadata = std::move(edited);
    m_metadataEdited = true;
    rebuild();
    return true;
}

void PopulationController::addRowsForUnmatchedModels()
{
    if (m_metadata.origin.empty()) m_metadata.origin = tr("new model table").toStdString();
    for (const std::string& model : m_match.unmatchedModels) {
        m_metadata.models.push_back(model);
        for (MetadataColumn& column : m_metadata.columns)
            column.text.emplace_back();
    }
    inferColumnTypes(m_metadata);
    m_metadataEdited = true;
    rebuild();
}

bool PopulationController::addMetadataColumn(const QString& name)
{
    const std::string key = name.trimmed().toStdString();
    if (key.empty() || lowered(key) == "model" || m_metadata.column(key)) {
        Q_EMIT failed(tr("A model table column needs a new name (not empty, not \"model\"): %1").arg(name));
        return false;
    }
    MetadataColumn column;
    column.name = key;
    column.text.assign(m_metadata.models.size(), std::string());
    m_metadata.columns.push_back(std::move(column));
    inferColumnTypes(m_metadata);
    m_metadataEdited = true;
    rebuild();
    return true;
}

QString PopulationController::saveMetadata(const QString& path)
{
    if (auto written = writeFileAtomically(path.toStdString(), modelMetadataCsv(m_metadata)); !written)
        return QString::fromStdString(written.error().message());
    m_metadataPath = path;
    m_metadata.origin = path.toStdString();
    m_metadataEdited = false;
    Q_EMIT populationChanged();
    return {};
}

void PopulationController::clear()
{
    m_files.clear();
    m_fromFiles = {};
    m_embedded.reset();
    m_workspaceTransfer.clear();
    m_workspaceRsa.clear();
    m_metadataPath.clear();
    m_metadata = {};
    m_metadataEdited = false;
    rebuild();
}

void PopulationController::rebuild()
{
    m_population = m_fromFiles;
    m_workspaceLeftOut.clear();
    QStringList skipped;
    std::vector<std::pair<size_t, int>> models, dimensions; // population index → analysis index, dimension
    std::vector<ConceptAccuracy> fromFiles;                 // workspace concepts the result files named first
    size_t conceptCount = m_population.conceptLabels().size();
    if (const auto analysis = m_oddOneOut ? m_oddOneOut->analysis() : nullptr) {
        const auto& repeats = analysis->repeats;
        // Hashed with the analysis, on the worker: rebuild() runs on the GUI thread.
        const ResultFingerprint fingerprint{m_oddOneOut->tripletsFingerprint(),
                                            similarityName(analysis->options.similarity)};
        // The workspace joins the result files only where it is comparable with them (or mixing is allowed).
        QStringList differs;
        for (const ResultFingerprint& file :
             m_fromFiles.fingerprints(metricName(MetricKey::of(MetricKind::Accuracy)))) {
            if (!file.triplets.empty() && file.triplets != fingerprint.triplets &&
                !differs.contains(tr("triplets")))
                differs << tr("triplets");
            if (!file.similarity.empty() && file.similarity != fingerprint.similarity &&
                !differs.contains(tr("similarity")))
                differs << tr("similarity");
        }
        if (!differs.isEmpty() && !m_allowMixed)
            m_workspaceLeftOut = tr("The workspace's odd-one-out results are left out: their %1 differ from "
                                    "the result files'. "
                                    "Tick \"Pool mixed results\" to pool them anyway.")
                                     .arg(differs.join(tr(" and ")));
        for (size_t index = 0; index < analysis->models.size(); ++index) {
            const ModelAnalysis& model = analysis->models[index];
            if (!m_workspaceLeftOut.isEmpty()) break;
            if (std::find(m_population.models.begin(), m_population.models.end(), model.name) !=
                m_population.models.end()) {
                skipped << QString::fromStdString(model.name);
                continue;
            }
            const std::string origin = "workspace";
            // The population appends a model with its first value: that position is the model's id.
            const size_t position = m_population.models.size();
            (void)m_population.add(model.name, MetricKey::of(MetricKind::Accuracy), model.choices.accuracy(),
                                   origin, model.ci95, fingerprint);
            if (repeats.noiseCeiling)
                (void)m_population.add(model.name, MetricKey::of(MetricKind::NormalizedScore),
                                       normalisedScore(model.choices.accuracy(), *repeats.noiseCeiling),
                                       origin, std::nullopt, fingerprint);
            for (const ConceptAccuracy& concept : model.perConcept) {
                const size_t metrics = m_population.metrics.size();
                (void)m_population.add(model.name, MetricKey::conceptAccuracy(concept.label),
                                       concept.accuracy, origin, concept.ci95, fingerprint);
                // A concept metric the population did not have yet is its next concept; one the result files
                // brought (same label: the same concept) keeps its place, recorded below.
                if (m_population.metrics.size() > metrics)
                    dimensions.push_back({conceptCount++, concept.dimension});
                else
                    fromFiles.push_back(concept);
            }
            if (m_population.models.size() > position) models.push_back({position, int(index)});
        }
    }
    for (const auto& analysis : m_workspaceRsa)
        for (const RsaModelResult& model : analysis->models) {
            if (std::find(skipped.begin(), skipped.end(), QString::fromStdString(model.name)) !=
                skipped.end())
                continue;
            std::optional<Interval> ci;
            if (model.ci95) ci = Interval{model.ci95->low, model.ci95->high};
            // Comparable with the workspace's other RSA results of this dataset (the metric names it).
            const ResultFingerprint rsa{"workspace RSA of " + analysis->dataset,
                                        rdmMethodName(analysis->method)};
            (void)m_population.add(model.name, MetricKey::of(MetricKind::RsaR, analysis->dataset), model.r,
                                   "workspace", ci, rsa);
        }
    m_workspaceModels.assign(m_population.models.size(), -1);
    for (const auto& [position, index] : models)
        m_workspaceModels[position] = index;
    const std::vector<std::string> labels = m_population.conceptLabels();
    m_workspaceDimensions.assign(labels.size(), -1);
    for (const auto& [position, dimension] : dimensions)
        m_workspaceDimensions[position] = dimension;
    // Result files know a concept only by its label: that is where the population joins them.
    for (const ConceptAccuracy& concept : fromFiles) {
        const auto at = std::find(labels.begin(), labels.end(), concept.label);
        if (at == labels.end()) continue;
        int& dimension = m_workspaceDimensions[size_t(at - labels.begin())];
        if (dimension < 0) dimension = concept.dimension;
    }
    m_match = matchModelsToMetadata(m_metadata, m_population.models);
    m_statistics.reset();
    if (!skipped.isEmpty())
        Q_EMIT failed(tr("Workspace models with the name of a model from a results file are left out of the "
                         "comparison: %1")
                          .arg(skipped.join(QStringLiteral(", "))));
    Q_EMIT populationChanged();
}

std::optional<PopulationController::WorkspaceCell> PopulationController::workspaceCell(int model,
                                                                                       int concept) const
{
    if (model < 0 || concept < 0 || size_t(model) >= m_workspaceModels.size() ||
        size_t(concept) >= m_workspaceDimensions.size())
        return std::nullopt;
    const WorkspaceCell cell{m_workspaceModels[size_t(model)], m_workspaceDimensions[size_t(concept)]};
    if (cell.model < 0 || cell.dimension < 0) return std::nullopt;
    return cell;
}

PoolingCheck PopulationController::pooling(const PopulationSelection& selection) const
{
    return m_population.checkPooling(
        metricsRead(m_population, selection.y.toStdString(), selection.x.toStdString(),
                    selection.view == PopulationView::Concepts, selection.view == PopulationView::Transfer));
}

void PopulationController::setAllowMixed(bool allow)
{
    if (allow == m_allowMixed) return;
    m_allowMixed = allow;
    rebuild(); // the workspace's results may join now
}

void PopulationController::computeStatistics(const PopulationSelection& selection)
{
    PopulationStatistics base;
    base.selection = selection;
    base.options = m_options;
    if (const PoolingCheck check = pooling(selection); check.mixedResults() && !m_allowMixed) {
        QStringList reasons;
        for (const std::string& reason : check.mixed)
            reasons << QString::fromStdString(reason);
        base.problem = tr("Not computed: %1. Tick \"Pool mixed results\" to pool them anyway.")
                           .arg(reasons.join(QStringLiteral("; ")));
        m_tasks->run<PopulationStatistics>(
            QStringLiteral("population-statistics"), this, [base](const TaskContext&) { return base; },
            [this](PopulationStatistics statistics) {
                m_statistics = std::move(statistics);
                Q_EMIT statisticsChanged();
            });
        return;
    }
    const std::vector<double> y = m_population.column(selection.y.toStdString());
    std::vector<double> x;
    if (selection.view == PopulationView::Scatter && !selection.x.isEmpty()) {
        const std::string name = selection.x.toStdString();
        const bool isMetric = std::find(m_population.metrics.begin(), m_population.metrics.end(), name) !=
                              m_population.metrics.end();
        const MetadataColumn* column = m_metadata.column(name);
        if (isMetric)
            x = m_population.column(name);
        else if (column && column->numeric)
            x = metadataNumbers(m_metadata, m_match, name);
        else
            base.problem = tr("'%1' is not numeric: group by it instead.").arg(selection.x);
        if (!isMetric && selection.logX)
            for (double& value : x)
                value = value > 0 ? std::log10(value) : std::nan("");
    }
    std::vector<std::string> levels;
    if (!selection.groupBy.isEmpty() && m_metadata.column(selection.groupBy.toStdString()))
        levels = metadataLevels(m_metadata, m_match, selection.groupBy.toStdString());
    m_tasks->run<PopulationStatistics>(
        QStringLiteral("population-statistics"), this,
        [base, y, x, levels](const TaskContext& context) {
            PopulationStatistics out = base;
            if (!x.empty()) {
                std::vector<double> xs, ys;
                for (size_t m = 0; m < y.size(); ++m)
                    if (std::isfinite(x[m]) && std::isfinite(y[m])) xs.push_back(x[m]), ys.push_back(y[m]);
                context.report(0.0, "correlations");
                if (auto pearson = pearsonOverModels(xs, ys, base.options, context)) out.pearson = *pearson;
                context.report(0.4, "correlations");
                if (auto spearman = spearmanOverModels(xs, ys, base.options, context))
                    out.spearman = *spearman;
                context.report(0.7, "correlations");
            }
            if (!levels.empty()) {
                std::vector<double> values;
                std::vector<std::string> groups;
                for (size_t m = 0; m < y.size(); ++m)
                    if (std::isfinite(y[m]) && !levels[m].empty())
                        values.push_back(y[m]), groups.push_back(levels[m]);
                if (auto factor = factorOverModels(values, groups, base.options, context))
                    out.factor = *factor;
            }
            context.report(1.0, "statistics");
            return out;
        },
        [this](PopulationStatistics statistics) {
            m_statistics = std::move(statistics);
            Q_EMIT statisticsChanged();
        });
}
