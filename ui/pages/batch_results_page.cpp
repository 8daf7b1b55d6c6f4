#include "pages/batch_results_page.h"

#include "alignscope/model_metadata.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>
#include <QVBoxLayout>

BatchResultsPage::BatchResultsPage(QWidget* parent)
    : QWidget(parent), m_filter(new QLineEdit(this)), m_table(new QTableWidget(this))
{
    auto* layout = new QVBoxLayout(this);
    m_filter->setPlaceholderText(tr("Filter rows (job, model, dataset, metric…)"));
    layout->addWidget(m_filter);
    layout->addWidget(m_table);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSortingEnabled(true);
    m_table->horizontalHeader()->setStretchLastSection(true);
    connect(m_filter, &QLineEdit::textChanged, this, &BatchResultsPage::applyFilter);
}

void BatchResultsPage::setTable(std::shared_ptr<const alignscope::DelimitedTable> table,
                                const QString& origin)
{
    m_table->setSortingEnabled(false);
    m_table->clear();
    m_table->setColumnCount(int(table->columns.size()));
    m_table->setRowCount(int(table->rows.size()));
    QStringList header;
    for (const std::string& column : table->columns)
        header << QString::fromStdString(column);
    m_table->setHorizontalHeaderLabels(header);
    for (size_t r = 0; r < table->rows.size(); ++r)
        for (size_t c = 0; c < table->rows[r].size(); ++c) {
            const QString text = QString::fromStdString(table->rows[r][c]);
            auto* item = new QTableWidgetItem;
            // Numeric exactly where compare reads a number (not inf, nan or hexadecimal).
            double value = 0;
            if (alignscope::parseCellNumber(table->rows[r][c], value) == alignscope::CellValue::Number)
                item->setData(Qt::DisplayRole, value); // sorts numerically
            else
                item->setText(text);
            m_table->setItem(int(r), int(c), item);
        }
    m_table->setSortingEnabled(true);
    m_table->setToolTip(origin);
    applyFilter();
}

void BatchResultsPage::applyFilter()
{
    const QString needle = m_filter->text().trimmed();
    for (int r = 0; r < m_table->rowCount(); ++r) {
        bool match = needle.isEmpty();
        for (int c = 0; !match && c < m_table->columnCount(); ++c)
            if (const QTableWidgetItem* item = m_table->item(r, c))
                match = item->text().contains(needle, Qt::CaseInsensitive);
        m_table->setRowHidden(r, !match);
    }
}
