#include "figures/population_figure.h"

#include <QCoreApplication>
#include <algorithm>
#include <climits>
#include <cmath>

using namespace alignscope;

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("PopulationFigure", text);
}

// A metric of the population or a column of the model table, per model (NaN where missing).
struct Variable
{
    std::vector<double> values;
    bool isMetric = false;
    bool found = false;
};

Variable variable(const ModelPopulation& population, const ModelMetadata& metadata,
                  const MetadataMatch& match, const QString& name)
{
    Variable out;
    const std::string key = name.toStdString();
    if (std::find(population.metrics.begin(), population.metrics.end(), key) != population.metrics.end()) {
        out.values = population.column(key);
        out.isMetric = out.found = true;
    } else if (const MetadataColumn* column = metadata.column(key); column && column->numeric) {
        out.values = metadataNumbers(metadata, match, key);
        out.found = true;
    }
    return out;
}

// Levels of the grouping column per model (-1: no grouping or no value) and their names in order of first
// appearance. Models without a value belong to no group: a "(no value)" group would read as a level of the
// column in a figure.
std::vector<int> groupsOf(const ModelMetadata& metadata, const MetadataMatch& match, const QString& column,
                          QStringList& names)
{
    std::vector<int> group(match.rowForModel.size(), -1);
    if (column.isEmpty() || !metadata.column(column.toStdString())) return group;
    const std::vector<std::string> levels = metadataLevels(metadata, match, column.toStdString());
    for (size_t m = 0; m < levels.size(); ++m) {
        if (levels[m].empty()) continue;
        const QString level = QString::fromStdString(levels[m]);
        int index = int(names.indexOf(level));
        if (index < 0) {
            index = int(names.size());
            names << level;
        }
        group[m] = index;
    }
    return group;
}

// Leaf order of an average-linkage clustering of the rows of `vectors` (Euclidean over the entries both rows
// have, scaled to their count): similar models side by side. Deterministic: ties merge the lowest indices.
std::vector<size_t> clusteredOrder(const std::vector<std::vector<double>>& vectors)
{
    const size_t n = vectors.size();
    std::vector<std::vector<double>> distance(n, std::vector<double>(n, 0.0));
    for (size_t a = 0; a < n; ++a)
        for (size_t b = a + 1; b < n; ++b) {
            double sum = 0;
            int shared = 0;
            for (size_t k = 0; k < vectors[a].size(); ++k)
                if (std::isfinite(vectors[a][k]) && std::isfinite(vectors[b][k])) {
                    sum += (vectors[a][k] - vectors[b][k]) * (vectors[a][k] - vectors[b][k]);
                    ++shared;
                }
            distance[a][b] = distance[b][a] = shared > 0 ? std::sqrt(sum / shared) : 1e9;
        }
    std::vector<std::vector<size_t>> clusters(n);
    for (size_t i = 0; i < n; ++i)
        clusters[i] = {i};
    std::vector<bool> alive(n, true);
    for (size_t merges = 1; merges < n; ++merges) {
        double best = INFINITY;
        size_t a = 0, b = 0;
        for (size_t i = 0; i < n; ++i)
            for (size_t j = i + 1; alive[i] && j < n; ++j)
                if (alive[j] && distance[i][j] < best) best = distance[i][j], a = i, b = j;
        const double sizeA = double(clusters[a].size()), sizeB = double(clusters[b].size());
        for (size_t k = 0; k < n; ++k)
            if (alive[k] && k != a && k != b)
                distance[a][k] = distance[k][a] =
                    (sizeA * distance[a][k] + sizeB * distance[b][k]) / (sizeA + sizeB);
        clusters[a].insert(clusters[a].end(), clusters[b].begin(), clusters[b].end());
        alive[b] = false;
    }
    for (size_t i = 0; i < n; ++i)
        if (alive[i]) return clusters[i];
    return {};
}

