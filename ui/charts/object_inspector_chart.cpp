#include "charts/object_inspector_chart.h"

#include "charts/figure_title.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace {

constexpr double kSmallestPoints = 5.0;
const QColor kSharedColour(214, 110, 0); // the frame of a neighbour in both lists

QFont scaled(const QFont& font, double factor)
{
    QFont out = font;
    if (font.pointSizeF() > 0) out.setPointSizeF(std::max(kSmallestPoints, font.pointSizeF() * factor));
    return out;
}

QFont bold(const QFont& font)
{
    QFont out = font;
    out.setBold(true);
    return out;
}

double textHeight(const QFont& font, QPaintDevice* device, double width, const QString& text)
{
    return QFontMetricsF(font, device)
        .boundingRect(QRectF(0, 0, width, 1e6), Qt::TextWordWrap, text)
        .height();
}

// The largest font (from `font` down to 5 pt) in which every word of `texts` fits `width`: names wrap at
// spaces, and a word wider than its cell makes the font smaller instead of being cut.
QFont fittingFont(const QFont& font, QPaintDevice* device, double width, const QStringList& texts)
{
    QFont out = font;
    for (;;) {
        const QFontMetricsF metrics(out, device);
        double widest = 0;
        for (const QString& text : texts)
            for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts))
                widest = std::max(widest, metrics.horizontalAdvance(word));
        if (widest <= width || out.pointSizeF() <= kSmallestPoints || out.pointSizeF() <= 0) return out;
        out.setPointSizeF(std::max(kSmallestPoints, out.pointSizeF() - 0.25));
    }
}

struct NeighbourGrid
{
    QRectF heading;
    QFont nameFont;
    std::vector<QRectF> thumbnails, names;
    double bottom = 0;
};

struct InspectorLayout
{
    QRectF title, image;
    QFont factFont, conceptFont, headingFont;
    std::vector<QRectF> facts;
    std::vector<QRectF> conceptLabels, conceptBars;
    double conceptValueWidth = 0;
    NeighbourGrid grids[2];
    QRectF key; // "framed: in both lists"
    double bottom = 0;
};

NeighbourGrid gridLayout(const ObjectInspectorFigure& f,
                         const std::vector<ObjectInspectorFigure::Neighbour>& list, const QString& heading,
                         const QFont& headingFont, const QFont& font, QPaintDevice* device, double left,
                         double top, double width)
{
    NeighbourGrid g;
    const double line = QFontMetricsF(font, device).height();
    g.heading = QRectF(left, top, width, textHeight(headingFont, device, width, heading));
    double y = g.heading.bottom() + line * 0.3;
    if (list.empty()) {
        g.bottom = y;
        return g;
    }
    const int columns = f.withImages ? std::clamp(int(width / (5.0 * line)), 1, 10)
                                     : std::clamp(int(width / (9.0 * line)), 1, 5);
    const double cell = width / columns;
    const double thumbnail = f.withImages ? std::min(cell - line * 0.5, line * 7) : 0;
    QStringList names;
    for (const auto& n : list)
        names << n.name;
    // Measured in bold: the shared names are drawn bold.
    g.nameFont = fittingFont(bold(scaled(font, 0.85)), device, cell - 3, names);
    g.nameFont.setBold(false);
    const QFont boldName = bold(g.nameFont);
    for (size_t first = 0; first < list.size(); first += size_t(columns)) {
        double nameHeight = 0;
        const size_t end = std::min(list.size(), first + size_t(columns));
        for (size_t i = first; i < end; ++i) // bold names (the shared ones) are the widest
            nameHeight = std::max(nameHeight, textHeight(boldName, device, cell - 3, list[i].name));
        for (size_t i = first; i < end; ++i) {
            const double x = left + double(i - first) * cell;
            g.thumbnails.emplace_back(x + (cell - thumbnail) / 2, y, thumbnail, thumbnail);
            g.names.emplace_back(x + 1.5, y + thumbnail + (thumbnail > 0 ? line * 0.15 : 0), cell - 3,
                                 nameHeight);
        }
        y += thumbnail + (thumbnail > 0 ? line * 0.15 : 0) + nameHeight + line * 0.35;
    }
    g.bottom = y;
    return g;
}

