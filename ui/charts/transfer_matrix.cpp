#include "charts/transfer_matrix.h"

#include "charts/colormaps.h"
#include "charts/figure_title.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace {

QString caption()
{
    return QCoreApplication::translate("TransferMatrix",
                                       "colour: the change (red: the transform helps, blue: it hurts)");
}

// `font`, smaller (not below 5 pt) until every word of `texts` is at most `width` wide: names wrap at word
// boundaries only, so a word wider than its column (a file name) must fit whole.
QFont fontFittingWords(const QFont& font, const QStringList& texts, double width, QPaintDevice* device)
{
    QFont fitted = font;
    auto widest = [&] {
        const QFontMetricsF metrics(fitted, device);
        double most = 0;
        for (const QString& text : texts)
            for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts))
                most = std::max(most, metrics.horizontalAdvance(word));
        return most;
    };
    for (double size = font.pointSizeF(); size > 5.0 && widest() > width; size -= 0.25)
        fitted.setPointSizeF(size - 0.25);
    return fitted;
}

QString before(const PopulationFigureData& f, size_t at)
{
    return QString::number(f.zeroShot[at], 'f', 3);
}

// A cell's "a → b (+c)": on one line where it fits, else two or three.
QStringList cellLines(const PopulationFigureData& f, size_t at, const QFontMetricsF& metrics, double width)
{
    const double change = f.transformed[at] - f.zeroShot[at];
    const QString after = QStringLiteral("→ %1").arg(f.transformed[at], 0, 'f', 3);
    const QString delta =
        QStringLiteral("(%1%2)").arg(change >= 0 ? QStringLiteral("+") : QString()).arg(change, 0, 'f', 3);
    const QString values = before(f, at) + QLatin1Char(' ') + after;
    const QString one = values + QLatin1Char(' ') + delta;
    if (metrics.horizontalAdvance(one) <= width) return {one};
    if (metrics.horizontalAdvance(values) <= width) return {values, delta};
    return {before(f, at), after, delta};
}

struct TransferLayout
{
    QRectF title;
    QFont headerFont, rowFont;
    double labelWidth = 0, cellWidth = 0, headerHeight = 0;
    double rowHeight = 0;     // as drawn: the content's row, stretched up to twice on a taller rectangle
    double minimumHeight = 0; // the whole matrix with rows as high as their content
    double top = 0;
    double captionHeight = 0;
};

TransferLayout transferLayout(const PopulationFigureData& f, const QRectF& rect, const QFont& font,
                              QPaintDevice* device)
{
    TransferLayout l;
    const QFontMetricsF metrics(font, device);
    l.title = figureTitleBox(rect, font, f.title, device);
    const double maxLabelWidth = rect.width() * 0.3;
    l.rowFont = fontFittingWords(font, f.transferRows, maxLabelWidth - 8, device);
    const QFontMetricsF rowMetrics(l.rowFont, device);
    for (const QString& model : f.transferRows)
        l.labelWidth = std::max(l.labelWidth, rowMetrics.horizontalAdvance(model));
    l.labelWidth = std::min(l.labelWidth, maxLabelWidth - 8) + 8;
    const int columns = int(f.transferColumns.size()), rows = int(f.transferRows.size());
    l.cellWidth = (rect.width() - l.labelWidth - 4) / std::max(1, columns);
    l.headerFont = fontFittingWords(font, f.transferColumns, l.cellWidth - 4, device);
    const QFontMetricsF headerMetrics(l.headerFont, device);
    l.headerHeight = headerMetrics.height();
    for (const QString& column : f.transferColumns)
        l.headerHeight =
            std::max(l.headerHeight, headerMetrics
                                         .boundingRect(QRectF(0, 0, l.cellWidth - 4, 1e6),
                                                       Qt::AlignHCenter | Qt::TextWordWrap, column)
                                         .height());
    int lines = 1;
    for (size_t at = 0; at < f.zeroShot.size(); ++at)
        if (std::isfinite(f.zeroShot[at]))
            lines = std::max(lines, int(cellLines(f, at, metrics, l.cellWidth - 6).size()));
    double content = metrics.height() * (lines + 0.8);
    for (const QString& model : f.transferRows)
        content = std::max(content, rowMetrics
                                            .boundingRect(QRectF(0, 0, l.labelWidth - 6, 1e6),
                                                          Qt::AlignRight | Qt::TextWordWrap, model)
                                            .height() +
                                        metrics.height() * 0.4);
    l.top = l.title.bottom() + 4;
    l.captionHeight =
        metrics.boundingRect(QRectF(0, 0, rect.width() - 8, 1e6), Qt::AlignLeft | Qt::TextWordWrap, caption())
            .height();
    const double fixed = l.top - rect.top() + l.headerHeight + 4 + metrics.height() * 0.6 + l.captionHeight;
    l.minimumHeight = fixed + rows * content;
    l.rowHeight = std::clamp((rect.height() - fixed) / std::max(1, rows), content, content * 2);
    return l;
}

} // namespace

double transferMatrixHeight(const PopulationFigureData& figure, double width, const QFont& font,
                            QPaintDevice* device)
{
    return transferLayout(figure, QRectF(0, 0, width, 1), font, device).minimumHeight;
}

void paintTransferMatrix(QPainter& painter, const QRectF& rect, const QFont& font,
                         const PopulationFigureData& f)
{
    const TransferLayout l = transferLayout(f, rect, font, painter.device());
    drawFigureTitle(painter, l.title, font, f.title);
    const QColor text = figureTextColour();
    const int columns = int(f.transferColumns.size()), rows = int(f.transferRows.size());
    const QFontMetricsF metrics(font, painter.device()); // the cells' text
    const double left = rect.left() + l.labelWidth;
    painter.setFont(l.headerFont);
    for (int c = 0; c < columns; ++c)
        painter.drawText(QRectF(left + c * l.cellWidth + 2, l.top, l.cellWidth - 4, l.headerHeight),
                         Qt::AlignHCenter | Qt::AlignBottom | Qt::TextWordWrap, f.transferColumns[c]);
    for (int r = 0; r < rows; ++r) {
        const double y = l.top + l.headerHeight + 4 + r * l.rowHeight;
        painter.setFont(l.rowFont);
        painter.setPen(text);
        painter.drawText(QRectF(rect.left(), y, l.labelWidth - 6, l.rowHeight),
                         Qt::AlignRight | Qt::AlignVCenter | Qt::TextWordWrap, f.transferRows[r]);
        painter.setFont(font);
        for (int c = 0; c < columns; ++c) {
            const size_t at = size_t(r * columns + c);
            const QRectF cell(left + c * l.cellWidth + 1, y + 1, l.cellWidth - 2, l.rowHeight - 2);
            if (!std::isfinite(f.zeroShot[at])) {
                painter.fillRect(cell, QColor(240, 240, 240));
                continue;
            }
            const double change = f.transformed[at] - f.zeroShot[at];
            const QColor colour(colormapColor(Colormap::Diverging, 0.5 + 0.5 * change / f.high));
            painter.fillRect(cell, colour);
            painter.setPen(colour.lightness() < 110 ? Qt::white : text);
            painter.drawText(cell, Qt::AlignCenter,
                             cellLines(f, at, metrics, l.cellWidth - 6).join(QLatin1Char('\n')));
        }
    }
    painter.setPen(text);
    painter.setFont(font);
    const double bottom = l.top + l.headerHeight + 4 + rows * l.rowHeight + metrics.height() * 0.4;
    painter.drawText(QRectF(rect.left() + 4, bottom, rect.width() - 8, l.captionHeight),
                     Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, caption());
}