void buildConcepts(PopulationFigureData& out, const ModelPopulation& population,
                   const std::vector<int>& group, const PopulationSelection& selection,
                   const ModelMetadata& metadata, const MetadataMatch& match)
{
    for (const std::string& label : population.conceptLabels())
        out.concepts << QString::fromStdString(label);
    if (out.concepts.isEmpty()) {
        out.message = tr("No per-concept accuracies: the results have no concept breakdown (run the "
                         "odd-one-out analysis with a concept space).");
        return;
    }
    // Columns: models in group order (stable within a group), then one mean per group (or one overall mean).
    std::vector<size_t> order(population.models.size());
    for (size_t m = 0; m < order.size(); ++m)
        order[m] = m;
    if (selection.modelOrder == QLatin1String("cluster")) {
        std::vector<std::vector<double>> vectors(population.models.size());
        for (const QString& concept : out.concepts) {
            const std::vector<double> values =
                population.column(MetricKey::conceptAccuracy(concept.toStdString()));
            for (size_t m = 0; m < values.size(); ++m)
                vectors[m].push_back(values[m]);
        }
        order = clusteredOrder(vectors);
    } else if (const MetadataColumn* column = metadata.column(selection.modelOrder.toStdString());
               column && column->numeric) {
        const std::vector<double> key = metadataNumbers(metadata, match, column->name);
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
            const bool hasA = std::isfinite(key[a]), hasB = std::isfinite(key[b]);
            return hasA != hasB ? hasA : (hasA && key[a] < key[b]); // models without a value last
        });
    } else {
        // Models without a level of the grouping column come after every group: they are drawn, in no group.
        const auto groupKey = [&](size_t m) { return group[m] < 0 ? INT_MAX : group[m]; };
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t a, size_t b) { return groupKey(a) < groupKey(b); });
    }
    // Models with no per-concept value are left out (the page and the CLI say which): an empty column says
    // nothing the figure can show.
    std::vector<bool> hasConcepts(population.models.size(), false);
    for (const QString& concept : out.concepts) {
        const std::vector<double> values =
            population.column(MetricKey::conceptAccuracy(concept.toStdString()));
        for (size_t m = 0; m < values.size(); ++m)
            hasConcepts[m] = hasConcepts[m] || std::isfinite(values[m]);
    }
    std::vector<size_t> shown;
    for (size_t m : order) {
        if (!hasConcepts[m]) {
            out.modelsWithoutValues << QString::fromStdString(population.models[m]);
            continue;
        }
        shown.push_back(m);
        out.columns << QString::fromStdString(population.models[m]);
        out.columnGroup.push_back(group[m]);
        out.columnModels.push_back(int(m));
    }
    order = shown;
    out.summaryColumns = out.groups.isEmpty() ? 1 : int(out.groups.size());
    const size_t width = size_t(out.columns.size() + out.summaryColumns);
    out.cells.assign(size_t(out.concepts.size()) * width, std::nan(""));
    out.diverging = selection.conceptValues == ConceptValues::FromAcrossModelMean;
    double low = INFINITY, high = -INFINITY;
    for (int c = 0; c < out.concepts.size(); ++c) {
        const std::vector<double> values =
            population.column(MetricKey::conceptAccuracy(out.concepts[c].toStdString()));
        double sum = 0;
        int count = 0;
        for (double v : values)
            if (std::isfinite(v)) sum += v, ++count;
        const double mean = count > 0 ? sum / count : std::nan("");
        std::vector<double> groupSum(size_t(out.summaryColumns), 0.0);
        std::vector<int> groupCount(size_t(out.summaryColumns), 0);
        for (size_t column = 0; column < order.size(); ++column) {
            const double raw = values[order[column]];
            const double shown = out.diverging ? raw - mean : raw;
            out.cells[size_t(c) * width + column] = shown;
            if (!std::isfinite(shown)) continue;
            low = std::min(low, shown);
            high = std::max(high, shown);
            if (!out.groups.isEmpty() && out.columnGroup[column] < 0) continue; // in no group's mean
            const size_t summary = out.groups.isEmpty() ? 0 : size_t(out.columnGroup[column]);
            groupSum[summary] += shown;
            ++groupCount[summary];
        }
        for (int s = 0; s < out.summaryColumns; ++s)
            out.cells[size_t(c) * width + order.size() + size_t(s)] =
                groupCount[size_t(s)] > 0 ? groupSum[size_t(s)] / groupCount[size_t(s)] : std::nan("");
    }
    if (!std::isfinite(low)) {
        out.message = tr("No model has a per-concept accuracy.");
        return;
    }
    if (out.diverging) {
        const double extent = std::max({std::fabs(low), std::fabs(high), 1e-6});
        out.low = -extent, out.high = extent;
    } else {
        out.low = std::min(low, 1.0 / 3.0); // chance is always on the scale
        out.high = std::max(high, out.low + 1e-6);
    }
    out.title = out.diverging ? tr("Per-concept accuracy, difference from the mean over models")
                              : tr("Per-concept odd-one-out accuracy");
}

} // namespace

