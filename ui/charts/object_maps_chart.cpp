#include "charts/object_maps_chart.h"

#include "charts/figure_title.h"
#include "figures/population_figure.h"

#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace {

struct MapsLayout
{
    QRectF title, panels[2], legend;
    double radius = 2;
    // Per panel: the map's units to the panel (the same scale on both axes, centred).
    double scale[2] = {1, 1};
    QPointF centre[2], middle[2];
    QPointF map(int panel, const QPointF& p) const
    {
        return middle[panel] + QPointF((p.x() - centre[panel].x()) * scale[panel],
                                       -(p.y() - centre[panel].y()) * scale[panel]);
    }
};

MapsLayout mapsLayout(const ObjectMapsFigure& f, const QRectF& rect, const QFont& font, QPaintDevice* device)
{
    MapsLayout l;
    const QFontMetricsF metrics(font, device);
    l.title = figureTitleBox(rect, font, f.title, device);
    const double legendHeight =
        f.legend.isEmpty() ? 0 : metrics.height() * 1.4 * std::ceil(f.legend.size() / 4.0);
    const double top = l.title.bottom() + 4 + metrics.height() * 1.2; // the panels' own titles
    const double bottom = rect.bottom() - legendHeight - 4;
    const double gap = metrics.height();
    const double width = (rect.width() - gap) / 2;
    for (int p = 0; p < 2; ++p)
        l.panels[p] = QRectF(rect.left() + p * (width + gap), top, width, std::max(10.0, bottom - top));
    l.legend = QRectF(rect.left(), bottom + 4, rect.width(), legendHeight);
    l.radius = std::clamp(std::min(width, bottom - top) / 120.0, 1.2, 3.5);
    for (int p = 0; p < 2; ++p) {
        const std::vector<QPointF>& points = p == 0 ? f.left : f.right;
        if (points.empty()) continue;
        double minX = points.front().x(), maxX = minX, minY = points.front().y(), maxY = minY;
        for (const QPointF& q : points) {
            minX = std::min(minX, q.x()), maxX = std::max(maxX, q.x());
            minY = std::min(minY, q.y()), maxY = std::max(maxY, q.y());
        }
        const QRectF inner = l.panels[p].adjusted(l.radius + 2, l.radius + 2, -l.radius - 2, -l.radius - 2);
        const double spanX = std::max(maxX - minX, 1e-12), spanY = std::max(maxY - minY, 1e-12);
        l.scale[p] = std::min(inner.width() / spanX, inner.height() / spanY);
        l.centre[p] = QPointF((minX + maxX) / 2, (minY + maxY) / 2);
        l.middle[p] = inner.center();
    }
    return l;
}

} // namespace

