#include "pages/rsa_page.h"

#include "charts/density_plot.h"
#include "charts/heatmap_view.h"
#include "controllers/rsa_controller.h"
#include "export/figure_registry.h"
#include "pages/rdm_pair_panel.h"
#include "session/task_runner.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>
#include <numeric>

using namespace alignscope;

namespace {

struct DisplayData
{
    std::shared_ptr<const CondensedMatrix> human, model, difference;
    std::vector<DivergentPair> pairs;
    double humanLow = 0, humanHigh = 1, modelLow = 0, modelHigh = 1;
};

std::pair<double, double> rangeOf(const CondensedMatrix& m)
{
    const auto [low, high] = std::minmax_element(m.values.begin(), m.values.end());
    return {*low, *high};
}

} // namespace

RsaPage::RsaPage(RsaController* controller, TaskRunner* tasks, FigureRegistry* figures, QWidget* parent)
    : QWidget(parent), m_tasks(tasks), m_summary(new QLabel(this)), m_dataset(new QComboBox(this)),
      m_table(new QTableWidget(this)), m_model(new QComboBox(this)), m_colormap(new QComboBox(this)),
      m_order(new QComboBox(this)), m_ranks(new QCheckBox(tr("Show ranks"), this)),
      m_human(new HeatmapView(this)), m_modelView(new HeatmapView(this)), m_difference(new HeatmapView(this)),
      m_pairs(new QTableWidget(this)), m_pair(new RdmPairPanel(tasks, this)),
      m_scatter(new DensityPlot(nullptr))
{
    m_summary->setWordWrap(true);
    m_summary->setText(
        tr("Open objects, a human similarity matrix (or a concept space such as VICE) and feature files."));
    m_table->setObjectName(QStringLiteral("rsaTable"));
    m_table->setColumnCount(6);
    m_table->setHorizontalHeaderLabels(
        {tr("Dataset"), tr("Model"), tr("RDM"), tr("Comparison"), tr("r"), tr("95% CI (stimuli)")});
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSortingEnabled(true);
    m_table->setMaximumHeight(130);
    for (auto map : {Colormap::Viridis, Colormap::Cividis, Colormap::Magma, Colormap::Grey})
        m_colormap->addItem(QString::fromLatin1(colormapName(map)), int(map));
    m_order->addItem(tr("Dataset order"), int(Order::Dataset));
    m_order->addItem(tr("Category"), int(Order::Category));
    m_order->addItem(tr("Clustering of the human matrix"), int(Order::Clustered));
    m_order->addItem(tr("Dominant concept dimension"), int(Order::Concept));
    m_pairs->setObjectName(QStringLiteral("divergentPairs"));
    m_pairs->setColumnCount(5);
    m_pairs->setHorizontalHeaderLabels(
        {tr("Stimulus"), tr("Stimulus"), tr("Human"), tr("Model"), tr("Rank difference")});
    m_pairs->verticalHeader()->hide();
    m_pairs->horizontalHeader()->setStretchLastSection(true);
    m_pairs->setMaximumHeight(200);
    auto* controls = new QHBoxLayout;
    for (auto [label, widget] : {std::pair{tr("Dataset"), static_cast<QWidget*>(m_dataset)},
                                 {tr("Model"), m_model},
                                 {tr("Colormap"), m_colormap},
                                 {tr("Order"), m_order}}) {
        controls->addWidget(new QLabel(label, this));
        controls->addWidget(widget);
    }
    controls->addWidget(m_ranks);
    controls->addStretch();
    auto* maps = new QHBoxLayout;
    for (HeatmapView* view : {m_human, m_modelView, m_difference})
        maps->addWidget(view, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_table);
    layout->addLayout(controls);
    layout->addLayout(maps, 1);
    layout->addWidget(
        new QLabel(tr("Most divergent pairs (largest difference between model and human rank)"), this));
    auto* below = new QHBoxLayout;
    below->addWidget(m_pairs, 3);
    below->addWidget(m_pair, 2);
    layout->addLayout(below);
    // A cell of any heatmap, or a divergent pair's row, opens the pair in detail under the model shown.
    for (HeatmapView* view : {m_human, m_modelView, m_difference})
        connect(view, &HeatmapView::cellClicked, this, [this](std::int64_t a, std::int64_t b) {
            m_pair->setPair(m_analysis, std::max(0, m_model->currentIndex()), a, b);
        });
    m_pairs->setSelectionBehavior(QAbstractItemView::SelectRows);
    const auto showRow = [this](int row) {
        if (row >= 0 && size_t(row) < m_shownPairs.size())
            m_pair->setPair(m_analysis, std::max(0, m_model->currentIndex()), m_shownPairs[size_t(row)].i,
                            m_shownPairs[size_t(row)].j);
    };
    connect(m_pairs, &QTableWidget::currentCellChanged, this, showRow);
    connect(m_pairs, &QTableWidget::cellClicked, this, showRow); // the current row again
    connect(m_pair, &RdmPairPanel::tripletsRequested, this, &RsaPage::pairTripletsRequested);
    m_difference->setColormap(Colormap::Diverging);
    m_difference->setRange(-1, 1);
    connect(m_model, &QComboBox::currentIndexChanged, this, &RsaPage::refreshDisplay);
    connect(m_dataset, &QComboBox::currentIndexChanged, this, &RsaPage::showDataset);
    connect(m_ranks, &QCheckBox::toggled, this, &RsaPage::refreshDisplay);
    connect(m_order, &QComboBox::currentIndexChanged, this, &RsaPage::applyOrder);
    connect(m_colormap, &QComboBox::currentIndexChanged, this, [this] {
        const auto map = Colormap(m_colormap->currentData().toInt());
        m_human->setColormap(map);
        m_modelView->setColormap(map);
    });
    connect(controller, &RsaController::analysisChanged, this,
            [this, controller] { setAnalyses(controller->analyses()); });
    connect(controller, &RsaController::failed, this, &RsaPage::setMessage);
    connect(controller, &RsaController::unavailable, this, &RsaPage::setMessage);
    auto heatmap = [](HeatmapView* view) -> FigurePainter { return view->figure(); };
    auto hasMatrix = [](HeatmapView* view) -> std::function<bool()> {
        return [view] { return view->hasMatrix(); };
    };
    figures->add({QStringLiteral("rsa-table"),
                  tr("RSA table"),
                  itemTableFigure(m_table->model()),
                  {},
                  [table = m_table] { return table->rowCount() > 0; }},
                 this);
    figures->add({QStringLiteral("rdm-human"), tr("Human RDM"), heatmap(m_human), {}, hasMatrix(m_human)},
                 this);
    figures->add(
        {QStringLiteral("rdm-model"), tr("Model RDM"), heatmap(m_modelView), {}, hasMatrix(m_modelView)},
        this);
    figures->add({QStringLiteral("rdm-difference"),
                  tr("Rank difference RDM"),
                  heatmap(m_difference),
                  {},
                  hasMatrix(m_difference)},
                 this);
    figures->add({QStringLiteral("scatter"),
                  tr("Model vs human dissimilarity"),
                  m_scatter->figure(),
                  {},
                  [scatter = m_scatter] { return scatter->pointCount() > 0; }},
                 this);
}

