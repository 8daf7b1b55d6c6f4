#include "pages/objects_page.h"

#include "charts/object_inspector_chart.h"
#include "charts/object_maps_chart.h"
#include "charts/population_chart.h"
#include "charts/thumbnail_cache.h"
#include "controllers/object_alignment_controller.h"
#include "export/figure_registry.h"
#include "figures/object_scatter.h"
#include "pages/object_alignment_model.h"
#include "pages/object_inspector.h"
#include "session/session.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>

namespace {
enum Column
{
    IndexColumn,
    IdColumn,
    NameColumn,
    CategoryColumn,
    ImageColumn,
    ColumnCount
};
}

constexpr int kThumbnailEdge = 64;
// The inspector's figure prints its thumbnails up to about 15 mm wide (at 120 mm): 128 px is over 200 dpi,
// and 1,854 of them stay near 120 MB.
constexpr int kInspectorImageEdge = 128;

namespace {

std::vector<std::string> modelNames(const alignscope::OddOneOutAnalysis& analysis)
{
    std::vector<std::string> names;
    for (const alignscope::ModelAnalysis& model : analysis.models)
        names.push_back(model.name);
    return names;
}

} // namespace

void StimulusTableModel::setThumbnails(ThumbnailCache* thumbnails)
{
    m_thumbnails = thumbnails;
    // A decoded image repaints the image column (only rows in view ask for theirs).
    connect(thumbnails, &ThumbnailCache::thumbnailReady, this, [this] {
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0, ImageColumn), index(rowCount() - 1, ImageColumn),
                               {Qt::DecorationRole});
    });
}

bool StimulusTableModel::hasImages() const
{
    return m_stimuli && !m_stimuli->imagePaths.empty();
}

void StimulusTableModel::setStimuli(std::shared_ptr<const alignscope::StimulusSet> stimuli)
{
    beginResetModel();
    m_stimuli = std::move(stimuli);
    endResetModel();
}

int StimulusTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_stimuli ? 0 : int(m_stimuli->size());
}

int StimulusTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StimulusTableModel::data(const QModelIndex& index, int role) const
{
    if (!m_stimuli || !index.isValid() || index.row() >= rowCount()) return {};
    const size_t row = size_t(index.row());
    if (role == Qt::DecorationRole && index.column() == ImageColumn && m_thumbnails &&
        row < m_stimuli->imagePaths.size()) {
        const QImage image = m_thumbnails->get(QString::fromStdString(m_stimuli->imagePaths[row]));
        return image.isNull() ? QVariant() : QVariant(image);
    }
    if (role == Qt::ToolTipRole && index.column() == ImageColumn && row < m_stimuli->imagePaths.size())
        return QString::fromStdString(m_stimuli->imagePaths[row]);
    if (role != Qt::DisplayRole) return {};
    auto at = [row](const std::vector<std::string>& column) {
        return row < column.size() ? QString::fromStdString(column[row]) : QString();
    };
    switch (index.column()) {
    case IndexColumn:
        return index.row();
    case IdColumn:
        return QString::fromStdString(m_stimuli->id(row));
    case NameColumn:
        return at(m_stimuli->displayNames);
    case CategoryColumn:
        return at(m_stimuli->categories);
    case ImageColumn:
        return at(m_stimuli->imagePaths);
    }
    return {};
}

QVariant StimulusTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* const names[] = {"#", "ID", "Name", "Category", "Image"};
    return section < ColumnCount ? tr(names[section]) : QVariant();
}

