#include "pages/triplet_browser.h"

#include "charts/thumbnail_cache.h"
#include "charts/triplet_grid_figure.h"
#include "controllers/odd_one_out_controller.h"
#include "export/figure_registry.h"
#include "session/task_runner.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPainter>
#include <QPushButton>
#include <QScrollBar>
#include <QVBoxLayout>
#include <algorithm>

using namespace alignscope;

void TripletListModel::setRows(std::shared_ptr<const OddOneOutAnalysis> analysis, int model,
                               std::vector<std::int64_t> triplets, std::vector<std::int32_t> judgments)
{
    beginResetModel();
    m_analysis = std::move(analysis);
    m_model = model;
    m_triplets = std::move(triplets);
    m_judgments = std::move(judgments);
    endResetModel();
}

void TripletListModel::setThumbnails(ThumbnailCache* thumbnails)
{
    m_thumbnails = thumbnails;
    connect(thumbnails, &ThumbnailCache::thumbnailReady, this, [this] {
        if (rowCount() > 0) Q_EMIT dataChanged(index(0), index(rowCount() - 1));
    });
}

int TripletListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_triplets.size());
}

TripletRow TripletListModel::rowAt(int row, bool decodeNow) const
{
    TripletRow out;
    const std::int64_t t = m_triplets[size_t(row)];
    const TripletSet& triplets = *m_analysis->triplets;
    const StimulusSet& stimuli = *m_analysis->stimuli;
    const ModelAnalysis& model = m_analysis->models[size_t(m_model)];
    for (int c = 0; c < 3; ++c) {
        const size_t object = size_t(triplets.at(size_t(t), c));
        out.cards[c].name = QString::fromStdString(stimuli.displayName(object));
        if (object < stimuli.categories.size())
            out.cards[c].category = QString::fromStdString(stimuli.categories[object]);
        if (m_thumbnails && object < stimuli.imagePaths.size())
            out.cards[c].thumbnail =
                decodeNow ? m_thumbnails->getNow(QString::fromStdString(stimuli.imagePaths[object]))
                          : m_thumbnails->get(QString::fromStdString(stimuli.imagePaths[object]));
    }
    out.modelOdd = model.choices.choice[size_t(t)];
    const auto p =
        choiceProbabilities(model.similarity, triplets, size_t(t), m_analysis->options.temperature);
    std::copy(p.p, p.p + 3, out.probability);
    out.caption = QObject::tr("triplet #%1").arg(t);
    if (m_analysis->concepts) {
        const int d = m_analysis->concepts->top[size_t(t)];
        out.caption +=
            QObject::tr(" · concept %1").arg(QString::fromStdString(m_analysis->conceptLabels[size_t(d)]));
    }
    if (m_analysis->repeats.groupOf(t) >= 0)
        out.caption += QObject::tr(" · human consensus %1 of %2 judgments")
                           .arg(m_analysis->repeats.consensusOf(t), 0, 'f', 2)
                           .arg(size_t(row) < m_judgments.size() ? m_judgments[size_t(row)] : 1);
    return out;
}

QVariant TripletListModel::data(const QModelIndex& index, int role) const
{
    if (!m_analysis || index.row() < 0 || index.row() >= rowCount()) return {};
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole) {
        const TripletRow row = rowAt(index.row());
        return QStringLiteral("%1 | %2 | %3").arg(row.cards[0].name, row.cards[1].name, row.cards[2].name);
    }
    if (role == RowRole) return QVariant::fromValue(tripletAt(index.row()));
    return {};
}

void TripletDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                            const QModelIndex& index) const
{
    const auto* model = static_cast<const TripletListModel*>(index.model());
    paintTripletRow(*painter, option.rect, model->rowAt(index.row()), option.state & QStyle::State_Selected);
}

QSize TripletDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    // Uniform item sizes: asked once, for the first row, with thumbnails four lines high.
    const auto* model = static_cast<const TripletListModel*>(index.model());
    const int width = option.rect.width() > 0 ? option.rect.width() : 900;
    const TripletRowGeometry geometry =
        tripletRowGeometry(option.font, option.widget, width, model->rowAt(index.row()),
                           4 * QFontMetricsF(option.font).height());
    return QSize(width, int(std::ceil(geometry.height())));
}

