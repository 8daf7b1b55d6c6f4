#pragma once
// The Objects page's alignment table: one row per object (its name and how many triplets contain it), a
// column per model with its odd-one-out accuracy over those triplets (the 95% interval in the tooltip), with
// a concept space a column per model with its local agreement (Jaccard@k of the object's model and human
// neighbours; Spearman's rho of its rows in the tooltip), and the share of its triplets every model gets
// wrong. Qt::UserRole holds the number a column sorts by; an object in no triplet has none there and sorts
// after every number (ObjectAlignmentProxy).

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

class ObjectAlignmentController;

class ObjectAlignmentModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        ObjectColumn,
        TripletsColumn,
        FirstModelColumn // then one per model, then the all-models-wrong share
    };

    explicit ObjectAlignmentModel(ObjectAlignmentController* controller, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    int modelCount() const;
    bool hasAgreement() const; // neighbours were compared (a concept space is open)
    int firstAgreementColumn() const { return FirstModelColumn + modelCount(); }
    int allModelsWrongColumn() const { return firstAgreementColumn() + (hasAgreement() ? modelCount() : 0); }

private:
    ObjectAlignmentController* m_controller;
};

// Sorts by Qt::UserRole with objects without a value after the others in either order, and filters rows by
// the object's name or ID (case-insensitive).
class ObjectAlignmentProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ObjectAlignmentProxy(QObject* parent = nullptr);

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
};
