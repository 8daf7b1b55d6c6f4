#include "pages/compare_page.h"

#include "charts/population_chart.h"
#include "controllers/population_controller.h"
#include "export/figure_registry.h"
#include "pages/model_table_model.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

using namespace alignscope;

namespace {

QString number(double value, int decimals = 3)
{
    return std::isfinite(value) ? QString::number(value, 'f', decimals) : QStringLiteral("n/a");
}

QString pValue(const std::optional<double>& p)
{
    if (!p) return QStringLiteral("n/a");
    return *p < 0.001 ? QStringLiteral("%1").arg(*p, 0, 'e', 1) : QString::number(*p, 'f', 3);
}

QString intervalText(const std::optional<Interval>& interval)
{
    return interval ? QStringLiteral("[%1, %2]").arg(number(interval->low), number(interval->high))
                    : QString();
}

void selectData(QComboBox* box, const QString& value)
{
    const int index = box->findData(value);
    if (index >= 0) box->setCurrentIndex(index);
}

// What a result can be plotted against: the model table's numeric columns and every other result (a result
// against itself is a line that says nothing). Keeps the current choice when it is still offered.
void fillAgainst(QComboBox* x, const ModelMetadata& metadata, const ModelPopulation& population,
                 const QString& y)
{
    const QString kept = x->currentData().toString();
    const QSignalBlocker blocker(x);
    x->clear();
    for (const MetadataColumn& column : metadata.columns) {
        const QString name = QString::fromStdString(column.name);
        if (column.numeric && name != y) x->addItem(QObject::tr("%1 (model table)").arg(name), name);
    }
    for (const std::string& metric : population.metrics) {
        const QString name = QString::fromStdString(metric);
        if (name != y) x->addItem(metricLabel(name), name);
    }
    selectData(x, kept);
}

bool hasConceptValues(const ModelPopulation& population)
{
    return !population.conceptLabels().empty();
}

} // namespace

