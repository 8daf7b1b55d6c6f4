#pragma once
// What the Compare page draws, as plain values: built from a population of model results, the model table and
// the user's choices by buildPopulationFigure (no widget), painted by charts/population_chart.h's
// paintPopulationFigure. Here, not in charts/, so that controllers hold it without reaching paint code.
// Building is linear in models × concepts, so a change of factor redraws at once (100 models × 42 concepts:
// well under 200 ms).

#include "alignscope/model_population.h"

#include <QColor>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

enum class PopulationView
{
    Scatter,  // a result against a metadata column or another result
    ByFactor, // a result per level of a categorical column (strip + box)
    Concepts, // per-concept accuracy, concepts × models
    Transfer  // a probe's zero-shot → transformed values, models × analyses (datasets)
};

// One cell of the transfer matrix: an analysis's value for a model's zero-shot and its transformed features.
struct TransferCell
{
    QString model;
    QString analysis; // "odd-one-out accuracy", "RSA r: ratings", "cv accuracy: train/…"
    double zeroShot = 0;
    double transformed = 0;
};

// Cells from results files: probe jobs' zero_shot_accuracy and cv_accuracy of one dataset and variant.
std::vector<TransferCell> transferCellsFromMetrics(const alignscope::ModelPopulation& population);

enum class ConceptValues
{
    Raw,                // accuracy
    FromAcrossModelMean // accuracy minus the concept's mean over models
};

struct PopulationSelection
{
    PopulationView view = PopulationView::Scatter;
    // A metric (metricName of a MetricKey).
    QString y = QString::fromLatin1(alignscope::metricKindName(alignscope::MetricKind::Accuracy));
    QString x;       // a numeric metadata column or a metric (scatter)
    QString groupBy; // a categorical metadata column: colours, groups, column order
    ConceptValues conceptValues = ConceptValues::Raw;
    // Concepts view, the models' order: "" by group (the grouping column), "cluster" (average linkage over
    // their concept accuracies), or a numeric column of the model table (ascending).
    QString modelOrder;
    bool logX = false;
};

struct PopulationPoint
{
    QString model;
    int modelIndex = -1; // the model's index in the population's models: what a click reports
    double x = 0, y = 0;
    std::optional<alignscope::Interval> xInterval, yInterval;
    int group = -1; // index into PopulationFigureData::groups, -1 without grouping
};

struct PopulationFigureData
{
    PopulationView view = PopulationView::Scatter;
    QString title, xLabel, yLabel;
    QString message;    // shown instead of a plot when there is nothing to draw (says why)
    QStringList groups; // levels of the grouping column, in order of first appearance
    QString groupedBy;  // the grouping column's name (the heatmap's legend), empty without groups
    std::vector<PopulationPoint> points;
    bool logX = false;
    bool identityLine = false; // result against result: the diagonal y = x
    // Left out of the plot (no value, or no level of the grouping column): said by the page and the CLI,
    // never inside the figure.
    QStringList modelsWithoutValues;
    // By factor: each group's mean and 95% bootstrap interval once the statistics arrived (per group, NaN
    // before).
    std::vector<double> groupMean, groupLow, groupHigh;
    QString highlighted; // the model clicked last: drawn with a ring

    // Concepts view: rows are concepts, columns are models (grouped by `groups` when set), then one summary
    // column per group (its models' mean). Row c is the population's conceptLabels()[c], and a click reports
    // that index and the column's columnModels entry, never the names (two models can share one).
    QStringList concepts, columns;
    std::vector<int> columnGroup;  // per model column; -1 for a model without a level (after the groups)
    std::vector<int> columnModels; // per model column: the model's index in the population's models
    std::vector<double> cells;     // concepts × (columns + groups), NaN where a model lacks the concept
    int summaryColumns = 0;
    bool diverging = false; // values are differences from the across-model mean
    double low = 0, high = 1;

    // Transfer view: rows models, columns analyses; zeroShot/transformed are rows × columns, NaN where
    // missing.
    QStringList transferRows, transferColumns;
    std::vector<double> zeroShot, transformed;
    double cell(int concept, int column) const
    {
        return cells[size_t(concept) * size_t(columns.size() + summaryColumns) + size_t(column)];
    }
};

// One colour per group, distinct for up to 10 groups (then they repeat), readable on white and in print.
QColor groupColour(int group);

PopulationFigureData buildPopulationFigure(const alignscope::ModelPopulation& population,
                                           const alignscope::ModelMetadata& metadata,
                                           const alignscope::MetadataMatch& match,
                                           const PopulationSelection& selection,
                                           const std::vector<TransferCell>& transfer = {});

// A readable label for a metric name: "accuracy" → "Odd-one-out accuracy", "concept:food" → "food
// (accuracy)".
QString metricLabel(const QString& metric);