RsaPage::~RsaPage()
{
    if (m_scatter && !m_scatter->parent()) delete m_scatter.data(); // not shown as a page
}

void RsaPage::setMessage(const QString& message)
{
    m_summary->setText(message);
}

void RsaPage::setAnalyses(std::vector<std::shared_ptr<const RsaAnalysis>> analyses)
{
    m_analyses = std::move(analyses);
    m_table->setSortingEnabled(false);
    m_table->setRowCount(0);
    for (const auto& analysis : m_analyses)
        for (const auto& model : analysis->models) {
            const int row = m_table->rowCount();
            m_table->insertRow(row);
            m_table->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(analysis->dataset)));
            m_table->setItem(row, 1, new QTableWidgetItem(QString::fromStdString(model.name)));
            m_table->setItem(row, 2,
                             new QTableWidgetItem(QString::fromLatin1(rdmMethodName(analysis->method))));
            m_table->setItem(row, 3,
                             new QTableWidgetItem(QString::fromLatin1(compareMethodName(analysis->compare))));
            auto* r = new QTableWidgetItem;
            r->setData(Qt::DisplayRole, model.r);
            m_table->setItem(row, 4, r);
            m_table->setItem(row, 5,
                             new QTableWidgetItem(model.ci95 ? QStringLiteral("[%1, %2]")
                                                                   .arg(model.ci95->low, 0, 'f', 3)
                                                                   .arg(model.ci95->high, 0, 'f', 3)
                                                             : tr("– (too many pairs)")));
        }
    m_table->setSortingEnabled(true);
    const QString previous = m_dataset->currentText();
    m_dataset->blockSignals(true);
    m_dataset->clear();
    for (const auto& analysis : m_analyses)
        m_dataset->addItem(QString::fromStdString(analysis->dataset));
    m_dataset->setCurrentIndex(std::max(0, m_dataset->findText(previous)));
    m_dataset->blockSignals(false);
    showDataset(m_dataset->currentIndex());
}

