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
    QRectF title, panels[2], panelTitles[2];
    QFont panelTitleFont;
    std::vector<QRectF> legendMarkers, legendTexts; // per legend entry
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

// The legend's entries flow left to right in rows at their own widths (a label wider than the figure
// wraps): every name whole. Returns the legend's height; entries are placed from `top`.
double legendLayout(const ObjectMapsFigure& f, const QRectF& rect, double top, double radius,
                    const QFontMetricsF& metrics, MapsLayout* l)
{
    if (f.legend.isEmpty()) return 0;
    const double marker = 2 * radius + 6, gap = metrics.height() * 0.8;
    double x = rect.left(), y = top, rowHeight = 0;
    for (const QString& label : f.legend) {
        const double textWidth = std::min(metrics.horizontalAdvance(label) + 1, rect.width() - marker);
        const QRectF text = metrics.boundingRect(QRectF(0, 0, textWidth, 1e6), Qt::TextWordWrap, label);
        const double width = marker + textWidth;
        if (x > rect.left() && x + width > rect.right()) {
            x = rect.left();
            y += rowHeight + metrics.height() * 0.2;
            rowHeight = 0;
        }
        const double height = std::max(metrics.height(), text.height());
        if (l) {
            l->legendMarkers.emplace_back(x, y + metrics.height() / 2 - radius - 1, 2 * radius + 2,
                                          2 * radius + 2);
            l->legendTexts.emplace_back(x + marker, y, textWidth, height);
        }
        rowHeight = std::max(rowHeight, height);
        x += width + gap;
    }
    return y + rowHeight - top;
}

// The panels' titles: as large as `font` or as small as 5 pt, so that their longest word fits a panel.
QFont panelTitleFont(const ObjectMapsFigure& f, double width, const QFont& font, QPaintDevice* device)
{
    QFont out = font;
    while (out.pointSizeF() > 5.0) {
        const QFontMetricsF metrics(out, device);
        double widest = 0;
        for (const QString& title : {f.leftTitle, f.rightTitle})
            for (const QString& word : title.split(QLatin1Char(' '), Qt::SkipEmptyParts))
                widest = std::max(widest, metrics.horizontalAdvance(word));
        if (widest <= width) break;
        out.setPointSizeF(std::max(5.0, out.pointSizeF() - 0.25));
    }
    return out;
}

double panelTitleHeight(const ObjectMapsFigure& f, double width, const QFontMetricsF& metrics)
{
    double height = metrics.height();
    for (const QString& title : {f.leftTitle, f.rightTitle})
        height = std::max(height,
                          metrics.boundingRect(QRectF(0, 0, width, 1e6), Qt::TextWordWrap, title).height());
    return height;
}

double pointRadius(double width, double height)
{
    return std::clamp(std::min(width, height) / 120.0, 1.2, 3.5);
}