void paintObjectMaps(QPainter& painter, const QRectF& rect, const QFont& font, const ObjectMapsFigure& f,
                     int hovered)
{
    drawFigureTitle(painter, figureTitleBox(rect, font, f.title, painter.device()), font, f.title);
    if (!f.message.isEmpty()) {
        painter.drawText(rect, Qt::AlignCenter | Qt::TextWordWrap, f.message);
        return;
    }
    const MapsLayout l = mapsLayout(f, rect, font, painter.device());
    const QFontMetricsF metrics(font, painter.device());
    for (int p = 0; p < 2; ++p) {
        const std::vector<QPointF>& points = p == 0 ? f.left : f.right;
        painter.setPen(figureTextColour());
        painter.drawText(
            QRectF(l.panels[p].left(), l.panels[p].top() - metrics.height() * 1.2, l.panels[p].width(),
                   metrics.height()),
            Qt::AlignHCenter | Qt::AlignBottom,
            metrics.elidedText(p == 0 ? f.leftTitle : f.rightTitle, Qt::ElideMiddle, l.panels[p].width()));
        painter.setPen(QPen(QColor(200, 200, 200), 0.6));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(l.panels[p]);
        painter.setPen(Qt::NoPen);
        for (size_t s = 0; s < points.size(); ++s) {
            painter.setBrush(groupColour(f.colour[s]));
            painter.drawEllipse(l.map(p, points[s]), l.radius, l.radius);
        }
        // The inspected and the hovered object, ringed in both maps.
        for (int ringed : {f.highlighted, hovered}) {
            if (ringed < 0 || size_t(ringed) >= points.size()) continue;
            painter.setPen(QPen(figureTextColour(), 1.2));
            painter.setBrush(Qt::NoBrush);
            painter.drawEllipse(l.map(p, points[size_t(ringed)]), l.radius * 2.4, l.radius * 2.4);
            painter.setPen(Qt::NoPen);
        }
    }
    // Legend: the top concept dimensions, four to a row.
    const double entryWidth = l.legend.width() / 4;
    for (int i = 0; i < f.legend.size(); ++i) {
        const QRectF entry(l.legend.left() + (i % 4) * entryWidth,
                           l.legend.top() + (i / 4) * metrics.height() * 1.4, entryWidth,
                           metrics.height() * 1.4);
        painter.setPen(Qt::NoPen);
        painter.setBrush(groupColour(i));
        painter.drawEllipse(QPointF(entry.left() + l.radius + 2, entry.center().y()), l.radius + 1,
                            l.radius + 1);
        painter.setPen(figureTextColour());
        painter.drawText(entry.adjusted(2 * l.radius + 8, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                         metrics.elidedText(f.legend[i], Qt::ElideRight, entryWidth - 2 * l.radius - 10));
    }
}

QPointF objectMapsPointOf(const ObjectMapsFigure& f, const QRectF& rect, const QFont& font,
                          QPaintDevice* device, int panel, int object)
{
    const MapsLayout l = mapsLayout(f, rect, font, device);
    return l.map(panel, (panel == 0 ? f.left : f.right)[size_t(object)]);
}

std::optional<int> objectMapsObjectAt(const ObjectMapsFigure& f, const QRectF& rect, const QFont& font,
                                      QPaintDevice* device, const QPointF& point)
{
    if (!f.message.isEmpty()) return std::nullopt;
    const MapsLayout l = mapsLayout(f, rect, font, device);
    for (int p = 0; p < 2; ++p) {
        if (!l.panels[p].contains(point)) continue;
        const std::vector<QPointF>& points = p == 0 ? f.left : f.right;
        double best = (l.radius + 3) * (l.radius + 3);
        std::optional<int> found;
        for (size_t s = 0; s < points.size(); ++s) {
            const QPointF d = l.map(p, points[s]) - point;
            const double distance = d.x() * d.x() + d.y() * d.y();
            if (distance <= best) best = distance, found = int(s);
        }
        return found;
    }
    return std::nullopt;
}

ObjectMapsChart::ObjectMapsChart(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(320, 200);
}

void ObjectMapsChart::setFigure(ObjectMapsFigure figure)
{
    m_figure = std::move(figure);
    m_hovered = -1;
    update();
}

void ObjectMapsChart::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), palette().base());
    paintObjectMaps(painter, QRectF(rect()), font(), m_figure, m_hovered);
}

void ObjectMapsChart::mouseMoveEvent(QMouseEvent* event)
{
    const std::optional<int> object =
        objectMapsObjectAt(m_figure, QRectF(rect()), font(), this, event->position());
    const int hovered = object.value_or(-1);
    if (hovered == m_hovered) return;
    m_hovered = hovered;
    update();
    if (object)
        QToolTip::showText(event->globalPosition().toPoint(), m_figure.names[*object], this);
    else
        QToolTip::hideText();
}

void ObjectMapsChart::mousePressEvent(QMouseEvent* event)
{
    if (const auto object = objectMapsObjectAt(m_figure, QRectF(rect()), font(), this, event->position()))
        Q_EMIT objectClicked(*object);
}

void ObjectMapsChart::leaveEvent(QEvent*)
{
    if (m_hovered < 0) return;
    m_hovered = -1;
    update();
}