ComparePage::ComparePage(PopulationController* controller, FigureRegistry* figures, QWidget* parent)
    : QWidget(parent), m_controller(controller), m_view(new QComboBox(this)), m_y(new QComboBox(this)),
      m_x(new QComboBox(this)), m_logX(new QCheckBox(tr("log scale"), this)), m_groupBy(new QComboBox(this)),
      m_conceptValues(new QComboBox(this)), m_models(new QLabel(this)), m_warning(new QLabel(this)),
      m_allowMixed(new QCheckBox(tr("Pool mixed results"), this)), m_statistics(new QLabel(this)),
      m_table(new QTableView(this)), m_modelOrder(new QComboBox(this)), m_chart(new PopulationChart(this))
{
    m_view->setObjectName(QStringLiteral("compareView"));
    m_y->setObjectName(QStringLiteral("compareY"));
    m_x->setObjectName(QStringLiteral("compareX"));
    m_groupBy->setObjectName(QStringLiteral("compareGroupBy"));
    m_conceptValues->setObjectName(QStringLiteral("compareConceptValues"));
    m_statistics->setObjectName(QStringLiteral("compareStatistics"));
    m_view->addItem(tr("Scatter: result against a column or result"), int(PopulationView::Scatter));
    m_view->addItem(tr("By factor: result per group"), int(PopulationView::ByFactor));
    m_view->addItem(tr("Concepts × models"), int(PopulationView::Concepts));
    m_view->addItem(tr("Transfer: zero-shot → transformed"), int(PopulationView::Transfer));
    m_conceptValues->addItem(tr("Accuracy"), int(ConceptValues::Raw));
    m_conceptValues->addItem(tr("Difference from the mean over models"),
                             int(ConceptValues::FromAcrossModelMean));
    auto* openResults = new QPushButton(tr("Open results…"), this);
    auto* openTable = new QPushButton(tr("Open model table…"), this);
    connect(openResults, &QPushButton::clicked, this, &ComparePage::openResultsRequested);
    connect(openTable, &QPushButton::clicked, this, &ComparePage::openMetadataRequested);
    auto* exportTables = new QPushButton(tr("Export tables…"), this);
    exportTables->setToolTip(
        tr("CSV and LaTeX tables of the models and of the statistics shown, and a methods "
           "paragraph"));
    connect(exportTables, &QPushButton::clicked, this, &ComparePage::exportTablesRequested);

    auto* controls = new QFormLayout;
    controls->addRow(tr("View"), m_view);
    controls->addRow(tr("Result"), m_y);
    auto* xRow = new QHBoxLayout;
    xRow->addWidget(m_x, 1);
    xRow->addWidget(m_logX);
    controls->addRow(tr("Against"), xRow);
    controls->addRow(tr("Group by"), m_groupBy);
    controls->addRow(tr("Concept values"), m_conceptValues);
    m_modelOrder->setObjectName(QStringLiteral("compareModelOrder"));
    controls->addRow(tr("Model order"), m_modelOrder);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(openResults);
    buttons->addWidget(openTable);
    buttons->addWidget(exportTables);
    auto* side = new QVBoxLayout;
    side->addLayout(controls);
    side->addLayout(buttons);
    m_models->setWordWrap(true);
    m_statistics->setWordWrap(true);
    m_statistics->setTextFormat(Qt::RichText);
    m_statistics->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_statistics->setTextInteractionFlags(Qt::TextSelectableByMouse);
    side->addWidget(m_models);
    m_warning->setObjectName(QStringLiteral("compareWarning"));
    m_warning->setWordWrap(true);
    m_warning->setTextFormat(Qt::PlainText);
    m_warning->setStyleSheet(QStringLiteral("QLabel { color: #b00020; font-weight: bold; }"));
    m_warning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warning->hide();
    side->addWidget(m_warning);
    m_allowMixed->setObjectName(QStringLiteral("compareAllowMixed"));
    m_allowMixed->setToolTip(tr("Pool results whose triplets, objects or similarity differ (the figures, "
                                "tables and methods then say so)"));
    connect(m_allowMixed, &QCheckBox::toggled, m_controller, &PopulationController::setAllowMixed);
    side->addWidget(m_allowMixed);
    // Statistics and the model table share the side: the table is where metadata is viewed and edited.
    auto* sideTabs = new QTabWidget(this);
    sideTabs->addTab(m_statistics, tr("Statistics"));
    auto* tablePage = new QWidget(this);
    auto* tableLayout = new QVBoxLayout(tablePage);
    m_table->setModel(new ModelTableModel(m_controller, this));
    m_table->setObjectName(QStringLiteral("modelTable"));
    tableLayout->addWidget(m_table, 1);
    auto* addRows = new QPushButton(tr("Add rows for models without one"), tablePage);
    auto* addColumn = new QPushButton(tr("Add column…"), tablePage);
    auto* saveTable = new QPushButton(tr("Save model table…"), tablePage);
    auto* tableButtons = new QHBoxLayout;
    tableButtons->addWidget(addRows);
    tableButtons->addWidget(addColumn);
    tableLayout->addLayout(tableButtons);
    tableLayout->addWidget(saveTable);
    connect(addRows, &QPushButton::clicked, m_controller, &PopulationController::addRowsForUnmatchedModels);
    connect(addColumn, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString name =
            QInputDialog::getText(this, tr("Add a column"), tr("Column name (e.g. objective)"), {}, {}, &ok);
        if (ok) m_controller->addMetadataColumn(name);
    });
    connect(saveTable, &QPushButton::clicked, this, &ComparePage::saveMetadataRequested);
    sideTabs->addTab(tablePage, tr("Model table"));
    side->addWidget(sideTabs, 1);
    auto* sideWidget = new QWidget(this);
    sideWidget->setLayout(side);
    sideWidget->setMaximumWidth(380);
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(m_chart, 1);
    layout->addWidget(sideWidget);

    connect(m_y, &QComboBox::currentIndexChanged, this, [this] {
        fillAgainst(m_x, m_controller->metadata(), m_controller->population(), m_y->currentData().toString());
    });
    for (QComboBox* box : {m_view, m_y, m_x, m_groupBy, m_conceptValues, m_modelOrder})
        connect(box, &QComboBox::currentIndexChanged, this, [this] {
            if (!m_filling) redraw();
        });
    connect(m_logX, &QCheckBox::toggled, this, [this] {
        if (!m_filling) redraw();
    });
    connect(controller, &PopulationController::populationChanged, this, [this] {
        fillChoices();
        redraw();
    });
    connect(controller, &PopulationController::statisticsChanged, this, &ComparePage::showStatistics);
    connect(m_chart, &PopulationChart::cellClicked, this, &ComparePage::showModelConcept);
    connect(m_chart, &PopulationChart::modelClicked, this, [this](int model) {
        const auto& models = m_controller->population().models;
        if (model < 0 || size_t(model) >= models.size()) return;
        m_highlighted = QString::fromStdString(models[size_t(model)]);
        m_chart->setFigure(figureFor(selection().view));
        showStatistics();
    });

    const struct
    {
        const char* name;
        const char* title;
        PopulationView view;
    } views[] = {
        {"compare-scatter", "Models: result against a column or result", PopulationView::Scatter},
        {"compare-by-factor", "Models: result by factor", PopulationView::ByFactor},
        {"compare-concepts", "Models: per-concept accuracy (concepts × models)", PopulationView::Concepts},
        {"compare-transfer", "Models: transfer of the probe to every dataset", PopulationView::Transfer}};
    for (const auto& view : views) {
        const PopulationView kind = view.view;
        figures->add({QString::fromLatin1(view.name), tr(view.title),
                      [this, kind](QPainter& painter, const QRectF& rect, const FigureStyle& style) {
                          populationFigure(figureFor(kind))(painter, rect, style);
                      },
                      [this, kind](const FigureStyle& style) {
                          return populationFigureHeightMm(figureFor(kind), style);
                      },
                      [this, kind] { return figureFor(kind).message.isEmpty(); },
                      kind == PopulationView::Transfer},
                     this);
    }
    fillChoices();
    redraw();
}

