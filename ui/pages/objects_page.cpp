#include "pages/objects_page.h"

#include "charts/thumbnail_cache.h"
#include "session/session.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableView>
#include <QVBoxLayout>

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

ObjectsPage::ObjectsPage(Session* session, TaskRunner* tasks, QWidget* parent)
    : QWidget(parent), m_model(new StimulusTableModel(this)),
      m_thumbnails(new ThumbnailCache(tasks, kThumbnailEdge, this)), m_title(new QLabel(this)),
      m_table(new QTableView(this))
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
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_table);
    connect(session, &Session::objectsChanged, this,
            [this, session] { setStimuli(session->sharedObjects()); });
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