void RsaPage::showDataset(int index)
{
    m_analysis = index >= 0 && size_t(index) < m_analyses.size() ? m_analyses[size_t(index)] : nullptr;
    const QString previous = m_model->currentText();
    m_model->blockSignals(true);
    m_model->clear();
    if (m_analysis) {
        m_summary->setText(tr("RSA over %1 stimuli (%2 pairs). Human: %3.")
                               .arg(m_analysis->human.n)
                               .arg(m_analysis->human.values.size())
                               .arg(QString::fromStdString(m_analysis->humanOrigin)));
        for (const auto& model : m_analysis->models)
            m_model->addItem(QString::fromStdString(model.name));
        m_model->setCurrentIndex(std::max(0, m_model->findText(previous)));
    }
    m_model->blockSignals(false);
    auto names = [analysis = m_analysis](std::int64_t s) {
        if (!analysis) return QString();
        const QString name = QString::fromStdString(analysis->stimuli->displayName(size_t(s)));
        const size_t index = size_t(s);
        if (index < analysis->stimuli->imagePaths.size() && !analysis->stimuli->imagePaths[index].empty())
            return QStringLiteral("<img src=\"%1\" height=\"72\"><br>%2")
                .arg(QUrl::fromLocalFile(QString::fromStdString(analysis->stimuli->imagePaths[index]))
                         .toString(QUrl::FullyEncoded)
                         .toHtmlEscaped(),
                     name.toHtmlEscaped());
        return name;
    };
    for (HeatmapView* view : {m_human, m_modelView, m_difference})
        view->setNames(names);
    refreshDisplay(); // applies the order once the new matrices are in the views
}