QColor groupColour(int group)
{
    // Okabe-Ito, then two darker extras: distinguishable with colour blindness and in greyscale print.
    static const QColor colours[] = {QColor(0, 114, 178),   QColor(230, 159, 0),  QColor(0, 158, 115),
                                     QColor(204, 121, 167), QColor(86, 180, 233), QColor(213, 94, 0),
                                     QColor(240, 228, 66),  QColor(0, 0, 0),      QColor(120, 120, 120),
                                     QColor(140, 80, 40)};
    return group < 0 ? QColor(60, 60, 60) : colours[group % 10];
}

QString metricLabel(const QString& metric)
{
    const auto key = parseMetricKey(metric.toStdString());
    if (!key) return metric;
    switch (key->kind) {
    case MetricKind::Accuracy:
        if (key->dataset.empty() && key->variant.empty()) return tr("Odd-one-out accuracy");
        break;
    case MetricKind::NormalizedScore:
        if (key->dataset.empty() && key->variant.empty()) return tr("Normalised score");
        break;
    case MetricKind::RsaR:
        return tr("RSA r: %1").arg(QString::fromStdString(key->dataset));
    case MetricKind::ConceptAccuracy:
        return tr("%1 (concept accuracy)").arg(QString::fromStdString(key->concept));
    default:
        break;
    }
    return metric;
}

std::vector<TransferCell> transferCellsFromMetrics(const ModelPopulation& population)
{
    std::vector<TransferCell> cells;
    for (const std::string& metric : population.metrics) {
        const auto key = parseMetricKey(metric);
        if (!key || key->kind != MetricKind::ZeroShotAccuracy) continue;
        const MetricKey probed = MetricKey::of(MetricKind::CvAccuracy, key->dataset, key->variant);
        const std::string where = (key->dataset.empty() ? "" : "@" + key->dataset) +
                                  (key->variant.empty() ? "" : "/" + key->variant);
        for (const std::string& model : population.models) {
            const auto before = population.value(model, metric), after = population.value(model, probed);
            if (before && after)
                cells.push_back({QString::fromStdString(model),
                                 tr("probe, cross-validated%1").arg(QString::fromStdString(where)), *before,
                                 *after});
        }
    }
    return cells;
}

