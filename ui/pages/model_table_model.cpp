#include "pages/model_table_model.h"

#include "controllers/population_controller.h"

#include <QBrush>
#include <algorithm>

using namespace alignscope;

ModelTableModel::ModelTableModel(PopulationController* controller, QObject* parent)
    : QAbstractTableModel(parent), m_controller(controller)
{
    connect(controller, &PopulationController::populationChanged, this, [this] {
        beginResetModel();
        endResetModel();
    });
}

int ModelTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_controller->metadata().models.size());
}

int ModelTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : 1 + int(m_controller->metadata().columns.size());
}

QVariant ModelTableModel::data(const QModelIndex& index, int role) const
{
    const ModelMetadata& metadata = m_controller->metadata();
    if (!index.isValid() || index.row() >= int(metadata.models.size()) || index.column() >= columnCount())
        return {};
    const size_t row = size_t(index.row());
    const std::string& model = metadata.models[row];
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        const std::string& text =
            index.column() == 0 ? model : metadata.columns[size_t(index.column() - 1)].text[row];
        return QString::fromStdString(text);
    }
    const auto& unused = m_controller->match().unusedRows;
    const bool named = std::find(unused.begin(), unused.end(), model) == unused.end();
    if (role == Qt::ForegroundRole && !named) return QBrush(Qt::gray);
    if (role == Qt::ToolTipRole && !named) return tr("No model with results has this name");
    return {};
}

QVariant ModelTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Vertical) return section + 1;
    const ModelMetadata& metadata = m_controller->metadata();
    if (section == 0) return tr("model");
    if (section < 1 || section > int(metadata.columns.size())) return {};
    const MetadataColumn& column = metadata.columns[size_t(section - 1)];
    const QString name = QString::fromStdString(column.name);
    if (!column.numeric) return name;
    return column.logScaleSuggested ? tr("%1 (numeric, log)").arg(name) : tr("%1 (numeric)").arg(name);
}

Qt::ItemFlags ModelTableModel::flags(const QModelIndex& index) const
{
    if (!index.isValid()) return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable;
}

bool ModelTableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || index.row() >= rowCount() ||
        index.column() >= columnCount())
        return false;
    // The controller re-matches and emits populationChanged, which resets this model.
    return m_controller->setMetadataCell(index.row(), index.column(), value.toString());
}
