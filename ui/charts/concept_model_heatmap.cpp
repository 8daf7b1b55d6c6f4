#include "charts/concept_model_heatmap.h"

#include "charts/axis_ticks.h"
#include "charts/colormaps.h"
#include "charts/figure_title.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ConceptModelHeatmap", text);
}

QString columnLabel(const PopulationFigureData& f, int column)
{
    if (column < f.columns.size()) return f.columns[column];
    return f.groups.isEmpty() ? tr("mean") : tr("%1 (mean)").arg(f.groups[column - int(f.columns.size())]);
}

QString colourBarCaption(const PopulationFigureData& f)
{
    return f.diverging ? tr("accuracy − mean over models") : tr("accuracy (chance 1/3)");
}

struct HeatmapLayout
{
    QRectF title, cells, colourBar, caption;
    double cellWidth = 0, cellHeight = 0, summaryGap = 0;
    double labelWidth = 0;
    QFont rowFont;    // the concept labels' font: smaller where the longest is wider than 40% of the figure
    QFont columnFont; // the column labels' font: smaller where a line is taller than the column is wide
    double columnLabelHeight = 0;
    std::vector<QRectF> legend; // per group: swatch and level, after the legend's title
    QRectF legendTitle;
    double minimumHeight = 0; // every row a line high and every label whole
};

// Places the group legend's entries in rows from `top` within `rect`; returns the bottom of the last row.
double placeLegend(HeatmapLayout& l, const PopulationFigureData& f, const QRectF& rect, double top,
                   const QFontMetricsF& metrics)
{
    l.legend.clear();
    if (f.groups.isEmpty()) return top;
    const double line = metrics.height() * 1.2, swatch = metrics.height() * 0.8;
    const QString title = tr("%1:").arg(f.groupedBy);
    l.legendTitle = QRectF(rect.left() + 4, top, metrics.horizontalAdvance(title) + 2, line);
    double x = l.legendTitle.right() + 6, y = top;
    for (const QString& group : f.groups) {
        const double width = swatch + 3 + metrics.horizontalAdvance(group) + 2;
        if (x + width > rect.right() - 2 && x > l.legendTitle.right() + 6)
            x = l.legendTitle.right() + 6, y += line;
        l.legend.push_back(QRectF(x, y, width, line));
        x += width + metrics.horizontalAdvance(QStringLiteral("  "));
    }
    return y + line;
}