ObjectsPage::ObjectsPage(Session* session, TaskRunner* tasks, ObjectAlignmentController* alignment,
                         FigureRegistry* figures, QWidget* parent)
    : QWidget(parent), m_model(new StimulusTableModel(this)),
      m_thumbnails(new ThumbnailCache(tasks, kThumbnailEdge, this)), m_title(new QLabel(this)),
      m_table(new QTableView(this)), m_alignment(alignment),
      m_alignmentModel(new ObjectAlignmentModel(alignment, this)),
      m_alignmentProxy(new ObjectAlignmentProxy(this)), m_search(new QLineEdit(this)),
      m_alignmentTable(new QTableView(this)),
      m_inspector(new ObjectInspector(alignment, new ThumbnailCache(tasks, kInspectorImageEdge, this), this)),
      m_scatterX(new QComboBox(this)), m_scatterY(new QComboBox(this)), m_scatter(new PopulationChart(this)),
      m_mapModel(new QComboBox(this)), m_maps(new ObjectMapsChart(this)),
      m_selectionTriplets(new QPushButton(this))
{
    m_model->setThumbnails(m_thumbnails);
    m_table->setObjectName(QStringLiteral("objectsTable"));
    m_table->setIconSize(QSize(kThumbnailEdge, kThumbnailEdge));
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_title->setText(tr("No objects loaded. Drop a concept table (things_concepts.tsv), an ID list or a "
                        "THINGS folder here."));
    m_alignmentProxy->setSourceModel(m_alignmentModel);
    m_alignmentTable->setObjectName(QStringLiteral("objectAlignmentTable"));
    m_alignmentTable->setModel(m_alignmentProxy);
    m_alignmentTable->setSortingEnabled(true);
    m_alignmentTable->verticalHeader()->hide();
    m_alignmentTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_search->setObjectName(QStringLiteral("objectSearch"));
    m_search->setPlaceholderText(tr("Search objects by name or ID"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, m_alignmentProxy,
            &QSortFilterProxyModel::setFilterFixedString);
    // Worst first: ascending by the first model's accuracy whenever the models change.
    // Columns as wide as their headers (model names are read whole; measuring 1,854 rows is not needed).
    connect(m_alignmentModel, &QAbstractItemModel::modelReset, this, [this] {
        if (m_alignmentModel->modelCount() > 0)
            m_alignmentTable->sortByColumn(ObjectAlignmentModel::FirstModelColumn, Qt::AscendingOrder);
        QHeaderView* header = m_alignmentTable->horizontalHeader();
        const QFontMetrics metrics(header->font());
        for (int column = 0; column < m_alignmentModel->columnCount(); ++column)
            header->resizeSection(
                column, std::max(header->defaultSectionSize(),
                                 metrics.horizontalAdvance(
                                     m_alignmentModel->headerData(column, Qt::Horizontal).toString()) +
                                     metrics.height() * 2)); // and the sort arrow
    });

    auto* alignmentPanel = new QWidget(this);
    auto* alignmentLayout = new QVBoxLayout(alignmentPanel);
    alignmentLayout->setContentsMargins(0, 0, 0, 0);
    alignmentLayout->addWidget(
        new QLabel(tr("Odd-one-out accuracy over the triplets that contain each object "
                      "(any position), per model; hover a cell for its 95% interval"),
                   alignmentPanel));
    alignmentLayout->addWidget(m_search);
    alignmentLayout->addWidget(m_alignmentTable);
    connect(m_alignmentTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                m_inspector->setObject(current.isValid() ? m_alignmentProxy->mapToSource(current).row() : -1);
                redrawScatter(); // the inspected object ringed
                redrawMaps();
            });
    // New numbers: the worst object is inspected first (after the table sorted itself, connected above).
    connect(m_alignmentModel, &QAbstractItemModel::modelReset, m_inspector, [this] {
        if (m_alignmentProxy->rowCount() > 0)
            m_alignmentTable->setCurrentIndex(m_alignmentProxy->index(0, ObjectAlignmentModel::ObjectColumn));
        else
            m_inspector->setObject(-1);
    });
    connect(m_inspector, &ObjectInspector::tripletsRequested, this, &ObjectsPage::objectTripletsRequested);
    auto* lower = new QSplitter(Qt::Horizontal, this);
    lower->addWidget(alignmentPanel);
    auto* inspectorScroll = new QScrollArea(this); // ten neighbours per model run long
    inspectorScroll->setWidgetResizable(true);
    inspectorScroll->setWidget(m_inspector);
    inspectorScroll->setMinimumWidth(380);
    // Beside the inspector: the objects as points, one measure against another; a click inspects one.
    auto* scatterPanel = new QWidget(this);
    auto* scatterLayout = new QVBoxLayout(scatterPanel);
    auto* axes = new QHBoxLayout;
    m_scatterX->setObjectName(QStringLiteral("scatterX"));
    m_scatterY->setObjectName(QStringLiteral("scatterY"));
    axes->addWidget(new QLabel(tr("x"), scatterPanel));
    axes->addWidget(m_scatterX, 1);
    axes->addWidget(new QLabel(tr("y"), scatterPanel));
    axes->addWidget(m_scatterY, 1);
    scatterLayout->addLayout(axes);
    scatterLayout->addWidget(m_scatter, 1);
    for (QComboBox* axis : {m_scatterX, m_scatterY})
        connect(axis, &QComboBox::currentIndexChanged, this, &ObjectsPage::redrawScatter);
    connect(m_scatter, &PopulationChart::modelClicked, this, &ObjectsPage::inspectObject);
    connect(m_alignmentModel, &QAbstractItemModel::modelReset, this, &ObjectsPage::fillScatterChoices);
    auto* side = new QTabWidget(this);
    side->setObjectName(QStringLiteral("objectSide"));
    side->addTab(inspectorScroll, tr("Object"));
    side->addTab(scatterPanel, tr("Scatter"));
    // The maps: the objects under a model and under people side by side; hover links them, a click inspects.
    auto* mapPanel = new QWidget(this);
    auto* mapLayout = new QVBoxLayout(mapPanel);
    auto* mapChoice = new QHBoxLayout;
    m_mapModel->setObjectName(QStringLiteral("mapModel"));
    mapChoice->addWidget(new QLabel(tr("Model"), mapPanel));
    mapChoice->addWidget(m_mapModel, 1);
    mapLayout->addLayout(mapChoice);
    mapLayout->addWidget(m_maps, 1);
    m_selectionTriplets->setObjectName(QStringLiteral("selectionTriplets"));
    m_selectionTriplets->setEnabled(false); // always there: the maps keep their size as a lasso selects
    m_selectionTriplets->setText(tr("Draw a lasso on a map to list the triplets of the objects inside"));
    mapLayout->addWidget(m_selectionTriplets, 0, Qt::AlignLeft);
    connect(m_mapModel, &QComboBox::currentIndexChanged, this, &ObjectsPage::redrawMaps);
    connect(m_mapModel, &QComboBox::currentIndexChanged, this,
            [this] { selectOnMap(std::vector<int>(m_mapSelection)); }); // the button names the model
    connect(m_maps, &ObjectMapsChart::objectClicked, this, &ObjectsPage::inspectObject);
    connect(m_maps, &ObjectMapsChart::selectionChanged, this, &ObjectsPage::selectOnMap);
    connect(m_selectionTriplets, &QPushButton::clicked, this, [this] {
        if (!m_mapSelection.empty())
            Q_EMIT objectsTripletsRequested(m_mapSelection, std::max(0, m_mapModel->currentIndex()));
    });
    // A new analysis may bring other objects: the selection goes.
    connect(m_alignment, &ObjectAlignmentController::alignmentChanged, this, [this] { selectOnMap({}); });
    // Hovering a point of the scatter shows the object's image beside its name and values.
    m_scatter->setToolTipText([this](const PopulationChart::Hit& hit) {
        const auto analysis = m_alignment->analysis();
        if (!analysis || hit.model < 0 || size_t(hit.model) >= analysis->stimuli->size()) return hit.text;
        const auto& paths = analysis->stimuli->imagePaths;
        if (size_t(hit.model) >= paths.size() || paths[size_t(hit.model)].empty()) return hit.text;
        // A file URL: a path with '#' or '%' is still the file.
        const QString url = QUrl::fromLocalFile(QString::fromStdString(paths[size_t(hit.model)]))
                                .toString(QUrl::FullyEncoded);
        return QStringLiteral("<img src=\"%1\" height=\"96\"><br>%2")
            .arg(url.toHtmlEscaped(), hit.text.toHtmlEscaped());
    });
    side->addTab(mapPanel, tr("Map"));
    connect(side, &QTabWidget::currentChanged, this, [this, mapPanel, side] {
        if (side->currentWidget() == mapPanel) redrawMaps();
    });
    connect(m_alignment, &ObjectAlignmentController::mapChanged, this, &ObjectsPage::redrawMaps);
    lower->addWidget(side);
    lower->setStretchFactor(0, 3);
    lower->setStretchFactor(1, 2);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(lower);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(split);
    connect(session, &Session::objectsChanged, this,
            [this, session] { setStimuli(session->sharedObjects()); });
    if (!figures) return;
    figures->add({QStringLiteral("object-inspector"), tr("Object inspector"),
                  [inspector = m_inspector](QPainter& painter, const QRectF& rect, const FigureStyle& style) {
                      paintObjectInspector(painter, rect, style.font(), inspector->exportedFigure());
                  },
                  [inspector = m_inspector](const FigureStyle& style) {
                      // Its thumbnails and names need what they need: the page grows, nothing is cut.
                      return objectInspectorHeight(inspector->exportedFigure(), style.widthPoints(),
                                                   style.font(), &pointDevice()) /
                             72.0 * 25.4;
                  },
                  [inspector = m_inspector] { return inspector->chart()->figureData().message.isEmpty(); }},
                 this);
    figures->add({QStringLiteral("object-map"), tr("Objects under a model and under people"),
                  [maps = m_maps](QPainter& painter, const QRectF& rect, const FigureStyle& style) {
                      paintObjectMaps(painter, rect, style.font(), maps->figureData());
                  },
                  [maps = m_maps](const FigureStyle& style) {
                      return objectMapsHeight(maps->figureData(), style.widthPoints(), style.font(),
                                              &pointDevice()) /
                             72.0 * 25.4;
                  },
                  [maps = m_maps] {
                      const ObjectMapsFigure& figure = maps->figureData();
                      return figure.message.isEmpty() && !figure.left.empty();
                  }},
                 this);
}

