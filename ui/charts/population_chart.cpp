#include "charts/population_chart.h"

#include "charts/axis_ticks.h"
#include "charts/concept_model_heatmap.h"
#include "charts/figure_title.h"
#include "charts/transfer_matrix.h"

#include <QEvent>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace {

double transformX(double x, bool logX)
{
    return logX ? std::log10(x) : x;
}

// The title (wrapped) above the plot; returns the rectangle left for the plot and its labels.
QRectF drawTitle(QPainter* painter, const QRectF& rect, const QFont& font, const QString& title,
                 QPaintDevice* device)
{
    const QRectF box = figureTitleBox(rect, font, title, device);
    if (painter) drawFigureTitle(*painter, box, font, title);
    return rect.adjusted(0, box.height() + 6, 0, 0);
}

// Least-squares line of y on x over `points` of one group (x transformed as plotted).
bool fitLine(const std::vector<const PopulationPoint*>& points, bool logX, double& slope, double& intercept,
             double& xMin, double& xMax)
{
    if (points.size() < 3) return false;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    xMin = INFINITY, xMax = -INFINITY;
    for (const PopulationPoint* p : points) {
        const double x = transformX(p->x, logX);
        sx += x, sy += p->y, sxx += x * x, sxy += x * p->y;
        xMin = std::min(xMin, x), xMax = std::max(xMax, x);
    }
    const double n = double(points.size()), denominator = n * sxx - sx * sx;
    if (!(std::fabs(denominator) > 1e-12 * std::max(1.0, n * sxx))) return false;
    slope = (n * sxy - sx * sy) / denominator;
    intercept = (sy - slope * sx) / n;
    return true;
}

} // namespace

double PopulationPlotLayout::mapX(double x, bool logX) const
{
    return plot.left() + (transformX(x, logX) - xLow) / (xHigh - xLow) * plot.width();
}

double PopulationPlotLayout::mapY(double y) const
{
    return plot.bottom() - (y - yLow) / (yHigh - yLow) * plot.height();
}

double stripOffset(const PopulationFigureData& figure, size_t index)
{
    // Points of one level spread evenly by their order within the level, centred.
    int before = 0, total = 0;
    for (size_t i = 0; i < figure.points.size(); ++i)
        if (figure.points[i].group == figure.points[index].group) {
            before += i < index;
            ++total;
        }
    return total <= 1 ? 0.0 : 0.3 * (double(before) / double(total - 1) - 0.5);
}

PopulationPlotLayout populationPlotLayout(const PopulationFigureData& figure, const QRectF& rect,
                                          const QFont& font, QPaintDevice* device)
{
    PopulationPlotLayout layout;
    const QFontMetricsF metrics(font, device);
    double yLow = INFINITY, yHigh = -INFINITY, xLow = INFINITY, xHigh = -INFINITY;
    for (const PopulationPoint& p : figure.points) {
        yLow = std::min(yLow, p.yInterval ? std::min(p.y, p.yInterval->low) : p.y);
        yHigh = std::max(yHigh, p.yInterval ? std::max(p.y, p.yInterval->high) : p.y);
        const double x = transformX(p.x, figure.logX);
        xLow = std::min(xLow, p.xInterval ? std::min(x, p.xInterval->low) : x);
        xHigh = std::max(xHigh, p.xInterval ? std::max(x, p.xInterval->high) : x);
    }
    if (figure.identityLine) { // same scale on both axes: the diagonal is the diagonal
        xLow = yLow = std::min(xLow, yLow);
        xHigh = yHigh = std::max(xHigh, yHigh);
    }
    if (figure.view == PopulationView::ByFactor) xLow = -0.5, xHigh = double(figure.groups.size()) - 0.5;
    const double yPad = std::max(1e-6, 0.06 * (yHigh - yLow)), xPad = std::max(1e-6, 0.06 * (xHigh - xLow));
    layout.yLow = yLow - yPad, layout.yHigh = yHigh + yPad;
    layout.xLow = figure.view == PopulationView::ByFactor ? xLow : xLow - xPad;
    layout.xHigh = figure.view == PopulationView::ByFactor ? xHigh : xHigh + xPad;
    const QRectF area = drawTitle(nullptr, rect, font, figure.title, device);
    const double left = metrics.horizontalAdvance(QStringLiteral("0.000")) + metrics.height() * 1.6;
    const double bottom =
        metrics.height() * 2.8 +
        (figure.groups.isEmpty() || figure.view == PopulationView::ByFactor ? 0 : metrics.height());
    layout.plot = area.adjusted(left, 2, -metrics.height(), -bottom);
    layout.radius = std::max(2.0, metrics.height() * 0.28);
    return layout;
}

