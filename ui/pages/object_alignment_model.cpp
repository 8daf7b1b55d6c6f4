#include "pages/object_alignment_model.h"

#include "controllers/object_alignment_controller.h"

#include <cmath>

using namespace alignscope;

namespace {

QVariant sortKey(double value)
{
    return std::isfinite(value) ? QVariant(value) : QVariant();
}

QString shown(double value)
{
    return std::isfinite(value) ? QString::number(value, 'f', 3) : QStringLiteral("—");
}

} // namespace

ObjectAlignmentModel::ObjectAlignmentModel(ObjectAlignmentController* controller, QObject* parent)
    : QAbstractTableModel(parent), m_controller(controller)
{
    connect(controller, &ObjectAlignmentController::alignmentChanged, this, [this] {
        beginResetModel();
        endResetModel();
    });
}

int ObjectAlignmentModel::modelCount() const
{
    return m_controller->result() ? int(m_controller->result()->alignment.models.size()) : 0;
}

bool ObjectAlignmentModel::hasAgreement() const
{
    return m_controller->result() && !m_controller->result()->neighbours.empty();
}

int ObjectAlignmentModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_controller->result() || !m_controller->analysis()) return 0;
    return int(m_controller->analysis()->stimuli->size());
}

int ObjectAlignmentModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_controller->result() ? 0 : allModelsWrongColumn() + 1;
}

QVariant ObjectAlignmentModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount()) return {};
    const PerObjectAlignment& alignment = m_controller->result()->alignment;
    const StimulusSet& stimuli = *m_controller->analysis()->stimuli;
    const size_t object = size_t(index.row());
    const int column = index.column();
    if (role == Qt::TextAlignmentRole && column != ObjectColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (column == ObjectColumn) {
        const QString name = QString::fromStdString(stimuli.displayName(object));
        const QString id = QString::fromStdString(stimuli.id(object));
        if (role == Qt::DisplayRole) return name;
        if (role == Qt::UserRole)
            return name.toLower() + QLatin1Char('\n') + id.toLower(); // sorted, searched
        if (role == Qt::ToolTipRole) return id;
        return {};
    }
    const ObjectFailure& failure = alignment.allModelsWrong[object];
    if (column == TripletsColumn) {
        if (role == Qt::DisplayRole || role == Qt::UserRole) return qlonglong(failure.triplets);
        return {};
    }
    if (column == allModelsWrongColumn()) {
        if (role == Qt::DisplayRole) return shown(failure.share);
        if (role == Qt::UserRole) return sortKey(failure.share);
        if (role == Qt::ToolTipRole)
            return tr("%1 of %2 triplets with %3: every model wrong")
                .arg(failure.allWrong)
                .arg(failure.triplets)
                .arg(QString::fromStdString(stimuli.displayName(object)));
        return {};
    }
    if (column >= firstAgreementColumn()) {
        const NeighbourComparison& comparison =
            m_controller->result()->neighbours[size_t(column - firstAgreementColumn())];
        const ObjectNeighbours& neighbours = comparison.objects[object];
        if (role == Qt::DisplayRole) return shown(neighbours.jaccard);
        if (role == Qt::UserRole) return sortKey(neighbours.jaccard);
        if (role == Qt::ToolTipRole)
            return tr("%1 of its %2 nearest neighbours shared with %3; Spearman's rho of its rows %4")
                .arg(neighbours.shared)
                .arg(comparison.k)
                .arg(QString::fromStdString(m_controller->result()->humanName), shown(neighbours.spearman));
        return {};
    }
    const ObjectAccuracy& accuracy = alignment.models[size_t(column - FirstModelColumn)][object];
    if (role == Qt::DisplayRole) return shown(accuracy.accuracy);
    if (role == Qt::UserRole) return sortKey(accuracy.accuracy);
    if (role == Qt::ToolTipRole && std::isfinite(accuracy.accuracy))
        return tr("%1 of %2 triplets right; 95% interval [%3, %4]")
            .arg(accuracy.correct)
            .arg(accuracy.triplets)
            .arg(shown(accuracy.ci95.low), shown(accuracy.ci95.high));
    return {};
}

QVariant ObjectAlignmentModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section >= columnCount()) return {};
    if (section == ObjectColumn) return tr("Object");
    if (section == TripletsColumn) return tr("Triplets");
    if (section == allModelsWrongColumn()) return tr("All models wrong");
    if (section >= firstAgreementColumn())
        return tr("%1 J@%2")
            .arg(QString::fromStdString(
                m_controller->analysis()->models[size_t(section - firstAgreementColumn())].name))
            .arg(m_controller->result()->neighbours.front().k);
    return QString::fromStdString(m_controller->analysis()->models[size_t(section - FirstModelColumn)].name);
}

ObjectAlignmentProxy::ObjectAlignmentProxy(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(Qt::UserRole);
    setFilterRole(Qt::UserRole);
    setFilterKeyColumn(ObjectAlignmentModel::ObjectColumn);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
}

bool ObjectAlignmentProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const QVariant a = left.data(sortRole()), b = right.data(sortRole());
    // No value goes last in either order: lessThan is read backwards when sorting descending.
    const bool descending = sortOrder() == Qt::DescendingOrder;
    if (!a.isValid() || !b.isValid()) {
        if (a.isValid() == b.isValid()) return false;
        return descending ? !a.isValid() : a.isValid();
    }
    if (a.typeId() == QMetaType::QString) return a.toString() < b.toString();
    return a.toDouble() < b.toDouble();
}
