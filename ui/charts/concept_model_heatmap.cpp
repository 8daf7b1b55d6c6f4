#include "charts/concept_model_heatmap.h"

#include "charts/axis_ticks.h"
#include "charts/colormaps.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace {

struct HeatmapLayout
{
    QRectF title, cells, colourBar;
    double cellWidth = 0, cellHeight = 0, summaryGap = 0;
    double labelWidth = 0;
    bool columnLabels = true;
};

HeatmapLayout heatmapLayout(const PopulationFigureData& f, const QRectF& rect, const QFont& font,
                            QPaintDevice* device)
{
    HeatmapLayout l;
    const QFontMetricsF metrics(font, device);
    QFont bold = font;
    bold.setBold(true);
    const QFontMetricsF boldMetrics(bold, device);
    l.title =
        boldMetrics.boundingRect(rect.adjusted(4, 2, -4, 0), Qt::AlignHCenter | Qt::TextWordWrap, f.title);
    for (const QString& concept : f.concepts)
        l.labelWidth = std::max(l.labelWidth, metrics.horizontalAdvance(concept));
    l.labelWidth = std::min(l.labelWidth + 6, rect.width() * 0.3);
    double columnLabelHeight = 0;
    QStringList all = f.columns;
    for (int s = 0; s < f.summaryColumns; ++s)
        all << (f.groups.isEmpty() ? QCoreApplication::translate("ConceptModelHeatmap", "mean")
                                   : f.groups[s]);
    for (const QString& name : all)
        columnLabelHeight = std::max(columnLabelHeight, metrics.horizontalAdvance(name));
    columnLabelHeight = std::min(columnLabelHeight + 6, rect.height() * 0.35);
    const double barHeight = metrics.height() * 2.6;
    const double top = l.title.bottom() + 4 + metrics.height() * 0.6; // group ticks above the cells
    const int columns = int(f.columns.size()) + f.summaryColumns;
    const double available = rect.width() - l.labelWidth - 8;
    l.summaryGap = metrics.height() * 0.5;
    l.cellWidth = std::max(1.0, (available - l.summaryGap) / std::max(1, columns));
    // Column labels only when a label's line fits the column.
    l.columnLabels = l.cellWidth >= metrics.height() * 0.95;
    const double bottomSpace = (l.columnLabels ? columnLabelHeight : 0) + barHeight;
    l.cellHeight =
        std::max(1.0, (rect.bottom() - top - bottomSpace) / std::max<qsizetype>(1, f.concepts.size()));
    l.cells = QRectF(rect.left() + l.labelWidth + 4, top, l.cellWidth * columns + l.summaryGap,
                     l.cellHeight * double(f.concepts.size()));
    l.colourBar = QRectF(l.cells.left(), rect.bottom() - barHeight + metrics.height() * 0.2,
                         std::min(l.cells.width(), metrics.horizontalAdvance(QStringLiteral("0")) * 40),
                         metrics.height() * 0.7);
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
    const QFontMetricsF metrics(font, device);
    const QColor text(40, 40, 40);
    QFont bold = font;
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(text);
    painter.drawText(l.title, Qt::AlignHCenter | Qt::TextWordWrap, f.title);
    painter.setFont(font);
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
        if (f.groups.isEmpty()) continue;
        painter.fillRect(
            QRectF(cellLeft(l, f, column), l.cells.top() - tickHeight - 1, l.cellWidth, tickHeight),
            groupColour(group));
    }
    painter.setPen(text);
    for (int c = 0; c < f.concepts.size(); ++c) {
        const QRectF label(rect.left(), l.cells.top() + c * l.cellHeight, l.labelWidth, l.cellHeight);
        painter.drawText(label, Qt::AlignRight | Qt::AlignVCenter,
                         metrics.elidedText(f.concepts[c], Qt::ElideRight, l.labelWidth - 2));
    }
    if (l.columnLabels)
        for (int column = 0; column < columns; ++column) {
            const QString name =
                column < f.columns.size()
                    ? f.columns[column]
                    : (f.groups.isEmpty() ? QCoreApplication::translate("ConceptModelHeatmap", "mean")
                                          : QCoreApplication::translate("ConceptModelHeatmap", "%1 (mean)")
                                                .arg(f.groups[column - int(f.columns.size())]));
            painter.save();
            painter.translate(cellLeft(l, f, column) + l.cellWidth / 2, l.cells.bottom() + 3);
            painter.rotate(90);
            const double space = l.colourBar.top() - l.cells.bottom() - metrics.height() * 0.4;
            painter.drawText(QRectF(0, -metrics.height() / 2, space, metrics.height()),
                             Qt::AlignLeft | Qt::AlignVCenter,
                             metrics.elidedText(name, Qt::ElideRight, space));
            painter.restore();
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
    const QString legend =
        f.diverging ? QCoreApplication::translate("ConceptModelHeatmap", "accuracy − mean over models")
                    : QCoreApplication::translate("ConceptModelHeatmap", "accuracy (chance 1/3)");
    painter.drawText(QRectF(l.colourBar.right() + 6, l.colourBar.top() - 2,
                            rect.right() - l.colourBar.right() - 6, metrics.height()),
                     Qt::AlignLeft | Qt::AlignVCenter,
                     metrics.elidedText(legend, Qt::ElideRight, rect.right() - l.colourBar.right() - 6));
}

std::optional<std::pair<QString, QString>> conceptModelHeatmapCellAt(const PopulationFigureData& f,
                                                                     const QRectF& rect, const QFont& font,
                                                                     QPaintDevice* device,
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
    return std::make_pair(f.columns[column], f.concepts[concept]);
}