PopulationChart::PopulationChart(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(360, 260);
}

void PopulationChart::setFigure(PopulationFigureData figure)
{
    m_figure = std::move(figure);
    update();
}

void paintPopulationFigure(QPainter& painter, const QRectF& rect, const QFont& font,
                           const PopulationFigureData& f)
{
    painter.save();
    painter.setFont(font);
    const QColor text(40, 40, 40);
    painter.setPen(text);
    if (!f.message.isEmpty()) {
        painter.drawText(rect.adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, f.message);
        painter.restore();
        return;
    }
    if (f.view == PopulationView::Concepts) {
        paintConceptModelHeatmap(painter, rect, font, f);
        painter.restore();
        return;
    }
    if (f.view == PopulationView::Transfer) {
        paintTransferMatrix(painter, rect, font, f);
        painter.restore();
        return;
    }
    QPaintDevice* device = painter.device();
    const QFontMetricsF metrics(font, device);
    drawTitle(&painter, rect, font, f.title, device);
    const PopulationPlotLayout l = populationPlotLayout(f, rect, font, device);
    // Axes and ticks.
    painter.setPen(QPen(text, 0.8));
    painter.drawLine(l.plot.bottomLeft(), l.plot.bottomRight());
    painter.drawLine(l.plot.bottomLeft(), l.plot.topLeft());
    const Ticks yTicks =
        niceTicks(l.yLow, l.yHigh, std::max(2, int(l.plot.height() / (metrics.height() * 2.2))));
    for (int i = 0; i < yTicks.count; ++i) {
        const double y = l.mapY(yTicks.value(i));
        if (y < l.plot.top() - 0.5 || y > l.plot.bottom() + 0.5) continue;
        painter.setPen(QPen(QColor(225, 225, 225), 0.5));
        painter.drawLine(QPointF(l.plot.left(), y), QPointF(l.plot.right(), y));
        painter.setPen(text);
        painter.drawText(
            QRectF(rect.left(), y - metrics.height() / 2, l.plot.left() - rect.left() - 4, metrics.height()),
            Qt::AlignRight | Qt::AlignVCenter, yTicks.label(i));
    }
    const double tickTop = l.plot.bottom() + 2;
    if (f.view == PopulationView::ByFactor) {
        for (int g = 0; g < f.groups.size(); ++g) {
            const double x = l.mapX(g, false);
            const double width = l.plot.width() / std::max<qsizetype>(1, f.groups.size());
            painter.drawText(QRectF(x - width / 2, tickTop, width, metrics.height()),
                             Qt::AlignHCenter | Qt::AlignTop,
                             metrics.elidedText(f.groups[g], Qt::ElideRight, width - 2));
        }
    } else {
        Ticks xTicks = niceTicks(
            l.xLow, l.xHigh, std::max(2, int(l.plot.width() / (metrics.horizontalAdvance("0.0000") * 1.6))));
        if (f.logX) { // decades only: 1e6, 1e7, ...
            xTicks.step = std::max(1.0, std::ceil(xTicks.step));
            xTicks.first = std::ceil(l.xLow / xTicks.step) * xTicks.step;
            xTicks.count = int(std::floor((l.xHigh - xTicks.first) / xTicks.step)) + 1;
            xTicks.decimals = 0;
        }
        const bool large = std::max(std::fabs(l.xLow), std::fabs(l.xHigh)) >= 1e5 && !f.logX;
        for (int i = 0; i < xTicks.count; ++i) {
            const double value = xTicks.value(i);
            const double x = l.plot.left() + (value - l.xLow) / (l.xHigh - l.xLow) * l.plot.width();
            if (x < l.plot.left() - 0.5 || x > l.plot.right() + 0.5) continue;
            painter.setPen(QPen(QColor(225, 225, 225), 0.5));
            painter.drawLine(QPointF(x, l.plot.top()), QPointF(x, l.plot.bottom()));
            painter.setPen(text);
            const QString label = f.logX  ? QStringLiteral("1e%1").arg(xTicks.label(i))
                                  : large ? QString::number(value, 'g', 3)
                                          : xTicks.label(i);
            painter.drawText(QRectF(x - 40, tickTop, 80, metrics.height()), Qt::AlignHCenter | Qt::AlignTop,
                             label);
        }
    }
    painter.drawText(
        QRectF(l.plot.left(), tickTop + metrics.height(), l.plot.width(), metrics.height() * 1.2),
        Qt::AlignHCenter | Qt::AlignVCenter, f.logX ? QObject::tr("%1 (log scale)").arg(f.xLabel) : f.xLabel);
    painter.save();
    painter.translate(rect.left() + metrics.height() * 0.6, l.plot.center().y());
    painter.rotate(-90);
    painter.drawText(
        QRectF(-l.plot.height() / 2, -metrics.height() * 0.6, l.plot.height(), metrics.height() * 1.2),
        Qt::AlignCenter, metrics.elidedText(f.yLabel, Qt::ElideRight, l.plot.height()));
    painter.restore();
    painter.setClipRect(l.plot.adjusted(-l.radius, -l.radius, l.radius, l.radius));
    if (f.identityLine) {
        painter.setPen(QPen(QColor(150, 150, 150), 0.8, Qt::DashLine));
        const double low = std::max(l.xLow, l.yLow), high = std::min(l.xHigh, l.yHigh);
        painter.drawLine(QPointF(l.mapX(low, false), l.mapY(low)),
                         QPointF(l.mapX(high, false), l.mapY(high)));
    }
    const int groupCount = std::max<int>(1, int(f.groups.size()));
    if (f.view == PopulationView::Scatter)
        for (int g = f.groups.isEmpty() ? -1 : 0; g < (f.groups.isEmpty() ? 0 : groupCount); ++g) {
            std::vector<const PopulationPoint*> members;
            for (const PopulationPoint& p : f.points)
                if (p.group == g) members.push_back(&p);
            double slope = 0, intercept = 0, xMin = 0, xMax = 0;
            if (!fitLine(members, f.logX, slope, intercept, xMin, xMax)) continue;
            painter.setPen(QPen(groupColour(g), 1.0));
            auto at = [&](double x) {
                return QPointF(l.plot.left() + (x - l.xLow) / (l.xHigh - l.xLow) * l.plot.width(),
                               l.mapY(intercept + slope * x));
            };
            painter.drawLine(at(xMin), at(xMax));
        }
    if (f.view == PopulationView::ByFactor) // box per level: quartiles and median, whiskers to the extremes
        for (int g = 0; g < f.groups.size(); ++g) {
            std::vector<double> values;
            for (const PopulationPoint& p : f.points)
                if (p.group == g) values.push_back(p.y);
            if (values.empty()) continue;
            std::sort(values.begin(), values.end());
            auto quantile = [&](double q) {
                const double position = q * double(values.size() - 1);
                const size_t below = size_t(std::floor(position));
                const size_t above = std::min(values.size() - 1, below + 1);
                return values[below] + (position - double(below)) * (values[above] - values[below]);
            };
            const double x = l.mapX(g, false), half = 0.22 * l.plot.width() / double(f.groups.size());
            painter.setPen(QPen(groupColour(g).darker(130), 0.8));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(
                QRectF(QPointF(x - half, l.mapY(quantile(0.75))), QPointF(x + half, l.mapY(quantile(0.25)))));
            painter.drawLine(QPointF(x - half, l.mapY(quantile(0.5))),
                             QPointF(x + half, l.mapY(quantile(0.5))));
            painter.drawLine(QPointF(x, l.mapY(values.back())), QPointF(x, l.mapY(quantile(0.75))));
            painter.drawLine(QPointF(x, l.mapY(values.front())), QPointF(x, l.mapY(quantile(0.25))));
        }
    for (size_t i = 0; i < f.points.size(); ++i) {
        const PopulationPoint& p = f.points[i];
        const double x =
            f.view == PopulationView::ByFactor ? l.mapX(p.x + stripOffset(f, i), false) : l.mapX(p.x, f.logX);
        const double y = l.mapY(p.y);
        const QColor colour = groupColour(p.group);
        painter.setPen(QPen(colour.lighter(120), 0.7));
        if (p.yInterval)
            painter.drawLine(QPointF(x, l.mapY(p.yInterval->low)), QPointF(x, l.mapY(p.yInterval->high)));
        if (p.xInterval)
            painter.drawLine(QPointF(l.mapX(p.xInterval->low, false), y),
                             QPointF(l.mapX(p.xInterval->high, false), y));
        painter.setPen(QPen(colour.darker(140), 0.6));
        painter.setBrush(colour);
        painter.drawEllipse(QPointF(x, y), l.radius, l.radius);
    }
    // Group means with their bootstrap intervals (by factor), beside the points: a diamond and whiskers.
    for (size_t g = 0; f.view == PopulationView::ByFactor && g < f.groupMean.size(); ++g) {
        if (!std::isfinite(f.groupMean[g])) continue;
        const double x =
            l.mapX(double(g), false) + 0.3 * l.plot.width() / double(std::max<qsizetype>(1, f.groups.size()));
        painter.setPen(QPen(text, 1.0));
        if (std::isfinite(f.groupLow[g]) && std::isfinite(f.groupHigh[g]))
            painter.drawLine(QPointF(x, l.mapY(f.groupLow[g])), QPointF(x, l.mapY(f.groupHigh[g])));
        const double y = l.mapY(f.groupMean[g]), r = l.radius * 1.3;
        painter.setBrush(Qt::white);
        painter.drawPolygon(
            QPolygonF({QPointF(x, y - r), QPointF(x + r, y), QPointF(x, y + r), QPointF(x - r, y)}));
    }
    // The model clicked last.
    for (size_t i = 0; !f.highlighted.isEmpty() && i < f.points.size(); ++i) {
        const PopulationPoint& p = f.points[i];
        if (p.model != f.highlighted) continue;
        const double x =
            f.view == PopulationView::ByFactor ? l.mapX(p.x + stripOffset(f, i), false) : l.mapX(p.x, f.logX);
        painter.setPen(QPen(text, 1.2));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(QPointF(x, l.mapY(p.y)), l.radius * 2, l.radius * 2);
    }
    painter.setClipping(false);
    painter.setBrush(Qt::NoBrush);
    // Legend (groups) under the axis label; the models left out are said by the page and the CLI.
    double y = tickTop + metrics.height() * 2.3;
    if (!f.groups.isEmpty() && f.view == PopulationView::Scatter) {
        double x = l.plot.left();
        for (int g = 0; g < f.groups.size(); ++g) {
            if (std::none_of(f.points.begin(), f.points.end(),
                             [g](const PopulationPoint& p) { return p.group == g; }))
                continue;
            const double width = metrics.horizontalAdvance(f.groups[g]) + l.radius * 2 + 12;
            if (x + width > rect.right() && x > l.plot.left()) break; // the rest would not fit
            painter.setPen(QPen(groupColour(g).darker(140), 0.6));
            painter.setBrush(groupColour(g));
            painter.drawEllipse(QPointF(x + l.radius, y + metrics.height() / 2), l.radius, l.radius);
            painter.setBrush(Qt::NoBrush);
            painter.setPen(text);
            painter.drawText(QRectF(x + l.radius * 2 + 3, y, width, metrics.height()),
                             Qt::AlignLeft | Qt::AlignVCenter, f.groups[g]);
            x += width;
        }
        y += metrics.height();
    }
    painter.restore();
}