HeatmapLayout heatmapLayout(const PopulationFigureData& f, const QRectF& rect, const QFont& font,
                            QPaintDevice* device)
{
    HeatmapLayout l;
    const QFontMetricsF metrics(font, device);
    l.title = figureTitleBox(rect, font, f.title, device);
    // Every concept is named whole: the row labels take up to 40% of the width, in a smaller font where the
    // longest is wider (42 VICE labels in one journal column), never below 5 pt; the rows are as high as
    // that font's line at least.
    const auto widestConcept = [&](const QFont& rowFont) {
        const QFontMetricsF rowMetrics(rowFont, device);
        double widest = 0;
        for (const QString& concept : f.concepts)
            widest = std::max(widest, rowMetrics.horizontalAdvance(concept));
        return widest;
    };
    const double labelLimit = rect.width() * 0.4 - 6;
    l.rowFont = font;
    for (double size = font.pointSizeF(); size > 5.0 && widestConcept(l.rowFont) > labelLimit; size -= 0.25)
        l.rowFont.setPointSizeF(size - 0.25);
    // Still wider at 5 pt: the labels take up to half the width, then the longest wrap at their spaces, and
    // every row is as high as the most lines any needs.
    l.labelWidth = std::min(widestConcept(l.rowFont), std::max(labelLimit, rect.width() * 0.5 - 6)) + 6;
    const QFontMetricsF rowMetrics(l.rowFont, device);
    double rowLines = 1;
    for (const QString& concept : f.concepts)
        rowLines =
            std::max(rowLines, std::ceil(rowMetrics
                                                 .boundingRect(QRectF(0, 0, l.labelWidth - 2, 1e6),
                                                               Qt::AlignRight | Qt::TextWordWrap, concept)
                                                 .height() /
                                             rowMetrics.height() -
                                         0.01));
    const int columns = int(f.columns.size()) + f.summaryColumns;
    const double available = rect.width() - l.labelWidth - 8;
    l.summaryGap = metrics.height() * 0.5;
    l.cellWidth = std::max(1.0, (available - l.summaryGap) / std::max(1, columns));
    // Every column is named: rotated labels, in a smaller font where a line of the figure's is wider than a
    // column (22 models in one journal column), never below 5 pt.
    l.columnFont = font;
    for (double size = font.pointSizeF();
         size > 5.0 && QFontMetricsF(l.columnFont, device).height() > l.cellWidth; size -= 0.25)
        l.columnFont.setPointSizeF(size - 0.25);
    const QFontMetricsF columnMetrics(l.columnFont, device);
    for (int column = 0; column < columns; ++column)
        l.columnLabelHeight =
            std::max(l.columnLabelHeight, columnMetrics.horizontalAdvance(columnLabel(f, column)));
    l.columnLabelHeight += 6;
    const double captionWidth = metrics.horizontalAdvance(colourBarCaption(f)) + 8;
    const double barWidth =
        std::min(rect.width() - l.labelWidth - 8, metrics.horizontalAdvance(QStringLiteral("0")) * 40);
    const double barBlock =
        metrics.height() * (l.labelWidth + 4 + barWidth + captionWidth > rect.width() ? 3.4 : 2.4);
    const double legendHeight = placeLegend(l, f, rect, 0, metrics);
    const double top = l.title.bottom() + 4 + metrics.height() * 0.6; // group ticks above the cells
    const double bottomSpace = l.columnLabelHeight + barBlock + legendHeight;
    const double rows = double(std::max<qsizetype>(1, f.concepts.size()));
    l.minimumHeight = top - rect.top() + rows * rowMetrics.height() * rowLines * 1.05 + bottomSpace + 2;
    l.cellHeight = std::max(1.0, (rect.bottom() - top - bottomSpace) / rows);
    l.cells = QRectF(rect.left() + l.labelWidth + 4, top, l.cellWidth * columns + l.summaryGap,
                     l.cellHeight * double(f.concepts.size()));
    l.colourBar = QRectF(l.cells.left(), l.cells.bottom() + l.columnLabelHeight + metrics.height() * 0.2,
                         std::min(l.cells.width(), metrics.horizontalAdvance(QStringLiteral("0")) * 40),
                         metrics.height() * 0.7);
    // The colour bar's caption on its right where it fits, else under its ticks.
    const QString caption = colourBarCaption(f);
    l.caption = QRectF(l.colourBar.right() + 6, l.colourBar.top() - 2, metrics.horizontalAdvance(caption) + 2,
                       metrics.height());
    if (l.caption.right() > rect.right())
        l.caption.moveTopLeft(QPointF(l.colourBar.left(), l.colourBar.bottom() + 3 + metrics.height()));
    placeLegend(l, f, rect, l.cells.bottom() + l.columnLabelHeight + barBlock, metrics);
    return l;
}

double cellLeft(const HeatmapLayout& l, const PopulationFigureData& f, int column)
{
    return l.cells.left() + l.cellWidth * column + (column >= f.columns.size() ? l.summaryGap : 0);
}

QColor cellColour(const PopulationFigureData& f, double value)
{
    if (!std::isfinite(value)) return QColor(235, 235, 235);
    const double t = (value - f.low) / (f.high - f.low);
    return QColor(colormapColor(f.diverging ? Colormap::Diverging : Colormap::Viridis, t));
}

} // namespace