void ComparePage::fillChoices()
{
    m_filling = true;
    const PopulationSelection before = selection();
    const ModelPopulation& population = m_controller->population();
    const ModelMetadata& metadata = m_controller->metadata();
    m_y->clear();
    m_x->clear();
    m_groupBy->clear();
    m_groupBy->addItem(tr("(none)"), QString());
    m_modelOrder->clear();
    m_modelOrder->addItem(tr("grouped"), QString());
    m_modelOrder->addItem(tr("clustered by concept accuracy"), QStringLiteral("cluster"));
    for (const MetadataColumn& column : metadata.columns)
        if (column.numeric)
            m_modelOrder->addItem(tr("sorted by %1").arg(QString::fromStdString(column.name)),
                                  QString::fromStdString(column.name));
    for (const std::string& metric : population.metrics) {
        const QString name = QString::fromStdString(metric);
        m_y->addItem(metricLabel(name), name);
    }
    for (const MetadataColumn& column : metadata.columns)
        if (!column.numeric)
            m_groupBy->addItem(QString::fromStdString(column.name), QString::fromStdString(column.name));
    fillAgainst(m_x, metadata, population, m_y->currentData().toString());
    m_filling = false;
    PopulationSelection chosen = before;
    // First look without a model table: concepts × models when there are per-concept values, else one
    // result against another, else the results side by side.
    if (before.y.isEmpty() && metadata.columns.empty() && !population.metrics.empty()) {
        chosen.view = hasConceptValues(population)    ? PopulationView::Concepts
                      : population.metrics.size() > 1 ? PopulationView::Scatter
                                                      : PopulationView::ByFactor;
        chosen.y = QString::fromStdString(population.metrics.front());
        chosen.x.clear();
    }
    // First look: the first categorical column groups, and counts spanning decades get a log axis.
    if (chosen.groupBy.isEmpty() && m_groupBy->count() > 1 && !m_hadTable)
        chosen.groupBy = m_groupBy->itemData(1).toString();
    if (const MetadataColumn* x = metadata.column(m_x->itemData(0).toString().toStdString());
        x && chosen.x.isEmpty() && !m_hadTable)
        chosen.logX = x->logScaleSuggested;
    m_hadTable = !metadata.columns.empty();
    setSelection(chosen);
    QString models = tr("%n model(s) with results", nullptr, int(population.models.size()));
    if (!m_controller->metadataPath().isEmpty() || !m_controller->metadata().models.empty()) {
        const MetadataMatch& match = m_controller->match();
        if (!match.unmatchedModels.empty())
            models += tr("; without a row in the model table: %1").arg(QString::fromStdString([&] {
                std::string names;
                for (const std::string& name : match.unmatchedModels)
                    names += (names.empty() ? "" : ", ") + name;
                return names;
            }()));
        if (!match.unusedRows.empty())
            models += tr("; %n table row(s) name no model", nullptr, int(match.unusedRows.size()));
        if (m_controller->metadataEdited()) models += tr(" (model table edited, not saved)");
    } else if (!population.empty()) {
        models += tr("; open a model table (CSV, TSV, JSON) to compare by family, size, training data…");
    }
    if (!m_controller->metadata().nameColumn.empty() && !m_controller->metadata().models.empty())
        models += tr("; model names from the table's column \"%1\"")
                      .arg(QString::fromStdString(m_controller->metadata().nameColumn));
    m_models->setText(models);
}

