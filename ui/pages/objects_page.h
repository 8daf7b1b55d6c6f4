#pragma once
// Table of the current object set: index, ID, name, category, image.

#include "alignscope/data_model.h"

#include <QAbstractTableModel>
#include <QWidget>
#include <memory>

class QLabel;
class QTableView;

class StimulusTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;
    void setStimuli(std::shared_ptr<const alignscope::StimulusSet> stimuli);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::shared_ptr<const alignscope::StimulusSet> m_stimuli;
};

class ObjectsPage : public QWidget
{
    Q_OBJECT
public:
    explicit ObjectsPage(QWidget* parent = nullptr);
    void setStimuli(std::shared_ptr<const alignscope::StimulusSet> stimuli);
    int objectCount() const;

private:
    StimulusTableModel* m_model;
    QLabel* m_title;
    QTableView* m_table;
};