void ObjectsPage::setMapModel(int model)
{
    m_mapModel->setCurrentIndex(model);
}

void ObjectsPage::selectOnMap(std::vector<int> objects)
{
    m_mapSelection = std::move(objects);
    m_maps->setSelection(m_mapSelection);
    m_selectionTriplets->setEnabled(!m_mapSelection.empty());
    m_selectionTriplets->setText(
        m_mapSelection.empty()
            ? tr("Draw a lasso on a map to list the triplets of the objects inside")
            : tr("Open the triplets of the %2 selected objects (%1) in the triplet browser")
                  .arg(m_mapModel->currentText())
                  .arg(m_mapSelection.size()));
}

QString ObjectsPage::scatterToolTipAt(const QPointF& point) const
{
    return m_scatter->toolTipAt(point);
}

void ObjectsPage::showEvent(QShowEvent* event)
{
    m_alignment->request(); // computed from now on, for this analysis and every later one
    QWidget::showEvent(event);
}

void ObjectsPage::fillScatterChoices()
{
    const auto analysis = m_alignment->analysis();
    const auto result = m_alignment->result();
    const QSignalBlocker quietX(m_scatterX), quietY(m_scatterY);
    const QVariant x = m_scatterX->currentData(), y = m_scatterY->currentData();
    m_scatterX->clear();
    m_scatterY->clear();
    if (analysis && result) {
        const std::vector<std::string> names = modelNames(*analysis);
        for (int kind = 0; kind < (result->neighbours.empty() ? 1 : 2); ++kind)
            for (int m = 0; m < int(names.size()); ++m) {
                const ObjectMeasure measure{ObjectMeasure::Kind(kind), m};
                const QString label = objectMeasureLabel(names, result->neighbours, measure);
                m_scatterX->addItem(label, kind * 100000 + m);
                m_scatterY->addItem(label, kind * 100000 + m);
            }
        // At first: the first model's accuracy against the second's, or against its own agreement.
        m_scatterX->setCurrentIndex(std::max(0, m_scatterX->findData(x)));
        m_scatterY->setCurrentIndex(y.isValid() && m_scatterY->findData(y) >= 0
                                        ? m_scatterY->findData(y)
                                        : std::min(1, m_scatterY->count() - 1));
    }
    redrawScatter();
    const QSignalBlocker quietMap(m_mapModel);
    const int mapModel = m_mapModel->currentIndex();
    m_mapModel->clear();
    if (analysis)
        for (const std::string& name : modelNames(*analysis))
            m_mapModel->addItem(QString::fromStdString(name));
    m_mapModel->setCurrentIndex(std::clamp(mapModel, 0, std::max(0, m_mapModel->count() - 1)));
    redrawMaps();
}