FigurePainter PopulationChart::figure() const
{
    return [this](QPainter& painter, const QRectF& rect, const FigureStyle& style) {
        painter.fillRect(rect, Qt::white);
        paintPopulationFigure(painter, rect, style.font(), m_figure);
    };
}

FigurePainter populationFigure(PopulationFigureData figure)
{
    return [figure = std::move(figure)](QPainter& painter, const QRectF& rect, const FigureStyle& style) {
        painter.fillRect(rect, Qt::white);
        paintPopulationFigure(painter, rect, style.font(), figure);
    };
}

double populationFigureHeightMm(const PopulationFigureData& figure, const FigureStyle& style)
{
    double points = 0;
    if (figure.message.isEmpty() && figure.view == PopulationView::Concepts)
        points = conceptModelHeatmapHeight(figure, style.widthPoints(), style.font(), &pointDevice());
    if (figure.message.isEmpty() && figure.view == PopulationView::Transfer)
        points = transferMatrixHeight(figure, style.widthPoints(), style.font(), &pointDevice());
    return points / 72.0 * 25.4;
}

PopulationChart::Hit PopulationChart::hitAt(const QPointF& point) const
{
    const PopulationFigureData& f = m_figure;
    if (!f.message.isEmpty()) return {};
    if (f.view == PopulationView::Transfer) return {};
    if (f.view == PopulationView::Concepts) {
        const auto cell =
            conceptModelHeatmapCellAt(f, QRectF(rect()), font(), const_cast<PopulationChart*>(this), point);
        if (!cell) return {};
        return {f.columnModels[size_t(cell->column)], cell->concept,
                f.columns[cell->column] + QStringLiteral(" · ") + f.concepts[cell->concept]};
    }
    const PopulationPlotLayout l =
        populationPlotLayout(f, QRectF(rect()), font(), const_cast<PopulationChart*>(this));
    double best = (l.radius + 3) * (l.radius + 3);
    Hit hit;
    for (size_t i = 0; i < f.points.size(); ++i) {
        const PopulationPoint& p = f.points[i];
        const double x =
            f.view == PopulationView::ByFactor ? l.mapX(p.x + stripOffset(f, i), false) : l.mapX(p.x, f.logX);
        const double dx = x - point.x(), dy = l.mapY(p.y) - point.y();
        if (dx * dx + dy * dy <= best) best = dx * dx + dy * dy, hit = {p.modelIndex, -1, p.model};
    }
    return hit;
}

void PopulationChart::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), palette().base());
    paintPopulationFigure(painter, QRectF(rect()), font(), m_figure);
}

void PopulationChart::mousePressEvent(QMouseEvent* event)
{
    const Hit hit = hitAt(event->position());
    if (hit.model < 0) return;
    if (hit.concept < 0)
        Q_EMIT modelClicked(hit.model);
    else
        Q_EMIT cellClicked(hit.model, hit.concept);
}

void PopulationChart::setToolTipText(std::function<QString(const Hit& hit)> text)
{
    m_toolTipText = std::move(text);
}

QString PopulationChart::toolTipAt(const QPointF& point) const
{
    const Hit hit = hitAt(point);
    if (hit.model < 0) return {};
    return m_toolTipText ? m_toolTipText(hit) : hit.text;
}

bool PopulationChart::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}
