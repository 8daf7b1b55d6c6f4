#include "pages/objects_page.h"

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
    if (!m_stimuli || role != Qt::DisplayRole || index.row() >= rowCount()) return {};
    const size_t row = size_t(index.row());
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

ObjectsPage::ObjectsPage(QWidget* parent)
    : QWidget(parent), m_model(new StimulusTableModel(this)), m_title(new QLabel(this)),
      m_table(new QTableView(this))
{
    m_table->setObjectName(QStringLiteral("objectsTable"));
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_title->setText(tr("No objects loaded. Drop a concept table (things_concepts.tsv), an ID list or a "
                        "THINGS folder here."));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_table);
}

void ObjectsPage::setStimuli(std::shared_ptr<const alignscope::StimulusSet> stimuli)
{
    m_title->setText(stimuli ? tr("%1 objects from %2")
                                   .arg(QLocale().toString(qulonglong(stimuli->size())),
                                        QString::fromStdString(stimuli->origin))
                             : tr("No objects loaded."));
    m_model->setStimuli(std::move(stimuli));
}

int ObjectsPage::objectCount() const
{
    return m_model->rowCount();
}
