#include "charts/transfer_matrix.h"

#include "charts/colormaps.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>

void paintTransferMatrix(QPainter& painter, const QRectF& rect, const QFont& font,
                         const PopulationFigureData& f)
{
    QPaintDevice* device = painter.device();
    const QFontMetricsF metrics(font, device);
    QFont bold = font;
    bold.setBold(true);
    const QFontMetricsF boldMetrics(bold, device);
    const QColor text(40, 40, 40);
    painter.setFont(bold);
    painter.setPen(text);
    const QRectF title =
        boldMetrics.boundingRect(rect.adjusted(4, 2, -4, 0), Qt::AlignHCenter | Qt::TextWordWrap, f.title);
    painter.drawText(title, Qt::AlignHCenter | Qt::TextWordWrap, f.title);
    painter.setFont(font);
    double labelWidth = 0;
    for (const QString& model : f.transferRows)
        labelWidth = std::max(labelWidth, metrics.horizontalAdvance(model));
    labelWidth = std::min(labelWidth + 8, rect.width() * 0.28);
    const int columns = int(f.transferColumns.size()), rows = int(f.transferRows.size());
    const double cellWidth = (rect.width() - labelWidth - 4) / std::max(1, columns);
    // Headers and row labels wrap (a word wider than its column, such as a file name, anywhere); a cell's
    // "a → b (+c)" goes on two or three lines when one is too narrow.
    auto headerFlags = [&](const QString& header) {
        for (const QString& word : header.split(QLatin1Char(' ')))
            if (metrics.horizontalAdvance(word) > cellWidth - 4)
                return int(Qt::AlignHCenter | Qt::AlignBottom | Qt::TextWrapAnywhere);
        return int(Qt::AlignHCenter | Qt::AlignBottom | Qt::TextWordWrap);
    };
    double headerHeight = metrics.height();
    for (const QString& column : f.transferColumns)
        headerHeight = std::max(
            headerHeight,
            metrics.boundingRect(QRectF(0, 0, cellWidth - 4, 1e6), headerFlags(column), column).height());
    auto cellLines = [&](size_t at) {
        const double change = f.transformed[at] - f.zeroShot[at];
        const QString before = QString::number(f.zeroShot[at], 'f', 3);
        const QString after = QStringLiteral("→ %1").arg(f.transformed[at], 0, 'f', 3);
        const QString delta = QStringLiteral("(%1%2)")
                                  .arg(change >= 0 ? QStringLiteral("+") : QString())
                                  .arg(change, 0, 'f', 3);
        const QString one = before + QLatin1Char(' ') + after + QLatin1Char(' ') + delta;
        const QString values = before + QLatin1Char(' ') + after;
        if (metrics.horizontalAdvance(one) <= cellWidth - 6) return QStringList{one};
        if (metrics.horizontalAdvance(values) <= cellWidth - 6) return QStringList{values, delta};
        return QStringList{before, after, delta};
    };
    int lines = 1;
    for (size_t at = 0; at < f.zeroShot.size(); ++at)
        if (std::isfinite(f.zeroShot[at])) lines = std::max(lines, int(cellLines(at).size()));
    double rowHeight = metrics.height() * (lines + 0.8);
    for (const QString& model : f.transferRows)
        rowHeight = std::max(rowHeight, metrics.boundingRect(QRectF(0, 0, labelWidth - 6, 1e6),
                                                             Qt::AlignRight | Qt::TextWordWrap, model)
                                                .height() +
                                            metrics.height() * 0.4);
    const double top = title.bottom() + 4;
    const double cellHeight = rowHeight;
    const double left = rect.left() + labelWidth;
    for (int c = 0; c < columns; ++c)
        painter.drawText(QRectF(left + c * cellWidth + 2, top, cellWidth - 4, headerHeight),
                         headerFlags(f.transferColumns[c]), f.transferColumns[c]);
    for (int r = 0; r < rows; ++r) {
        const double y = top + headerHeight + 4 + r * cellHeight;
        painter.setPen(text);
        painter.drawText(QRectF(rect.left(), y, labelWidth - 6, cellHeight),
                         Qt::AlignRight | Qt::AlignVCenter | Qt::TextWordWrap, f.transferRows[r]);
        for (int c = 0; c < columns; ++c) {
            const size_t at = size_t(r * columns + c);
            const QRectF cell(left + c * cellWidth + 1, y + 1, cellWidth - 2, cellHeight - 2);
            if (!std::isfinite(f.zeroShot[at])) {
                painter.fillRect(cell, QColor(240, 240, 240));
                continue;
            }
            const double change = f.transformed[at] - f.zeroShot[at];
            const QColor colour(colormapColor(Colormap::Diverging, 0.5 + 0.5 * change / f.high));
            painter.fillRect(cell, colour);
            painter.setPen(colour.lightness() < 110 ? Qt::white : text);
            painter.drawText(cell, Qt::AlignCenter, cellLines(at).join(QLatin1Char('\n')));
        }
    }
    painter.setPen(text);
    const double bottom = top + headerHeight + 4 + rows * cellHeight + metrics.height() * 0.4;
    painter.drawText(QRectF(rect.left() + 4, bottom, rect.width() - 8, metrics.height() * 1.2),
                     Qt::AlignLeft | Qt::AlignVCenter,
                     metrics.elidedText(QCoreApplication::translate(
                                            "TransferMatrix",
                                            "colour: the change (red: the transform helps, blue: it hurts)"),
                                        Qt::ElideRight, rect.width() - 8));
}