namespace {

void buildTransfer(PopulationFigureData& out, const std::vector<TransferCell>& transfer)
{
    for (const TransferCell& cell : transfer) {
        if (!out.transferRows.contains(cell.model)) out.transferRows << cell.model;
        if (!out.transferColumns.contains(cell.analysis)) out.transferColumns << cell.analysis;
    }
    if (out.transferRows.isEmpty()) {
        out.message =
            tr("No probe results yet: train a probe and apply it to every dataset (Probe page), or open "
               "batch results with probe jobs.");
        return;
    }
    const size_t size = size_t(out.transferRows.size() * out.transferColumns.size());
    out.zeroShot.assign(size, std::nan(""));
    out.transformed.assign(size, std::nan(""));
    for (const TransferCell& cell : transfer) {
        const size_t at = size_t(out.transferRows.indexOf(cell.model) * out.transferColumns.size() +
                                 out.transferColumns.indexOf(cell.analysis));
        out.zeroShot[at] = cell.zeroShot;
        out.transformed[at] = cell.transformed;
    }
    double extent = 1e-6;
    for (size_t i = 0; i < size; ++i)
        if (std::isfinite(out.zeroShot[i]))
            extent = std::max(extent, std::fabs(out.transformed[i] - out.zeroShot[i]));
    out.low = -extent;
    out.high = extent;
    out.diverging = true;
    out.title = tr("Transfer: zero-shot → transformed features");
}

} // namespace

PopulationFigureData buildPopulationFigure(const ModelPopulation& population, const ModelMetadata& metadata,
                                           const MetadataMatch& match, const PopulationSelection& selection,
                                           const std::vector<TransferCell>& transfer)
{
    PopulationFigureData out;
    out.view = selection.view;
    if (selection.view == PopulationView::Transfer) {
        buildTransfer(out, transfer);
        return out;
    }
    if (population.empty()) {
        out.message = tr("No model results yet: open result files (ooo --json, merged batch results) or run "
                         "an analysis.");
        return out;
    }
    // Models without a level are in no group (grey in the scatter; left out by factor and in the heatmap), as
    // the statistics leave them out.
    const std::vector<int> group = groupsOf(metadata, match, selection.groupBy, out.groups);
    out.groupedBy = out.groups.isEmpty() ? QString() : selection.groupBy;
    if (selection.view == PopulationView::Concepts) {
        buildConcepts(out, population, group, selection, metadata, match);
        return out;
    }
    const Variable y = variable(population, metadata, match, selection.y);
    if (!y.found) {
        out.message = tr("No model has the result '%1'.").arg(selection.y);
        return out;
    }
    out.yLabel = metricLabel(selection.y);
    Variable x;
    if (selection.view == PopulationView::Scatter) {
        x = variable(population, metadata, match, selection.x);
        if (!x.found) {
            out.message = selection.x.isEmpty()
                              ? tr("Choose what to plot the result against: a numeric column of the model "
                                   "table or another result.")
                              : tr("'%1' is neither a result nor a numeric column of the model table.")
                                    .arg(selection.x);
            return out;
        }
        out.xLabel = x.isMetric ? metricLabel(selection.x) : selection.x;
        out.identityLine = x.isMetric;
        out.logX = selection.logX && !x.isMetric;
        out.title = tr("%1 against %2").arg(out.yLabel, out.xLabel);
    } else {
        if (out.groups.isEmpty()) {
            out.message = tr("Choose a categorical column of the model table to group the models by.");
            return out;
        }
        out.xLabel = selection.groupBy;
        out.title = tr("%1 by %2").arg(out.yLabel, selection.groupBy);
    }
    for (size_t m = 0; m < population.models.size(); ++m) {
        const QString name = QString::fromStdString(population.models[m]);
        const double xv = selection.view == PopulationView::Scatter ? x.values[m] : double(group[m]);
        const double yv = y.values[m];
        const bool ungrouped = selection.view == PopulationView::ByFactor && group[m] < 0;
        if (ungrouped || !std::isfinite(xv) || !std::isfinite(yv) || (out.logX && xv <= 0)) {
            out.modelsWithoutValues << name;
            continue;
        }
        PopulationPoint point;
        point.model = name;
        point.modelIndex = int(m);
        point.x = xv;
        point.y = yv;
        point.group = group[m];
        if (y.isMetric)
            point.yInterval = population.interval(population.models[m], selection.y.toStdString());
        if (x.isMetric)
            point.xInterval = population.interval(population.models[m], selection.x.toStdString());
        out.points.push_back(point);
    }
    if (out.points.empty()) out.message = tr("No model has both values.");
    return out;
}
