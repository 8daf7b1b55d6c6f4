#pragma once
// Models × metrics table of the current odd-one-out analysis (sortable).

#include "alignscope/odd_one_out_analysis.h"

#include <QAbstractTableModel>
#include <QWidget>
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

private:
    std::shared_ptr<const alignscope::OddOneOutAnalysis> m_analysis;
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