MapsLayout mapsLayout(const ObjectMapsFigure& f, const QRectF& rect, const QFont& font, QPaintDevice* device)
{
    MapsLayout l;
    const QFontMetricsF metrics(font, device);
    l.title = figureTitleBox(rect, font, f.title, device);
    const double gap = metrics.height();
    // The panels' frames stay a point inside the page (a frame on its edge would be half cut off).
    const double width = (rect.width() - 2 - gap) / 2;
    l.panelTitleFont = panelTitleFont(f, width, font, device);
    const double titles = panelTitleHeight(f, width, QFontMetricsF(l.panelTitleFont, device));
    const double legendHeight = legendLayout(f, rect, 0, pointRadius(width, width), metrics, nullptr);
    const double top = l.title.bottom() + 4 + titles + 2;
    const double bottom = rect.bottom() - legendHeight - (legendHeight > 0 ? 6 : 2);
    for (int p = 0; p < 2; ++p) {
        l.panels[p] = QRectF(rect.left() + 1 + p * (width + gap), top, width, std::max(10.0, bottom - top));
        l.panelTitles[p] = QRectF(l.panels[p].left(), top - titles - 2, width, titles);
    }
    l.radius = pointRadius(width, bottom - top);
    legendLayout(f, rect, l.panels[0].bottom() + 5, l.radius, metrics, &l);
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
        painter.setFont(l.panelTitleFont);
        painter.drawText(l.panelTitles[p], Qt::AlignHCenter | Qt::AlignBottom | Qt::TextWordWrap,
                         p == 0 ? f.leftTitle : f.rightTitle);
        painter.setFont(font);
        painter.setPen(QPen(QColor(200, 200, 200), 0.6));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(l.panels[p]);
        painter.setPen(Qt::NoPen);
        for (size_t s = 0; s < points.size(); ++s) {
            painter.setBrush(groupColour(f.colour[s]));
            painter.drawEllipse(l.map(p, points[s]), l.radius, l.radius);
        }
        // The lasso's objects, outlined on top in both maps.
        painter.setPen(QPen(figureTextColour(), 0.8));
        for (int selected : f.selected) {
            if (selected < 0 || size_t(selected) >= points.size()) continue;
            painter.setBrush(groupColour(f.colour[size_t(selected)]));
            painter.drawEllipse(l.map(p, points[size_t(selected)]), l.radius * 1.3, l.radius * 1.3);
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
    for (int i = 0; i < f.legend.size() && size_t(i) < l.legendTexts.size(); ++i) {
        painter.setPen(Qt::NoPen);
        painter.setBrush(groupColour(i));
        painter.drawEllipse(l.legendMarkers[size_t(i)]);
        painter.setPen(figureTextColour());
        painter.drawText(l.legendTexts[size_t(i)], Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                         f.legend[i]);
    }
}

double objectMapsHeight(const ObjectMapsFigure& f, double width, const QFont& font, QPaintDevice* device)
{
    const QFontMetricsF metrics(font, device);
    const double gap = metrics.height();
    const double panel = (width - gap) / 2;
    // Square panels, at least: the maps are drawn at one scale on both axes.
    return figureTitleBox(QRectF(0, 0, width, 1e6), font, f.title, device).bottom() + 4 +
           panelTitleHeight(f, panel, QFontMetricsF(panelTitleFont(f, panel, font, device), device)) + 2 +
           panel * 0.9 + 6 +
           legendLayout(f, QRectF(0, 0, width, 1e6), 0, pointRadius(panel, panel), metrics, nullptr) + 2;
}

std::vector<int> objectMapsObjectsIn(const ObjectMapsFigure& f, const QRectF& rect, const QFont& font,
                                     QPaintDevice* device, const QPolygonF& lasso)
{
    std::vector<int> inside;
    if (!f.message.isEmpty() || lasso.size() < 3) return inside;
    const MapsLayout l = mapsLayout(f, rect, font, device);
    const QPointF start = lasso.front();
    const int panel = l.panels[0].contains(start) ? 0 : l.panels[1].contains(start) ? 1 : -1;
    if (panel < 0) return inside;
    const std::vector<QPointF>& points = panel == 0 ? f.left : f.right;
    for (size_t s = 0; s < points.size(); ++s)
        if (lasso.containsPoint(l.map(panel, points[s]), Qt::OddEvenFill)) inside.push_back(int(s));
    return inside;
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
    if (m_lasso.size() >= 2) {
        painter.setPen(QPen(palette().highlight().color(), 1, Qt::DashLine));
        painter.setBrush(Qt::NoBrush);
        painter.drawPolygon(m_lasso);
    }
}

void ObjectMapsChart::mouseMoveEvent(QMouseEvent* event)
{
    if (!m_lasso.isEmpty() && (event->buttons() & Qt::LeftButton)) {
        m_lasso << event->position();
        update();
        return;
    }
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
    if (event->button() != Qt::LeftButton) return;
    if (const auto object = objectMapsObjectAt(m_figure, QRectF(rect()), font(), this, event->position())) {
        Q_EMIT objectClicked(*object);
        return;
    }
    m_lasso = QPolygonF({event->position()}); // a drag from an empty spot draws a lasso
}

void ObjectMapsChart::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_lasso.isEmpty() || event->button() != Qt::LeftButton) return;
    const QRectF extent = m_lasso.boundingRect();
    // A click on an empty spot (no drag) clears the selection.
    const bool dragged = m_lasso.size() >= 3 && extent.width() + extent.height() > 6;
    setSelection(dragged ? objectMapsObjectsIn(m_figure, QRectF(rect()), font(), this, m_lasso)
                         : std::vector<int>{});
    m_lasso.clear();
    update();
    Q_EMIT selectionChanged(m_figure.selected);
}

void ObjectMapsChart::setSelection(std::vector<int> objects)
{
    m_figure.selected = std::move(objects);
    update();
}

void ObjectMapsChart::leaveEvent(QEvent*)
{
    if (m_hovered < 0) return;
    m_hovered = -1;
    update();
}
