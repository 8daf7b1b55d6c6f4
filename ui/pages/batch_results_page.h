#pragma once
// Merged batch results (alignscope-cli merge): one sortable table, filterable by text.

#include "alignscope/delimited_table.h"

#include <QWidget>
#include <memory>

class QLineEdit;
class QTableWidget;

class BatchResultsPage : public QWidget
{
    Q_OBJECT
public:
    explicit BatchResultsPage(QWidget* parent = nullptr);
    void setTable(std::shared_ptr<const alignscope::DelimitedTable> table, const QString& origin);
    QTableWidget* table() const { return m_table; }

private:
    void applyFilter();

    QLineEdit* m_filter;
    QTableWidget* m_table;
};