TripletBrowser::TripletBrowser(OddOneOutController* controller, TaskRunner* tasks, FigureRegistry* figures,
                               QWidget* parent)
    : QWidget(parent), m_tasks(tasks), m_model(new TripletListModel(this)),
      m_thumbnails(new ThumbnailCache(tasks, 128, this)), m_list(new QListView(this)),
      m_show(new QComboBox(this)), m_dimension(new QComboBox(this)), m_modelChoice(new QComboBox(this)),
      m_sort(new QComboBox(this)), m_count(new QLabel(this)), m_objectFilter(new QPushButton(this))
{
    m_model->setThumbnails(m_thumbnails);
    m_list->setObjectName(QStringLiteral("tripletList"));
    m_list->setModel(m_model);
    m_list->setItemDelegate(new TripletDelegate(m_list));
    m_list->setUniformItemSizes(true); // constant row height keeps millions of rows cheap
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_show->addItem(tr("Disagreements"), int(Show::Disagreements));
    m_show->addItem(tr("Agreements"), int(Show::Agreements));
    m_show->addItem(tr("All triplets"), int(Show::All));
    m_sort->addItem(tr("Model confidence"), int(Sort::Confidence));
    m_sort->addItem(tr("Human consensus"), int(Sort::Consensus));
    m_sort->addItem(tr("Triplet order"), int(Sort::Index));
    auto* exportButton = new QPushButton(tr("Export page…"), this);
    auto* controls = new QHBoxLayout;
    for (auto [label, widget] : {std::pair{tr("Show"), static_cast<QWidget*>(m_show)},
                                 {tr("Model"), m_modelChoice},
                                 {tr("Concept"), m_dimension},
                                 {tr("Sort by"), m_sort}}) {
        controls->addWidget(new QLabel(label, this));
        controls->addWidget(widget);
    }
    m_objectFilter->setObjectName(QStringLiteral("objectFilter"));
    m_objectFilter->setToolTip(tr("Only the triplets with these objects; click to show every triplet"));
    m_objectFilter->hide();
    connect(m_objectFilter, &QPushButton::clicked, this, [this] { showObject(-1); });
    controls->addWidget(m_objectFilter);
    controls->addStretch();
    controls->addWidget(m_count);
    controls->addWidget(exportButton);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_list);
    for (QComboBox* box : {m_show, m_dimension, m_modelChoice, m_sort})
        connect(box, &QComboBox::currentIndexChanged, this, [this] {
            if (!m_updatingControls) refilter();
        });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export triplets"), QStringLiteral("triplets.png"),
                                         tr("PNG (*.png);;SVG (*.svg);;PDF (*.pdf)"));
        QString error;
        if (!path.isEmpty() && !exportVisibleRows(path, &error)) m_count->setText(error);
    });
    connect(controller, &OddOneOutController::analysisChanged, this,
            [this, controller] { setAnalysis(controller->analysis()); });
    if (figures)
        figures->add({QStringLiteral("triplets"),
                      tr("Triplet grid (rows on screen)"),
                      figure(),
                      {},
                      [model = m_model] { return model->rowCount() > 0; }},
                     this);
}

void TripletBrowser::setAnalysis(std::shared_ptr<const OddOneOutAnalysis> analysis)
{
    // The object filter names stimuli by their indices: kept only while the objects stay the same.
    if (!m_objects.empty() && (!analysis || !m_analysis || analysis->stimuli != m_analysis->stimuli)) {
        m_objects.clear();
        m_objectFilter->hide();
    }
    m_analysis = std::move(analysis);
    m_updatingControls = true;
    m_modelChoice->clear();
    m_dimension->clear();
    m_dimension->addItem(tr("All concepts"), -1);
    if (m_analysis) {
        for (const auto& model : m_analysis->models)
            m_modelChoice->addItem(QString::fromStdString(model.name));
        for (size_t d = 0; d < m_analysis->conceptLabels.size(); ++d)
            m_dimension->addItem(QString::fromStdString(m_analysis->conceptLabels[d]), int(d));
    }
    m_updatingControls = false;
    refilter();
}

void TripletBrowser::setFilter(Show show, int dimension, int model, Sort sort)
{
    m_updatingControls = true;
    m_show->setCurrentIndex(std::max(0, m_show->findData(int(show))));
    m_dimension->setCurrentIndex(std::max(0, m_dimension->findData(dimension)));
    m_modelChoice->setCurrentIndex(model);
    m_sort->setCurrentIndex(std::max(0, m_sort->findData(int(sort))));
    m_updatingControls = false;
    refilter();
}

void TripletBrowser::showObject(int stimulus, int model)
{
    showObjects({stimulus}, ObjectMatch::All, model);
}

void TripletBrowser::showObjects(std::vector<int> stimuli, ObjectMatch match, int model)
{
    m_objects.clear();
    for (int stimulus : stimuli)
        if (m_analysis && stimulus >= 0 && size_t(stimulus) < m_analysis->stimuli->size() &&
            std::find(m_objects.begin(), m_objects.end(), stimulus) == m_objects.end())
            m_objects.push_back(stimulus);
    m_objectMatch = match;
    m_objectFilter->setVisible(!m_objects.empty());
    m_objectFilter->setText(objectFilterText() + QStringLiteral("  ✕"));
    if (model >= 0 && model < m_modelChoice->count() && model != m_modelChoice->currentIndex()) {
        m_modelChoice->setCurrentIndex(model); // refilters
        return;
    }
    refilter();
}

int TripletBrowser::object() const
{
    return m_objects.size() == 1 ? m_objects.front() : -1;
}

