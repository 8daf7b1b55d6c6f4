#include "pages/results_page.h"

#include "controllers/odd_one_out_controller.h"
#include "export/figure_registry.h"

#include <QDragEnterEvent>
#include <QHeaderView>
#include <QLabel>
#include <QMimeData>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>

using namespace alignscope;

void ResultsTableModel::setAnalysis(std::shared_ptr<const OddOneOutAnalysis> analysis)
{
    beginResetModel();
    m_analysis = std::move(analysis);
    endResetModel();
}

int ResultsTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_analysis ? 0 : int(m_analysis->models.size());
}

int ResultsTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ResultsTableModel::data(const QModelIndex& index, int role) const
{
    if (!m_analysis || index.row() >= rowCount()) return {};
    const ModelAnalysis& m = m_analysis->models[size_t(index.row())];
    const auto ceiling = m_analysis->repeats.noiseCeiling;
    const double normalised = ceiling ? normalisedScore(m.choices.accuracy(), *ceiling) : std::nan("");
    auto interval = [](const Interval& i) {
        return QStringLiteral("[%1, %2]").arg(i.low, 0, 'f', 4).arg(i.high, 0, 'f', 4);
    };
    if (role == Qt::UserRole) { // sort keys
        switch (index.column()) {
        case ModelColumn:
            return QString::fromStdString(m.name);
        case AccuracyColumn:
        case IntervalColumn:
            return m.choices.accuracy();
        case ObjectIntervalColumn:
            return m.ci95Objects.low;
        case TiesColumn:
            return qlonglong(m.choices.ties);
        case NormalisedColumn:
            return normalised;
        case TripletsColumn:
            return qlonglong(m.choices.size());
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() != ModelColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::EditRole && index.column() == ModelColumn) return QString::fromStdString(m.name);
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case ModelColumn:
        return QString::fromStdString(m.name);
    case AccuracyColumn:
        return QString::number(m.choices.accuracy(), 'f', 4);
    case IntervalColumn:
        return interval(m.ci95);
    case ObjectIntervalColumn:
        return interval(m.ci95Objects);
    case TiesColumn:
        return qlonglong(m.choices.ties);
    case NormalisedColumn:
        return ceiling ? QString::number(normalised, 'f', 3) : QStringLiteral("–");
    case TripletsColumn:
        return qlonglong(m.choices.size());
    }
    return {};
}

Qt::ItemFlags ResultsTableModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.column() == ModelColumn && m_rename) flags |= Qt::ItemIsEditable;
    return flags;
}

bool ResultsTableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || index.column() != ModelColumn || !m_rename || index.row() >= rowCount())
        return false;
    return m_rename(index.row(), value.toString());
}

QVariant ResultsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* const names[] = {"Model", "Accuracy",   "95% CI (triplets)", "95% CI (objects)",
                                        "Ties",  "Normalised", "Triplets"};
    return section < ColumnCount ? tr(names[section]) : QVariant();
}

ResultsPage::ResultsPage(OddOneOutController* controller, FigureRegistry* figures, QWidget* parent)
    : QWidget(parent), m_model(new ResultsTableModel(this)), m_summary(new QLabel(this)),
      m_table(new QTableView(this))
{
    setAcceptDrops(true);
    auto* proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_model);
    proxy->setSortRole(Qt::UserRole);
    m_table->setObjectName(QStringLiteral("resultsTable"));
    m_table->setModel(proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ResultsTableModel::AccuracyColumn, Qt::DescendingOrder);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_summary->setObjectName(QStringLiteral("resultsSummary"));
    m_summary->setWordWrap(true);
    m_summary->setText(tr("Open objects, triplets and at least one feature file; results appear here. "
                          "Drop feature files onto this table to add models."));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_table);
    // A name typed into the model column renames the model everywhere (tables, figures, exports, projects).
    m_model->setRenamer([this, controller](int model, const QString& name) {
        QString error;
        if (controller->renameModel(model, name, &error)) return true;
        if (!error.isEmpty()) setMessage(error);
        return false;
    });
    connect(controller, &OddOneOutController::analysisChanged, this,
            [this, controller] { setAnalysis(controller->analysis()); });
    connect(controller, &OddOneOutController::failed, this, &ResultsPage::setMessage);
    connect(controller, &OddOneOutController::unavailable, this, &ResultsPage::setMessage);
    figures->add({QStringLiteral("results-table"),
                  tr("Odd-one-out results table"),
                  itemTableFigure(m_table->model()),
                  {},
                  [model = m_table->model()] { return model->rowCount() > 0; }},
                 this);
}

void ResultsPage::setAnalysis(std::shared_ptr<const OddOneOutAnalysis> analysis)
{
    if (analysis) {
        const auto ceiling = analysis->repeats.noiseCeiling;
        m_summary->setText(
            tr("Odd-one-out alignment on %1 triplets over %2 objects, %3 similarity. Chance 0.333; "
               "noise ceiling %4.")
                .arg(analysis->triplets->size())
                .arg(analysis->stimuli->size())
                .arg(QString::fromLatin1(similarityName(analysis->options.similarity)))
                .arg(ceiling ? QString::number(*ceiling, 'f', 3) +
                                   tr(" (from %1 repeated triplets)").arg(analysis->repeats.groups)
                             : tr("unknown (no repeated triplets)")));
    }
    m_model->setAnalysis(std::move(analysis));
}

void ResultsPage::setMessage(const QString& message)
{
    m_summary->setText(message);
}

void ResultsPage::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void ResultsPage::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile()) paths << url.toLocalFile();
    if (paths.isEmpty()) return;
    event->acceptProposedAction();
    Q_EMIT openRequested(paths);
}