void ObjectsPage::redrawMaps()
{
    const auto analysis = m_alignment->analysis();
    const auto result = m_alignment->result();
    const int model = m_mapModel->currentIndex();
    ObjectMapsFigure figure;
    if (!analysis || !result || !result->human || model < 0 || size_t(model) >= analysis->models.size()) {
        figure.message =
            tr("Open a concept space (VICE) to map the objects under each model and under people.");
    } else if (!m_alignment->modelMap(model) || !m_alignment->humanMap()) {
        figure.message = tr("Computing the maps…");
        if (m_maps->isVisible()) m_alignment->requestMap(model); // only for the map on screen
    } else {
        figure = objectMapsFigure(*analysis->stimuli, analysis->models[size_t(model)].name,
                                  *m_alignment->modelMap(model), result->humanName, *m_alignment->humanMap(),
                                  result->topConcept, analysis->conceptLabels);
        figure.highlighted = m_inspector->object();
        figure.selected = m_mapSelection;
    }
    m_maps->setFigure(std::move(figure));
}

void ObjectsPage::setScatterAxes(int xIndex, int yIndex)
{
    m_scatterX->setCurrentIndex(xIndex);
    m_scatterY->setCurrentIndex(yIndex);
}

void ObjectsPage::redrawScatter()
{
    const auto analysis = m_alignment->analysis();
    const auto result = m_alignment->result();
    PopulationFigureData figure;
    if (!analysis || !result || m_scatterX->count() == 0) {
        figure.message = tr("No per-object values yet.");
    } else {
        const std::vector<std::string> names = modelNames(*analysis);
        const auto measure = [](const QComboBox* axis) {
            const int code = axis->currentData().toInt();
            return ObjectMeasure{ObjectMeasure::Kind(code / 100000), code % 100000};
        };
        figure = objectScatterFigure(*analysis->stimuli, names, result->alignment, result->neighbours,
                                     measure(m_scatterX), measure(m_scatterY));
        if (m_inspector->object() >= 0)
            figure.highlighted =
                QString::fromStdString(analysis->stimuli->displayName(size_t(m_inspector->object())));
    }
    m_scatter->setFigure(std::move(figure));
}

