#pragma once
// The model table of the Compare page as an editable item model: one row per table row (the model's name
// first, then each column; headers say which columns are numeric). Edits go to the PopulationController,
// which infers the column types again and re-matches the models; rows that name no model with results are
// grey.

#include <QAbstractTableModel>

class PopulationController;

class ModelTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    explicit ModelTableModel(PopulationController* controller, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

private:
    PopulationController* m_controller;
};
