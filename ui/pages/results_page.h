#pragma once
// Models × metrics table of the current odd-one-out analysis (sortable).

#include "alignscope/odd_one_out_analysis.h"

#include <QAbstractTableModel>
#include <QWidget>
#include <functional>
#include <memory>

class FigureRegistry;
class OddOneOutController;
class QLabel;
class QTableView;

class ResultsTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        ModelColumn,
        AccuracyColumn,
        IntervalColumn,
        ObjectIntervalColumn,
        TiesColumn,
        NormalisedColumn,
        TripletsColumn,
        ColumnCount
    };
    using QAbstractTableModel::QAbstractTableModel;

    void setAnalysis(std::shared_ptr<const alignscope::OddOneOutAnalysis> analysis);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    // The model column is editable once a renamer is set: it gets the model's index in the analysis and
    // the name typed, and says whether the name was taken.
    void setRenamer(std::function<bool(int model, const QString& name)> rename)
    {
        m_rename = std::move(rename);
    }
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

private:
    std::shared_ptr<const alignscope::OddOneOutAnalysis> m_analysis;
    std::function<bool(int, const QString&)> m_rename;
};

class ResultsPage : public QWidget
{
    Q_OBJECT
public:
    // Shows the controller's analysis (and why there is none); registers the "results-table" figure.
    ResultsPage(OddOneOutController* controller, FigureRegistry* figures, QWidget* parent = nullptr);
    void setAnalysis(std::shared_ptr<const alignscope::OddOneOutAnalysis> analysis);
    void setMessage(const QString& message);
    QTableView* table() const { return m_table; }

Q_SIGNALS:
    void openRequested(const QStringList& paths); // feature files dropped onto the table

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    ResultsTableModel* m_model;
    QLabel* m_summary;
    QTableView* m_table;
};