void paintConceptModelHeatmap(QPainter& painter, const QRectF& rect, const QFont& font,
                              const PopulationFigureData& f)
{
    QPaintDevice* device = painter.device();
    const HeatmapLayout l = heatmapLayout(f, rect, font, device);
    drawFigureTitle(painter, l.title, font, f.title);
    const QColor text = figureTextColour();
    const QFontMetricsF metrics(font, device);
    const int columns = int(f.columns.size()) + f.summaryColumns;
    painter.setPen(Qt::NoPen);
    for (int c = 0; c < f.concepts.size(); ++c)
        for (int column = 0; column < columns; ++column)
            painter.fillRect(
                QRectF(cellLeft(l, f, column), l.cells.top() + c * l.cellHeight, l.cellWidth, l.cellHeight),
                cellColour(f, f.cell(c, column)));
    // Group ticks over the model columns and the summary columns.
    const double tickHeight = metrics.height() * 0.4;
    for (int column = 0; column < columns; ++column) {
        const int group =
            column < f.columns.size() ? f.columnGroup[size_t(column)] : column - int(f.columns.size());
        if (f.groups.isEmpty() || group < 0) continue; // a model in no group: no strip colour
        painter.fillRect(
            QRectF(cellLeft(l, f, column), l.cells.top() - tickHeight - 1, l.cellWidth, tickHeight),
            groupColour(group));
    }
    painter.setPen(text);
    painter.setFont(l.rowFont);
    for (int c = 0; c < f.concepts.size(); ++c) {
        // Wrapped at its spaces (never elided) should a label be wider than the column even at 5 pt.
        const QRectF label(rect.left(), l.cells.top() + c * l.cellHeight, l.labelWidth - 2, l.cellHeight);
        painter.drawText(label, Qt::AlignRight | Qt::AlignVCenter | Qt::TextWordWrap, f.concepts[c]);
    }
    painter.setFont(l.columnFont);
    const QFontMetricsF columnMetrics(l.columnFont, device);
    for (int column = 0; column < columns; ++column) {
        painter.save();
        painter.translate(cellLeft(l, f, column) + l.cellWidth / 2, l.cells.bottom() + 3);
        painter.rotate(90);
        painter.drawText(QRectF(0, -columnMetrics.height() / 2, l.columnLabelHeight, columnMetrics.height()),
                         Qt::AlignLeft | Qt::AlignVCenter, columnLabel(f, column));
        painter.restore();
    }
    painter.setFont(font);
    // The group strip's legend: the grouping column, then a swatch and each level.
    if (!f.groups.isEmpty())
        painter.drawText(l.legendTitle, Qt::AlignLeft | Qt::AlignVCenter, tr("%1:").arg(f.groupedBy));
    for (size_t g = 0; g < l.legend.size(); ++g) {
        const QRectF& entry = l.legend[g];
        const double swatch = metrics.height() * 0.8;
        painter.fillRect(QRectF(entry.left(), entry.center().y() - swatch / 2, swatch, swatch),
                         groupColour(int(g)));
        painter.drawText(entry.adjusted(swatch + 3, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                         f.groups[int(g)]);
    }
    // Colour bar with ticks; chance marked on the raw scale.
    const int steps = 64;
    for (int s = 0; s < steps; ++s) {
        const double t0 = double(s) / steps;
        painter.fillRect(
            QRectF(l.colourBar.left() + t0 * l.colourBar.width(), l.colourBar.top(),
                   l.colourBar.width() / steps + 0.5, l.colourBar.height()),
            QColor(colormapColor(f.diverging ? Colormap::Diverging : Colormap::Viridis, t0 + 0.5 / steps)));
    }
    const Ticks ticks = niceTicks(
        f.low, f.high, std::max(2, int(l.colourBar.width() / (metrics.horizontalAdvance("0.00") * 2))));
    for (int i = 0; i < ticks.count; ++i) {
        const double v = ticks.value(i);
        if (v < f.low - 1e-12 || v > f.high + 1e-12) continue;
        const double x = l.colourBar.left() + (v - f.low) / (f.high - f.low) * l.colourBar.width();
        painter.drawLine(QPointF(x, l.colourBar.bottom()), QPointF(x, l.colourBar.bottom() + 2));
        painter.drawText(QRectF(x - 30, l.colourBar.bottom() + 2, 60, metrics.height()),
                         Qt::AlignHCenter | Qt::AlignTop, ticks.label(i));
    }
    painter.drawText(l.caption, Qt::AlignLeft | Qt::AlignVCenter, colourBarCaption(f));
}

double conceptModelHeatmapHeight(const PopulationFigureData& figure, double width, const QFont& font,
                                 QPaintDevice* device)
{
    return heatmapLayout(figure, QRectF(0, 0, width, 1), font, device).minimumHeight;
}

std::optional<HeatmapCell> conceptModelHeatmapCellAt(const PopulationFigureData& f, const QRectF& rect,
                                                     const QFont& font, QPaintDevice* device,
                                                     const QPointF& point)
{
    if (f.concepts.isEmpty()) return std::nullopt;
    const HeatmapLayout l = heatmapLayout(f, rect, font, device);
    if (point.y() < l.cells.top() || point.y() >= l.cells.bottom()) return std::nullopt;
    const int concept = int((point.y() - l.cells.top()) / l.cellHeight);
    const int column = int((point.x() - l.cells.left()) / l.cellWidth);
    if (point.x() < l.cells.left() || column < 0 || column >= f.columns.size() ||
        concept >= f.concepts.size())
        return std::nullopt;
    return HeatmapCell{column, concept};
}