void RsaPage::refreshDisplay()
{
    if (!m_analysis || m_analysis->models.empty()) {
        // Nothing to show (a new workspace, no human dataset): no matrix of the previous one stays on screen.
        for (HeatmapView* view : {m_human, m_modelView, m_difference})
            view->setMatrix(nullptr, QString());
        m_scatter->setData({}, {}, QString());
        m_pairs->setRowCount(0);
        m_shownPairs.clear();
        m_pair->clear();
        return;
    }
    const auto analysis = m_analysis;
    const int model = std::max(0, m_model->currentIndex());
    const bool ranks = m_ranks->isChecked();
    m_tasks->run<DisplayData>(
        QStringLiteral("rsa-display"), this,
        [analysis, model, ranks](const TaskContext&) {
            DisplayData data;
            const CondensedMatrix& human = analysis->human;
            const CondensedMatrix& rdm = analysis->models[size_t(model)].rdm;
            auto humanRanks = std::make_shared<CondensedMatrix>(rankTransformed(human));
            auto modelRanks = std::make_shared<CondensedMatrix>(rankTransformed(rdm));
            auto difference = std::make_shared<CondensedMatrix>(
                CondensedMatrix{human.n, std::vector<float>(human.values.size())});
            for (size_t k = 0; k < difference->values.size(); ++k)
                difference->values[k] = modelRanks->values[k] - humanRanks->values[k];
            data.difference = difference;
            data.human = ranks ? std::shared_ptr<const CondensedMatrix>(humanRanks)
                               : std::shared_ptr<const CondensedMatrix>(analysis, &analysis->human);
            data.model = ranks ? std::shared_ptr<const CondensedMatrix>(modelRanks)
                               : std::shared_ptr<const CondensedMatrix>(analysis,
                                                                        &analysis->models[size_t(model)].rdm);
            std::tie(data.humanLow, data.humanHigh) = rangeOf(*data.human);
            std::tie(data.modelLow, data.modelHigh) = rangeOf(*data.model);
            data.pairs = mostDivergentPairs(human, rdm, 100);
            return data;
        },
        [this, analysis, model, ranks](DisplayData data) {
            const QString name = QString::fromStdString(analysis->models[size_t(model)].name);
            const QString valueLabel = ranks ? tr("dissimilarity (rank)") : tr("dissimilarity");
            m_human->setValueLabel(valueLabel);
            m_modelView->setValueLabel(valueLabel);
            m_difference->setValueLabel(tr("rank difference"));
            m_human->setMatrix(data.human, tr("Human RDM"));
            m_human->setRange(data.humanLow, data.humanHigh);
            m_modelView->setMatrix(
                data.model,
                tr("Model RDM: %1 (r = %2)").arg(name).arg(analysis->models[size_t(model)].r, 0, 'f', 3));
            m_modelView->setRange(data.modelLow, data.modelHigh);
            m_difference->setMatrix(data.difference, tr("Rank difference (model − human)"));
            // The rows change under a selected row: no row stays current (its pair is another one now).
            const QSignalBlocker quiet(m_pairs);
            m_shownPairs = data.pairs;
            m_pairs->setCurrentCell(-1, -1);
            m_pairs->setRowCount(int(data.pairs.size()));
            // The pair shown, under this model, while the stimuli are the same ones (indices name them).
            if (m_pair->analysis() && m_pair->analysis()->stimuli == analysis->stimuli)
                m_pair->setPair(analysis, model, m_pair->first(), m_pair->second());
            else
                m_pair->clear();
            for (int row = 0; row < int(data.pairs.size()); ++row) {
                const DivergentPair& p = data.pairs[size_t(row)];
                const QStringList cells = {
                    QString::fromStdString(analysis->stimuli->displayName(size_t(p.i))),
                    QString::fromStdString(analysis->stimuli->displayName(size_t(p.j))),
                    QString::number(p.human, 'g', 4), QString::number(p.model, 'g', 4),
                    QString::number(p.rankDifference, 'f', 3)};
                for (int c = 0; c < cells.size(); ++c)
                    m_pairs->setItem(row, c, new QTableWidgetItem(cells[c]));
            }
            m_scatter->setData(analysis->human, analysis->models[size_t(model)].rdm,
                               tr("%1 vs human: %2 r = %3 over %L4 pairs")
                                   .arg(name, QString::fromLatin1(compareMethodName(analysis->compare)))
                                   .arg(analysis->models[size_t(model)].r, 0, 'f', 3)
                                   .arg(qlonglong(analysis->human.values.size())));
            applyOrder();
            Q_EMIT displayReady();
        });
}

void RsaPage::setOrder(Order order)
{
    m_order->setCurrentIndex(std::max(0, m_order->findData(int(order))));
}

void RsaPage::applyOrder()
{
    if (!m_analysis) return;
    const auto analysis = m_analysis;
    const Order choice = Order(m_order->currentData().toInt());
    m_tasks->run<std::vector<std::int64_t>>(
        QStringLiteral("rsa-order"), this,
        [analysis, choice](const TaskContext&) {
            switch (choice) {
            case Order::Category:
                return categoryOrder(*analysis->stimuli);
            case Order::Clustered:
                return clusterOrder(analysis->human);
            case Order::Concept:
                if (analysis->concepts) return conceptOrder(*analysis->concepts);
                break;
            case Order::Dataset:
                break;
            }
            std::vector<std::int64_t> order(size_t(analysis->human.n));
            std::iota(order.begin(), order.end(), 0);
            return order;
        },
        [this](std::vector<std::int64_t> order) {
            for (HeatmapView* view : {m_human, m_modelView, m_difference})
                view->setOrder(order);
        });
}