QString TripletBrowser::objectFilterText() const
{
    if (m_objects.empty() || !m_analysis) return {};
    const auto name = [this](std::int32_t s) {
        return QString::fromStdString(m_analysis->stimuli->displayName(size_t(s)));
    };
    if (m_objects.size() == 1) return tr("Object: %1").arg(name(m_objects.front()));
    if (m_objectMatch == ObjectMatch::All && m_objects.size() == 2)
        return tr("Objects: both %1 and %2").arg(name(m_objects[0]), name(m_objects[1]));
    QStringList names;
    for (size_t i = 0; i < std::min<size_t>(3, m_objects.size()); ++i)
        names << name(m_objects[i]);
    const QString listed =
        m_objects.size() > 3
            ? tr("%1 and %2 more").arg(names.join(QStringLiteral(", "))).arg(m_objects.size() - 3)
            : names.join(QStringLiteral(", "));
    return m_objectMatch == ObjectMatch::All ? tr("All of %1 objects: %2").arg(m_objects.size()).arg(listed)
                                             : tr("Any of %1 objects: %2").arg(m_objects.size()).arg(listed);
}

void TripletBrowser::showDimension(int dimension)
{
    setFilter(Show(m_show->currentData().toInt()), dimension, std::max(0, m_modelChoice->currentIndex()),
              Sort(m_sort->currentData().toInt()));
}

int TripletBrowser::currentModel() const
{
    return m_modelChoice->currentIndex();
}

int TripletBrowser::visibleRows() const
{
    return m_model->rowCount();
}

void TripletBrowser::refilter()
{
    if (!m_analysis || m_analysis->models.empty()) {
        m_model->setRows(nullptr, 0, {});
        m_count->setText(tr("no analysis yet"));
        return;
    }
    const Show show = Show(m_show->currentData().toInt());
    const int dimension = m_dimension->currentData().isValid() ? m_dimension->currentData().toInt() : -1;
    const int model = std::max(0, m_modelChoice->currentIndex());
    const Sort sort =
        m_sort->currentData().isValid() ? Sort(m_sort->currentData().toInt()) : Sort::Confidence;
    m_count->setText(tr("filtering…"));
    auto analysis = m_analysis;
    struct Filtered
    {
        std::vector<std::int64_t> rows;
        std::vector<std::int32_t> judgments;
    };
    DisagreementFilter filter;
    filter.show = show;
    filter.dimension = dimension;
    filter.objects = m_objects;
    filter.objectMatch = m_objectMatch;
    filter.foldRepeats = true;    // a repeated triplet is one row: the majority's judgment
    filter.probabilities = false; // the rows on screen compute theirs when painted
    filter.order = sort == Sort::Confidence  ? DisagreementOrder::Confidence
                   : sort == Sort::Consensus ? DisagreementOrder::Consensus
                                             : DisagreementOrder::Triplet;
    m_tasks->run<Filtered>(
        QStringLiteral("triplet-browser"), this,
        [analysis, filter, model](const TaskContext& context) {
            const std::vector<Disagreement> listed =
                findDisagreements(*analysis, size_t(model), filter, context);
            Filtered filtered;
            filtered.rows.reserve(listed.size());
            filtered.judgments.reserve(listed.size());
            for (const Disagreement& row : listed) {
                filtered.rows.push_back(row.triplet);
                filtered.judgments.push_back(row.judgments);
            }
            return filtered;
        },
        [this, analysis, model](Filtered filtered) {
            m_model->setRows(analysis, model, std::move(filtered.rows), std::move(filtered.judgments));
            m_count->setText(tr("%L1 triplets").arg(m_model->rowCount()));
            Q_EMIT rowsReady();
        });
}

FigurePainter TripletBrowser::figure() const
{
    return [this](QPainter& painter, const QRectF& rect, const FigureStyle& style) {
        // From the first row on screen, as many rows as fit at print size; thumbnails are decoded now, so
        // that the file has the images.
        const int first = std::max(0, m_list->indexAt(QPoint(1, 1)).row());
        TripletGridData grid;
        for (int i = first; i < std::min(m_model->rowCount(), first + kTripletGridMostRows); ++i)
            grid.rows.push_back(m_model->rowAt(i, true));
        paintTripletGrid(painter, rect, style.font(), grid);
    };
}

bool TripletBrowser::exportVisibleRows(const QString& path, QString* exportError) const
{
    const int first = std::max(0, m_list->indexAt(QPoint(1, 1)).row());
    const int last = m_list->indexAt(m_list->viewport()->rect().bottomLeft() + QPoint(1, -1)).row();
    const int count =
        std::min(m_model->rowCount() - first, last < 0 ? m_model->rowCount() : last - first + 1);
    if (count <= 0) {
        if (exportError) *exportError = tr("nothing to export");
        return false;
    }
    // A double column as tall as these rows need with thumbnails five lines high, measured in points.
    FigureStyle style;
    style.widthMm = 180;
    std::vector<TripletRow> rows;
    for (int i = 0; i < count; ++i)
        rows.push_back(m_model->rowAt(first + i, true)); // as the figure paints them: with thumbnails
    const double line = QFontMetricsF(style.font(), &pointDevice()).height();
    style.heightMm =
        tripletGridHeight(style.font(), &pointDevice(), style.widthPoints(), rows, 5 * line) / 72.0 * 25.4 +
        0.5;
    const QString error = exportFigure(figure(), path, style);
    if (!error.isEmpty() && exportError) *exportError = error;
    return error.isEmpty();
}