PopulationSelection ComparePage::selection() const
{
    PopulationSelection s;
    s.view = PopulationView(m_view->currentData().toInt());
    s.y = m_y->currentData().toString();
    s.x = m_x->currentData().toString();
    s.groupBy = m_groupBy->currentData().toString();
    s.conceptValues = ConceptValues(m_conceptValues->currentData().toInt());
    s.modelOrder = m_modelOrder->currentData().toString();
    s.logX = m_logX->isChecked();
    return s;
}

void ComparePage::setSelection(const PopulationSelection& s)
{
    m_filling = true;
    m_view->setCurrentIndex(std::max(0, m_view->findData(int(s.view))));
    selectData(m_y, s.y);
    selectData(m_x, s.x);
    selectData(m_groupBy, s.groupBy);
    m_conceptValues->setCurrentIndex(std::max(0, m_conceptValues->findData(int(s.conceptValues))));
    m_logX->setChecked(s.logX);
    selectData(m_modelOrder, s.modelOrder);
    m_filling = false;
    redraw();
}

PopulationFigureData ComparePage::figureFor(PopulationView view) const
{
    PopulationSelection s = selection();
    s.view = view;
    PopulationFigureData figure =
        buildPopulationFigure(m_controller->population(), m_controller->metadata(), m_controller->match(), s,
                              m_controller->transferCells());
    // The statistics of this grouping, when they have arrived: group means and intervals in the plot.
    const auto& statistics = m_controller->statistics();
    if (view == PopulationView::ByFactor && statistics && statistics->factor &&
        statistics->selection.y == s.y && statistics->selection.groupBy == s.groupBy) {
        const size_t groups = size_t(figure.groups.size());
        figure.groupMean.assign(groups, std::nan(""));
        figure.groupLow.assign(groups, std::nan(""));
        figure.groupHigh.assign(groups, std::nan(""));
        for (const GroupSummary& group : statistics->factor->groups) {
            const int g = int(figure.groups.indexOf(QString::fromStdString(group.level)));
            if (g < 0) continue;
            figure.groupMean[size_t(g)] = group.mean;
            if (group.ci95)
                figure.groupLow[size_t(g)] = group.ci95->low, figure.groupHigh[size_t(g)] = group.ci95->high;
        }
    }
    figure.highlighted = m_highlighted;
    // Results that differ in triplets, objects or similarity: refused, or drawn with the warning in the
    // title.
    if (const PoolingCheck pooling = m_controller->pooling(s); pooling.mixedResults()) {
        if (!m_controller->allowMixed()) {
            PopulationFigureData refused;
            refused.view = view;
            refused.message = tr("Results that differ are not pooled (%1): tick \"Pool mixed results\" to "
                                 "show them anyway.")
                                  .arg(QString::fromStdString(pooling.differing));
            return refused;
        }
        figure.title =
            tr("Mixed results, %1 differ: %2").arg(QString::fromStdString(pooling.differing), figure.title);
    }
    return figure;
}