InspectorLayout inspectorLayout(const ObjectInspectorFigure& f, const QRectF& rect, const QFont& font,
                                QPaintDevice* device)
{
    InspectorLayout l;
    const double line = QFontMetricsF(font, device).height();
    l.title = figureTitleBox(rect, font, f.title, device);
    const double top = l.title.bottom() + line * 0.4;
    const double side = f.withImages ? std::clamp(rect.width() * 0.2, line * 3, line * 9) : 0;
    l.image = QRectF(rect.left() + 4, top, side, side);
    const double textLeft = rect.left() + 4 + (side > 0 ? side + line * 0.6 : 0);
    const double textWidth = std::max(line * 4, rect.right() - 4 - textLeft);
    l.factFont = fittingFont(scaled(font, 0.9), device, textWidth, f.facts); // a model name is one long word
    double y = top;
    for (const QString& fact : f.facts) {
        const double h = textHeight(l.factFont, device, textWidth, fact);
        l.facts.emplace_back(textLeft, y, textWidth, h);
        y += h + line * 0.1;
    }
    if (!f.concepts.empty()) {
        y += line * 0.3;
        const double labelWidth = textWidth * 0.5;
        QStringList labels;
        for (const auto& c : f.concepts)
            labels << c.label;
        l.conceptFont = fittingFont(scaled(font, 0.85), device, labelWidth - 4, labels);
        l.conceptValueWidth =
            QFontMetricsF(l.conceptFont, device).horizontalAdvance(QStringLiteral("0.00")) + 4;
        for (const auto& c : f.concepts) {
            const double h = std::max(QFontMetricsF(l.conceptFont, device).height(),
                                      textHeight(l.conceptFont, device, labelWidth - 4, c.label));
            l.conceptLabels.emplace_back(textLeft, y, labelWidth - 4, h);
            l.conceptBars.emplace_back(textLeft + labelWidth, y, textWidth - labelWidth - l.conceptValueWidth,
                                       h);
            y += h + line * 0.15;
        }
    }
    y = std::max(y, l.image.bottom()) + line * 0.6;
    l.headingFont =
        fittingFont(bold(scaled(font, 0.9)), device, rect.width() - 8, {f.modelHeading, f.humanHeading});
    const double width = rect.width() - 8;
    l.grids[0] =
        gridLayout(f, f.model, f.modelHeading, l.headingFont, font, device, rect.left() + 4, y, width);
    if (!f.human.empty() || !f.humanHeading.isEmpty())
        l.grids[1] = gridLayout(f, f.human, f.humanHeading, l.headingFont, font, device, rect.left() + 4,
                                l.grids[0].bottom + line * 0.2, width);
    else
        l.grids[1].bottom = l.grids[0].bottom;
    const bool anyShared =
        std::any_of(f.model.begin(), f.model.end(), [](const auto& n) { return n.shared; });
    if (anyShared) {
        l.key = QRectF(rect.left() + 4, l.grids[1].bottom, width,
                       QFontMetricsF(l.factFont, device).height() * 1.2);
        l.bottom = l.key.bottom() + 2;
    } else {
        l.bottom = l.grids[1].bottom + 2;
    }
    return l;
}

void drawGrid(QPainter& painter, const ObjectInspectorFigure& f,
              const std::vector<ObjectInspectorFigure::Neighbour>& list, const QString& heading,
              const NeighbourGrid& g, const QFont& headingFont)
{
    painter.setPen(figureTextColour());
    painter.setFont(headingFont);
    painter.drawText(g.heading, Qt::AlignLeft | Qt::TextWordWrap, heading);
    for (size_t i = 0; i < list.size() && i < g.names.size(); ++i) {
        const auto& n = list[i];
        const QRectF box = g.thumbnails[i];
        if (f.withImages) {
            if (!n.image.isNull()) {
                const QSizeF size = QSizeF(n.image.size()).scaled(box.size(), Qt::KeepAspectRatio);
                painter.drawImage(QRectF(box.center() - QPointF(size.width(), size.height()) / 2, size),
                                  n.image);
            } else {
                painter.fillRect(box, QColor(235, 235, 235));
            }
            if (n.shared) {
                painter.setPen(QPen(kSharedColour, std::max(1.5, box.width() / 30)));
                painter.setBrush(Qt::NoBrush);
                painter.drawRect(box);
            }
        }
        painter.setPen(n.shared ? kSharedColour.darker(130) : figureTextColour());
        painter.setFont(n.shared ? bold(g.nameFont) : g.nameFont);
        painter.drawText(g.names[i], Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, n.name);
    }
}

} // namespace

