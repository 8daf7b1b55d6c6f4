#include "charts/table_figure.h"

#include "charts/figure_export.h"

#include <QAbstractItemModel>
#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>

TableFigureData tableFigureData(const QAbstractItemModel& model)
{
    TableFigureData table;
    const int rows = model.rowCount(), columns = model.columnCount();
    for (int c = 0; c < columns; ++c)
        table.header << model.headerData(c, Qt::Horizontal).toString();
    for (int r = 0; r < rows; ++r) {
        QStringList cells;
        for (int c = 0; c < columns; ++c) {
            const QVariant value = model.index(r, c).data();
            cells << (value.typeId() == QMetaType::Double ? QString::number(value.toDouble(), 'f', 3)
                                                          : value.toString());
        }
        table.rows.push_back(cells);
    }
    return table;
}

void paintTableFigure(QPainter& painter, const QRectF& rect, const QFont& font, const TableFigureData& table)
{
    const int rows = int(table.rows.size()), columns = int(table.header.size());
    if (columns == 0) return;
    painter.save();
    // Measured on the device painted on (points for figures); the header in the bold font it is drawn in.
    const QFont regular = font;
    QFont bold = regular;
    bold.setBold(true);
    const QFontMetricsF metrics(regular, painter.device()), boldMetrics(bold, painter.device());
    const double pad = 0.5 * metrics.height();
    auto text = [&](int r, int c) { return r < 0 ? table.header.value(c) : table.rows[size_t(r)].value(c); };
    auto metricsOf = [&](int r) -> const QFontMetricsF& { return r < 0 ? boldMetrics : metrics; };
    // Per column: the width of its longest text, and the least it can wrap to (its longest word).
    std::vector<double> widths(size_t(columns), 0.0), least(size_t(columns), 0.0);
    for (int c = 0; c < columns; ++c)
        for (int r = -1; r < rows; ++r) {
            const QString cell = text(r, c);
            widths[size_t(c)] = std::max(widths[size_t(c)], metricsOf(r).horizontalAdvance(cell) + pad);
            for (const QString& word : cell.split(QLatin1Char(' '), Qt::SkipEmptyParts))
                least[size_t(c)] = std::max(least[size_t(c)], metricsOf(r).horizontalAdvance(word) + pad);
        }
    // Too wide for the page: the widest columns wrap first (their widths are capped at a common limit
    // found by bisection); the type is scaled down only when even one word per line would not fit.
    auto total = [&](double cap) {
        double sum = 0;
        for (int c = 0; c < columns; ++c)
            sum += std::max(least[size_t(c)], std::min(widths[size_t(c)], cap));
        return sum;
    };
    if (total(1e9) > rect.width()) {
        double low = 0, high = *std::max_element(widths.begin(), widths.end());
        for (int step = 0; step < 40; ++step)
            (total(0.5 * (low + high)) > rect.width() ? high : low) = 0.5 * (low + high);
        for (int c = 0; c < columns; ++c)
            widths[size_t(c)] = std::max(least[size_t(c)], std::min(widths[size_t(c)], low));
    }
    double tableWidth = 0;
    for (double w : widths)
        tableWidth += w;
    // Row heights from the wrapped text.
    std::vector<double> heights(size_t(rows + 1), 0.0);
    for (int r = -1; r < rows; ++r)
        for (int c = 0; c < columns; ++c)
            heights[size_t(r + 1)] = std::max(
                heights[size_t(r + 1)], metricsOf(r)
                                                .boundingRect(QRectF(0, 0, widths[size_t(c)] - pad, 1e6),
                                                              Qt::TextWordWrap, text(r, c))
                                                .height() +
                                            0.3 * metrics.height());
    double tableHeight = 0;
    for (double h : heights)
        tableHeight += h;
    const double scale = std::min({1.0, rect.width() / tableWidth, rect.height() / tableHeight});
    painter.translate(rect.topLeft());
    painter.scale(scale, scale);
    painter.setPen(Qt::black);
    double y = 0;
    for (int r = -1; r < rows; ++r) {
        painter.setFont(r < 0 ? bold : regular);
        double x = 0;
        for (int c = 0; c < columns; ++c) {
            const QRectF box(x + pad / 2, y, widths[size_t(c)] - pad, heights[size_t(r + 1)]);
            painter.drawText(box,
                             (c == 0 ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter | Qt::TextWordWrap,
                             text(r, c));
            x += widths[size_t(c)];
        }
        y += heights[size_t(r + 1)];
        if (r < 0) { // booktabs-like rules: thick above and below, thin under the header
            painter.setPen(QPen(Qt::black, 1.0));
            painter.drawLine(QPointF(0, 0), QPointF(tableWidth, 0));
            painter.setPen(QPen(Qt::black, 0.5));
            painter.drawLine(QPointF(0, y), QPointF(tableWidth, y));
            painter.setPen(Qt::black);
        }
    }
    painter.setPen(QPen(Qt::black, 1.0));
    painter.drawLine(QPointF(0, y), QPointF(tableWidth, y));
    painter.restore();
}

FigurePainter itemTableFigure(const QAbstractItemModel* model)
{
    // Read when painted: the figure shows the table as it is at export time.
    return [model](QPainter& painter, const QRectF& rect, const FigureStyle& style) {
        paintTableFigure(painter, rect, style.font(), tableFigureData(*model));
    };
}