QString ComparePage::warningText() const
{
    return m_warning->isHidden() ? QString() : m_warning->text();
}

void ComparePage::showWarnings()
{
    QStringList lines;
    const PoolingCheck pooling = m_controller->pooling(selection());
    for (const std::string& reason : pooling.mixed)
        lines << (m_controller->allowMixed() ? tr("Mixed results pooled: %1")
                                             : tr("Mixed results refused: %1"))
                     .arg(QString::fromStdString(reason));
    for (const std::string& file : pooling.unfingerprinted)
        lines << tr("%1: results without a fingerprint (older files): not checked for the same triplets "
                    "and similarity")
                     .arg(QString::fromStdString(file));
    for (const std::string& entry : m_controller->population().leftOut)
        lines << tr("Left out: %1").arg(QString::fromStdString(entry));
    if (!m_controller->workspaceLeftOut().isEmpty()) lines << m_controller->workspaceLeftOut();
    // Said here, not inside the figure (a caption cut off in the middle helps no reader).
    if (const QStringList& without = m_chart->figureData().modelsWithoutValues; !without.isEmpty())
        lines << tr("Not in the figure (no value): %1").arg(without.join(QStringLiteral(", ")));
    m_warning->setText(lines.join(QLatin1Char('\n')));
    m_warning->setVisible(!lines.isEmpty());
    m_allowMixed->setVisible(pooling.mixedResults() || m_controller->allowMixed() ||
                             !m_controller->workspaceLeftOut().isEmpty());
}

void ComparePage::redraw()
{
    const PopulationSelection s = selection();
    const MetadataColumn* xColumn = m_controller->metadata().column(s.x.toStdString());
    m_logX->setEnabled(xColumn && xColumn->numeric && s.view == PopulationView::Scatter);
    m_x->setEnabled(s.view == PopulationView::Scatter);
    m_conceptValues->setEnabled(s.view == PopulationView::Concepts);
    m_modelOrder->setEnabled(s.view == PopulationView::Concepts);
    m_y->setEnabled(s.view != PopulationView::Concepts && s.view != PopulationView::Transfer);
    m_groupBy->setEnabled(s.view != PopulationView::Transfer);
    m_chart->setFigure(figureFor(s.view));
    showWarnings();
    m_statistics->setText(tr("Computing the statistics…"));
    m_controller->computeStatistics(s);
}

QString ComparePage::statisticsText() const
{
    return m_statistics->text();
}