void paintObjectInspector(QPainter& painter, const QRectF& rect, const QFont& font,
                          const ObjectInspectorFigure& f)
{
    painter.save();
    if (!f.message.isEmpty()) {
        painter.setFont(font);
        painter.setPen(figureTextColour());
        painter.drawText(rect.adjusted(4, 4, -4, -4), Qt::AlignCenter | Qt::TextWordWrap, f.message);
        painter.restore();
        return;
    }
    const InspectorLayout l = inspectorLayout(f, rect, font, painter.device());
    drawFigureTitle(painter, l.title, font, f.title);
    if (f.withImages) {
        if (!f.image.isNull()) {
            const QSizeF size = QSizeF(f.image.size()).scaled(l.image.size(), Qt::KeepAspectRatio);
            painter.drawImage(QRectF(l.image.center() - QPointF(size.width(), size.height()) / 2, size),
                              f.image);
        } else {
            painter.fillRect(l.image, QColor(235, 235, 235));
        }
    }
    painter.setPen(figureTextColour());
    painter.setFont(l.factFont);
    for (size_t i = 0; i < l.facts.size(); ++i)
        painter.drawText(l.facts[i], Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, f.facts[i]);
    double strongest = 0;
    for (const auto& c : f.concepts)
        strongest = std::max(strongest, c.value);
    painter.setFont(l.conceptFont);
    for (size_t i = 0; i < f.concepts.size(); ++i) {
        painter.setPen(figureTextColour());
        painter.drawText(l.conceptLabels[i], Qt::AlignRight | Qt::AlignVCenter | Qt::TextWordWrap,
                         f.concepts[i].label);
        const QRectF track = l.conceptBars[i];
        const double barHeight =
            std::min(track.height(), QFontMetricsF(l.conceptFont, painter.device()).height()) * 0.7;
        const double length = strongest > 0 ? track.width() * f.concepts[i].value / strongest : 0;
        const QRectF bar(track.left(), track.center().y() - barHeight / 2, length, barHeight);
        painter.fillRect(bar, QColor(90, 120, 170));
        painter.drawText(QRectF(bar.right() + 3, track.top(), l.conceptValueWidth, track.height()),
                         Qt::AlignLeft | Qt::AlignVCenter, QString::number(f.concepts[i].value, 'f', 2));
    }
    drawGrid(painter, f, f.model, f.modelHeading, l.grids[0], l.headingFont);
    drawGrid(painter, f, f.human, f.humanHeading, l.grids[1], l.headingFont);
    if (!l.key.isEmpty()) {
        const double side = l.key.height() * 0.6;
        const QRectF mark(l.key.left(), l.key.center().y() - side / 2, side, side);
        painter.setPen(QPen(kSharedColour, 1.5));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(mark);
        painter.setPen(figureTextColour());
        painter.setFont(l.factFont);
        painter.drawText(
            l.key.adjusted(side + 4, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
            QCoreApplication::translate("ObjectInspectorChart", "framed and in bold: in both lists"));
    }
    painter.restore();
}

double objectInspectorHeight(const ObjectInspectorFigure& figure, double width, const QFont& font,
                             QPaintDevice* device)
{
    if (!figure.message.isEmpty()) return QFontMetricsF(font, device).height() * 4;
    return inspectorLayout(figure, QRectF(0, 0, width, 1e6), font, device).bottom;
}

ObjectInspectorChart::ObjectInspectorChart(QWidget* parent) : QWidget(parent)
{
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setMinimumWidth(240);
}

void ObjectInspectorChart::setFigure(ObjectInspectorFigure figure)
{
    m_figure = std::move(figure);
    updateGeometry();
    update();
}

int ObjectInspectorChart::heightForWidth(int width) const
{
    return int(
        std::ceil(objectInspectorHeight(m_figure, width, font(), const_cast<ObjectInspectorChart*>(this))));
}

QSize ObjectInspectorChart::sizeHint() const
{
    return QSize(360, heightForWidth(360));
}

void ObjectInspectorChart::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), palette().base());
    paintObjectInspector(painter, QRectF(rect()), font(), m_figure);
}