void ObjectsPage::inspectObject(int stimulus)
{
    QModelIndex row = m_alignmentProxy->mapFromSource(m_alignmentModel->index(stimulus, 0));
    if (!row.isValid() && !m_search->text().isEmpty()) { // hidden by the search: show every object again
        m_search->clear();
        row = m_alignmentProxy->mapFromSource(m_alignmentModel->index(stimulus, 0));
    }
    if (!row.isValid()) return;
    m_alignmentTable->setCurrentIndex(row);
    m_alignmentTable->scrollTo(row);
}

void ObjectsPage::setSearch(const QString& text)
{
    m_search->setText(text);
}

void ObjectsPage::setStimuli(std::shared_ptr<const alignscope::StimulusSet> stimuli)
{
    m_title->setText(stimuli ? tr("%1 objects from %2")
                                   .arg(QLocale().toString(qulonglong(stimuli->size())),
                                        QString::fromStdString(stimuli->origin))
                             : tr("No objects loaded."));
    m_model->setStimuli(std::move(stimuli));
    // Rows as tall as a thumbnail when there are images; the default height otherwise.
    m_table->verticalHeader()->setDefaultSectionSize(
        m_model->hasImages() ? kThumbnailEdge + 4 : m_table->fontMetrics().height() + 8);
}

int ObjectsPage::objectCount() const
{
    return m_model->rowCount();
}