QString ComparePage::selectedModelText() const
{
    const std::string model = m_highlighted.toStdString();
    const ModelPopulation& population = m_controller->population();
    const PopulationSelection s = selection();
    QString text = tr("<b>%1</b>").arg(m_highlighted.toHtmlEscaped());
    for (const QString& metric : {s.y, s.x})
        if (const auto value = population.value(model, metric.toStdString()))
            text += tr("<br>%1: %2").arg(metricLabel(metric).toHtmlEscaped(), number(*value));
    const ModelMetadata& metadata = m_controller->metadata();
    const auto& models = population.models;
    const auto at = std::find(models.begin(), models.end(), model);
    const int row = at == models.end() ? -1 : m_controller->match().rowForModel[size_t(at - models.begin())];
    for (const MetadataColumn& column : metadata.columns)
        if (row >= 0 && !column.text[size_t(row)].empty())
            text += tr("<br>%1: %2")
                        .arg(QString::fromStdString(column.name).toHtmlEscaped(),
                             QString::fromStdString(column.text[size_t(row)]).toHtmlEscaped());
    return text;
}

void ComparePage::showStatistics()
{
    const auto& statistics = m_controller->statistics();
    if (!statistics) return;
    const PopulationStatistics& st = *statistics;
    if (st.selection.view == PopulationView::ByFactor)
        m_chart->setFigure(figureFor(PopulationView::ByFactor));
    QStringList parts;
    if (!m_highlighted.isEmpty()) parts << selectedModelText();
    if (st.selection.view == PopulationView::Concepts) {
        parts << tr(
            "Per-concept accuracy of each model; the last columns are group means. Click a cell to see "
            "that model's triplets of the concept (workspace models).");
    }
    if (st.selection.view == PopulationView::Transfer) {
        m_statistics->setText(
            tr("Each cell: the analysis's value with a model's zero-shot features → with the "
               "probe's transformed features, and the change. The workspace's probe (Probe page, "
               "Apply to all datasets) and probe jobs of opened batch results (cross-validated "
               "accuracy) appear here."));
        return;
    }
    if (!st.problem.isEmpty()) parts << st.problem.toHtmlEscaped();
    auto correlation = [&](const char* name, const std::optional<CorrelationStatistic>& c) {
        if (!c) return;
        QString line = tr("<b>%1</b> %2 %3, permutation p = %4 (%5 models)")
                           .arg(tr(name), number(c->r), intervalText(c->ci95), pValue(c->pValue))
                           .arg(c->models);
        if (!c->note.empty()) line += QStringLiteral(" — ") + QString::fromStdString(c->note).toHtmlEscaped();
        parts << line;
    };
    if (st.selection.view == PopulationView::Scatter) {
        correlation("Pearson r", st.pearson);
        correlation("Spearman ρ", st.spearman);
    }
    if (st.factor && st.selection.view != PopulationView::Concepts) {
        const FactorStatistic& f = *st.factor;
        QString block = tr("<b>%1</b> explains η² = %2 of the variance, permutation p = %3 (%4 models)")
                            .arg(st.selection.groupBy.toHtmlEscaped(), number(f.etaSquared), pValue(f.pValue))
                            .arg(f.models);
        if (!f.note.empty()) block += QStringLiteral(" — ") + QString::fromStdString(f.note).toHtmlEscaped();
        block += QStringLiteral("<br>");
        for (const GroupSummary& g : f.groups)
            block += tr("%1: mean %2 %3 (%4)<br>")
                         .arg(QString::fromStdString(g.level).toHtmlEscaped(), number(g.mean),
                              intervalText(g.ci95))
                         .arg(g.models);
        for (const GroupDifference& d : f.pairs)
            block +=
                tr("%1 − %2: %3, Holm p = %4<br>")
                    .arg(QString::fromStdString(d.a).toHtmlEscaped(),
                         QString::fromStdString(d.b).toHtmlEscaped(), number(d.difference), pValue(d.pHolm));
        parts << block;
    }
    parts
        << tr("<small>95% percentile bootstrap intervals over models (%1 replicates); two-sided permutation "
              "p-values (%2 permutations), pairwise differences Holm-corrected; seed %3.</small>")
               .arg(st.options.bootstrap)
               .arg(st.options.permutations)
               .arg(qulonglong(st.options.seed));
    m_statistics->setText(parts.join(QStringLiteral("<br><br>")));
}
