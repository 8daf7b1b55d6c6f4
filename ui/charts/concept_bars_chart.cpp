#include "charts/concept_bars_chart.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

using namespace alignscope;

namespace {

// Qt Charts' light palette, which the app used before: distinguishable, and readable in greyscale print.
const QColor kModelColours[] = {QColor(0x20, 0x9f, 0xdf), QColor(0x99, 0xca, 0x53), QColor(0xf6, 0xa6, 0x25),
                                QColor(0x6d, 0x5f, 0xd5), QColor(0xbf, 0x59, 0x3e), QColor(0x3b, 0x8e, 0x8e),
                                QColor(0xd0, 0x4f, 0x8f), QColor(0x7f, 0x7f, 0x7f)};
const QColor kChance(120, 120, 120);
const QColor kCeiling(200, 60, 60);
constexpr int kMaxPanels = 3;

QString translate(const char* text)
{
    return QCoreApplication::translate("ConceptBarsChart", text);
}

QColor modelColour(size_t model)
{
    return kModelColours[model % (sizeof(kModelColours) / sizeof(kModelColours[0]))];
}

struct ConceptBarsLayout
{
    struct LegendEntry
    {
        QString text;
        QColor colour;
        bool line = false; // a dashed reference line rather than a model's bar
        QRectF swatch, textRect;
    };
    struct Panel
    {
        QRectF labels, plot; // one row per dimension in both; the x axis below `plot`
        int firstRow = 0, rows = 0;
    };
    QString message;   // shown instead of a chart when there is nothing to draw
    bool fits = false; // every label whole in its row, the axis title within its panel
    QFont titleFont;
    QRectF titleRect;
    std::vector<LegendEntry> legend;
    std::vector<Panel> panels;
    double rowHeight = 0;
    double lineHeight = 0;
    double tickStep = 0.2;
    QFont labelFont; // the row labels' font: smaller than the chart's when rows are short
};

} // namespace

ConceptBarsChart::ConceptBarsChart(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumHeight(300);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void ConceptBarsChart::setAnalysis(std::shared_ptr<const OddOneOutAnalysis> analysis)
{
    m_data.analysis = std::move(analysis);
    rebuild();
}

void ConceptBarsChart::setOrder(Order order)
{
    m_order = order;
    rebuild();
}

int ConceptBarsChart::barSetCount() const
{
    return m_data.dimensions.empty() ? 0 : int(m_data.analysis->models.size());
}

void ConceptBarsChart::rebuild()
{
    m_data.dimensions.clear();
    if (m_data.analysis && !m_data.analysis->models.empty()) {
        for (const auto& concept : m_data.analysis->models.front().perConcept)
            if (concept.triplets > 0) m_data.dimensions.push_back(concept.dimension);
        auto accuracyOf = [&](size_t model, int dimension) {
            return m_data.analysis->models[model].perConcept[size_t(dimension)].accuracy;
        };
        if (m_order == Order::Accuracy)
            std::stable_sort(m_data.dimensions.begin(), m_data.dimensions.end(),
                             [&](int a, int b) { return accuracyOf(0, a) > accuracyOf(0, b); });
        if (m_order == Order::Gap && m_data.analysis->models.size() > 1)
            std::stable_sort(m_data.dimensions.begin(), m_data.dimensions.end(), [&](int a, int b) {
                return accuracyOf(0, a) - accuracyOf(1, a) > accuracyOf(0, b) - accuracyOf(1, b);
            });
    }
    const double line = QFontMetricsF(font()).height();
    const double models = m_data.analysis ? double(m_data.analysis->models.size()) : 1;
    setMinimumHeight(
        std::max(300, int(double(m_data.dimensions.size()) * std::max(line * 1.2, models * 5.0) + 8 * line)));
    update();
}

namespace {

ConceptBarsLayout barsLayout(const ConceptBarsData& d, const QRectF& rect, const QFont& font,
                             QPaintDevice* device)
{
    ConceptBarsLayout out;
    // Measured on the device painted on: points for figures (72 dpi), pixels on screen.
    const QFontMetricsF metrics(font, device);
    const double line = out.lineHeight = metrics.height();
    const double pad = 0.5 * line;
    if (d.dimensions.empty()) {
        out.message = translate("Per-concept accuracy needs a concept space (e.g. the VICE embedding)");
        return out;
    }
    const QRectF inner = rect.adjusted(pad, pad, -pad, -pad);
    // Title: wraps instead of being cut.
    out.titleFont = font;
    out.titleFont.setBold(true);
    const QRectF titleText =
        QFontMetricsF(out.titleFont, device)
            .boundingRect(QRectF(0, 0, inner.width(), 1e6), Qt::AlignHCenter | Qt::TextWordWrap,
                          translate("Odd-one-out accuracy per concept dimension"));
    out.titleRect = QRectF(inner.left(), inner.top(), inner.width(), titleText.height());
    // Legend: every model's full name and the two reference lines, flowing into rows (a name longer than the
    // width wraps in its own row).
    for (size_t m = 0; m < d.analysis->models.size(); ++m)
        out.legend.push_back(
            {QString::fromStdString(d.analysis->models[m].name), modelColour(m), false, {}, {}});
    out.legend.push_back({translate("chance"), kChance, true, {}, {}});
    if (d.analysis->repeats.noiseCeiling)
        out.legend.push_back({translate("noise ceiling"), kCeiling, true, {}, {}});
    const double swatch = 0.8 * line, gap = 1.2 * line;
    std::vector<double> heights;
    double x = inner.left(), y = 0, rowHeight = line;
    for (auto& entry : out.legend) {
        const double maxText = inner.width() - swatch - 0.4 * line;
        QRectF text = metrics.boundingRect(QRectF(0, 0, maxText, 1e6), Qt::TextWordWrap, entry.text);
        const double width = swatch + 0.4 * line + text.width();
        if (x > inner.left() && x + width > inner.right()) { // next row
            y += rowHeight + 0.2 * line;
            x = inner.left();
            rowHeight = line;
        }
        entry.swatch = QRectF(x, y + (line - swatch) / 2, swatch, swatch);
        entry.textRect = QRectF(x + swatch + 0.4 * line, y, text.width() + 1, text.height());
        rowHeight = std::max(rowHeight, text.height());
        x += width + gap;
    }
    const double legendHeight = y + rowHeight;
    const double legendTop = inner.bottom() - legendHeight;
    for (auto& entry : out.legend) {
        entry.swatch.translate(0, legendTop);
        entry.textRect.translate(0, legendTop);
    }
    // Plot rows between the title and the axis (tick labels + axis title) above the legend.
    const double top = out.titleRect.bottom() + pad;
    const double bottom = legendTop - pad - 2.35 * line;
    const double height = std::max(line, bottom - top);
    const int rows = int(d.dimensions.size());
    auto labelOf = [&](int dimension) {
        return QString::fromStdString(d.analysis->models.front().perConcept[size_t(dimension)].label);
    };
    auto scaled = [&font](double scale) {
        QFont f = font;
        if (scale < 1) {
            if (font.pointSizeF() > 0)
                f.setPointSizeF(font.pointSizeF() * scale);
            else
                f.setPixelSize(std::max(1, int(font.pixelSize() * scale)));
        }
        return f;
    };
    auto widestIn = [&](const QFont& f) {
        const QFontMetricsF m(f, device);
        double widest = 0;
        for (int d : d.dimensions)
            widest = std::max(widest, m.horizontalAdvance(labelOf(d)));
        return widest;
    };
    const double panelGap = 1.5 * line;
    auto labelWidthFor = [&](const QFont& f, double panelWidth, double share) {
        return std::min(widestIn(f) + 0.5 * line, share * panelWidth);
    };
    // Every label, wrapped at the label column's width, within its row?
    auto labelsFit = [&](const QFont& f, double panelWidth, double share, double rowHeight) {
        const QFontMetricsF m(f, device);
        const double width = labelWidthFor(f, panelWidth, share) - 0.25 * line;
        // Measured a little narrower than drawn and with a little room above and below: the painter's
        // wrapping and the PDF's glyph boxes must not differ from the measurement by a line.
        for (int d : d.dimensions) {
            const QRectF box =
                m.boundingRect(QRectF(0, 0, width - 0.15 * line, 1e6), Qt::TextWordWrap, labelOf(d));
            if (box.height() > rowHeight - 0.1 * line || box.width() > width - 0.15 * line) return false;
        }
        return true;
    };
    // As few panels as keep every row label whole inside its row: labels may wrap within 45–55% of a panel
    // and shrink, first to 3/4 of the font (7.4 pt of 8 pt fits 9 concepts into 88 × 66 mm), then, only if
    // three panels are not enough, to 0.65 (5.2 pt, journals' usual minimum: 42 VICE dimensions at 180 × 120
    // mm). Within that order, fewer panels come first. With no fit, the smallest labels in three panels.
    int panels = 0;
    double labelScale = 0.65, labelShare = 0.55;
    for (int candidate = 1; candidate <= kMaxPanels && panels == 0; ++candidate) {
        const int perPanel = (rows + candidate - 1) / candidate;
        const double panelWidth = (inner.width() - (candidate - 1) * panelGap) / candidate;
        for (double scale : {1.0, 0.9, 0.8, 0.75}) {
            for (double share : {0.45, 0.55}) // the label column may take up to 55% of a panel
                if (labelsFit(scaled(scale), panelWidth, share, height / perPanel)) {
                    panels = candidate;
                    labelScale = scale;
                    labelShare = share;
                    break;
                }
            if (panels != 0) break;
        }
    }
    for (double scale : {0.7, 0.65}) // the last resort before text would overlap
        for (double share : {0.45, 0.55})
            if (panels == 0) {
                const int perPanel = (rows + kMaxPanels - 1) / kMaxPanels;
                const double panelWidth = (inner.width() - (kMaxPanels - 1) * panelGap) / kMaxPanels;
                if (labelsFit(scaled(scale), panelWidth, share, height / perPanel)) {
                    panels = kMaxPanels;
                    labelScale = scale;
                    labelShare = share;
                }
            }
    out.fits = panels != 0;
    if (panels == 0) panels = kMaxPanels;
    out.labelFont = scaled(labelScale);
    const int perPanel = (rows + panels - 1) / panels;
    out.rowHeight = height / perPanel;
    const double panelWidth = (inner.width() - (panels - 1) * panelGap) / panels;
    const double labelWidth = labelWidthFor(out.labelFont, panelWidth, labelShare);
    for (int p = 0; p < panels; ++p) {
        ConceptBarsLayout::Panel panel;
        panel.firstRow = p * perPanel;
        panel.rows = std::max(0, std::min(perPanel, rows - panel.firstRow));
        const double left = inner.left() + p * (panelWidth + panelGap);
        panel.labels = QRectF(left, top, labelWidth, out.rowHeight * panel.rows);
        // Room on the right for the last tick label ("1.0") to stay on the page.
        const double right = left + panelWidth - metrics.horizontalAdvance(QStringLiteral("1.0")) / 2;
        panel.plot = QRectF(left + labelWidth, top, right - left - labelWidth, out.rowHeight * panel.rows);
        if (panel.rows > 0) out.panels.push_back(panel);
    }
    // Ticks at the finest of 0.2 / 0.5 / 1 steps whose labels do not touch.
    const double tickLabel = 1.6 * metrics.horizontalAdvance(QStringLiteral("0.0"));
    const double plotWidth = out.panels.front().plot.width();
    out.tickStep = plotWidth >= 5 * tickLabel ? 0.2 : plotWidth >= 2 * tickLabel ? 0.5 : 1.0;
    QFont bold = font;
    bold.setBold(true);
    out.fits = out.fits && plotWidth >= QFontMetricsF(bold, device).horizontalAdvance(translate("accuracy"));
    return out;
}

} // namespace

void paintConceptBars(QPainter& painter, const QRectF& rect, const QFont& font, const ConceptBarsData& d)
{
    painter.save();
    painter.setFont(font);
    const ConceptBarsLayout l = barsLayout(d, rect, font, painter.device());
    const QColor text(40, 40, 40);
    painter.setPen(text);
    if (!l.message.isEmpty()) {
        painter.drawText(rect, Qt::AlignCenter | Qt::TextWordWrap, l.message);
        painter.restore();
        return;
    }
    painter.setFont(l.titleFont);
    painter.drawText(l.titleRect, Qt::AlignHCenter | Qt::TextWordWrap,
                     translate("Odd-one-out accuracy per concept dimension"));
    painter.setFont(font);
    const double line = l.lineHeight;
    const size_t models = d.analysis->models.size();
    for (const ConceptBarsLayout::Panel& panel : l.panels) {
        auto xOf = [&](double value) {
            return panel.plot.left() + std::clamp(value, 0.0, 1.0) * panel.plot.width();
        };
        // Grid and ticks at nice steps; every label states its value.
        const int ticks = int(std::lround(1.0 / l.tickStep));
        for (int tick = 0; tick <= ticks; ++tick) {
            const double value = tick * l.tickStep, xTick = xOf(value);
            painter.setPen(QPen(QColor(225, 225, 225), 0));
            painter.drawLine(QPointF(xTick, panel.plot.top()), QPointF(xTick, panel.plot.bottom()));
            painter.setPen(text);
            painter.drawText(QRectF(xTick - 2 * line, panel.plot.bottom() + 0.15 * line, 4 * line, line),
                             Qt::AlignHCenter | Qt::AlignTop, QString::number(value, 'f', 1));
        }
        QFont axisFont = font;
        axisFont.setBold(true);
        painter.setFont(axisFont);
        painter.drawText(
            QRectF(panel.plot.left(), panel.plot.bottom() + 1.25 * line, panel.plot.width(), line),
            Qt::AlignHCenter | Qt::AlignTop, translate("accuracy"));
        painter.setFont(font);
        const double barBand = 0.8 * l.rowHeight, bar = barBand / double(models);
        for (int r = 0; r < panel.rows; ++r) {
            const int dimension = d.dimensions[size_t(panel.firstRow + r)];
            const double rowTop = panel.plot.top() + r * l.rowHeight;
            const auto& first = d.analysis->models.front().perConcept[size_t(dimension)];
            painter.setPen(text);
            painter.setFont(l.labelFont);
            painter.drawText(
                QRectF(panel.labels.left(), rowTop, panel.labels.width() - 0.25 * line, l.rowHeight),
                Qt::AlignRight | Qt::AlignVCenter | Qt::TextWordWrap, QString::fromStdString(first.label));
            painter.setFont(font);
            painter.setFont(font);
            for (size_t m = 0; m < models; ++m) {
                const ConceptAccuracy& concept = d.analysis->models[m].perConcept[size_t(dimension)];
                const double y = rowTop + 0.1 * l.rowHeight + double(m) * bar;
                if (std::isfinite(concept.accuracy))
                    painter.fillRect(
                        QRectF(xOf(0), y + 0.075 * bar, xOf(concept.accuracy) - xOf(0), 0.85 * bar),
                        modelColour(m));
                if (std::isfinite(concept.ci95.low) && std::isfinite(concept.ci95.high)) {
                    const double yMid = y + 0.5 * bar, cap = std::min(0.35 * bar, 0.3 * line);
                    painter.setPen(QPen(QColor(40, 40, 40), std::max(0.5, 0.06 * line)));
                    painter.drawLine(QPointF(xOf(concept.ci95.low), yMid),
                                     QPointF(xOf(concept.ci95.high), yMid));
                    painter.drawLine(QPointF(xOf(concept.ci95.low), yMid - cap),
                                     QPointF(xOf(concept.ci95.low), yMid + cap));
                    painter.drawLine(QPointF(xOf(concept.ci95.high), yMid - cap),
                                     QPointF(xOf(concept.ci95.high), yMid + cap));
                }
            }
        }
        auto referenceLine = [&](double value, const QColor& colour) {
            painter.setPen(QPen(colour, std::max(0.6, 0.1 * line), Qt::DashLine));
            painter.drawLine(QPointF(xOf(value), panel.plot.top()), QPointF(xOf(value), panel.plot.bottom()));
        };
        referenceLine(1.0 / 3.0, kChance);
        if (d.analysis->repeats.noiseCeiling) referenceLine(*d.analysis->repeats.noiseCeiling, kCeiling);
        painter.setPen(QPen(QColor(150, 150, 150), 0));
        painter.drawLine(panel.plot.bottomLeft(), panel.plot.bottomRight());
        painter.drawLine(panel.plot.topLeft(), panel.plot.bottomLeft());
    }
    for (const auto& entry : l.legend) {
        if (entry.line) {
            painter.setPen(QPen(entry.colour, std::max(0.6, 0.1 * line), Qt::DashLine));
            painter.drawLine(QPointF(entry.swatch.left(), entry.swatch.center().y()),
                             QPointF(entry.swatch.right(), entry.swatch.center().y()));
        } else {
            painter.fillRect(entry.swatch, entry.colour);
        }
        painter.setPen(text);
        painter.drawText(entry.textRect, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, entry.text);
    }
    painter.restore();
}

double conceptBarsHeightFor(const ConceptBarsData& d, double width, double height, const QFont& font,
                            QPaintDevice* device)
{
    if (d.dimensions.empty() || barsLayout(d, QRectF(0, 0, width, height), font, device).fits) return height;
    // Doubling, then bisection: taller only ever makes rows roomier.
    double low = height, high = 2 * height;
    for (int step = 0; step < 6 && !barsLayout(d, QRectF(0, 0, width, high), font, device).fits; ++step)
        low = high, high *= 2;
    if (!barsLayout(d, QRectF(0, 0, width, high), font, device).fits)
        return height; // no height helps: keep the page
    for (int step = 0; step < 12; ++step) {
        const double middle = 0.5 * (low + high);
        (barsLayout(d, QRectF(0, 0, width, middle), font, device).fits ? high : low) = middle;
    }
    return high;
}

std::function<double(const FigureStyle&)> ConceptBarsChart::figureHeight() const
{
    return [this](const FigureStyle& style) {
        return heightFor(style.widthPoints(), style.heightPoints(), style.font(), &pointDevice()) / 72.0 *
               25.4;
    };
}

FigurePainter ConceptBarsChart::figure() const
{
    return [this](QPainter& painter, const QRectF& rect, const FigureStyle& style) {
        painter.fillRect(rect, Qt::white);
        paintConceptBars(painter, rect, style.font(), m_data);
    };
}

int conceptBarsDimensionAt(const ConceptBarsData& d, const QPointF& point, const QRectF& rect,
                           const QFont& font, QPaintDevice* device)
{
    const ConceptBarsLayout l = barsLayout(d, rect, font, device);
    for (const ConceptBarsLayout::Panel& panel : l.panels) {
        const QRectF row = panel.labels.united(panel.plot);
        if (!row.contains(point)) continue;
        const int r = int((point.y() - row.top()) / l.rowHeight);
        if (r >= 0 && r < panel.rows) return d.dimensions[size_t(panel.firstRow + r)];
    }
    return -1;
}

int ConceptBarsChart::dimensionAt(const QPointF& point, const QRectF& rect, const QFont& font) const
{
    return conceptBarsDimensionAt(m_data, point, rect, font,
                                  const_cast<ConceptBarsChart*>(this)); // as on screen
}

double ConceptBarsChart::heightFor(double width, double height, const QFont& font, QPaintDevice* device) const
{
    return conceptBarsHeightFor(m_data, width, height, font, device);
}

void ConceptBarsChart::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), palette().base());
    paintConceptBars(painter, QRectF(rect()), font(), m_data);
}

void ConceptBarsChart::mousePressEvent(QMouseEvent* event)
{
    const int dimension = dimensionAt(event->position(), QRectF(rect()), font());
    if (dimension >= 0) Q_EMIT dimensionClicked(dimension);
}

bool ConceptBarsChart::event(QEvent* event)
{
    if (event->type() != QEvent::ToolTip) return QWidget::event(event);
    const auto* help = static_cast<QHelpEvent*>(event);
    const int dimension = dimensionAt(help->pos(), QRectF(rect()), font());
    if (dimension < 0) {
        QToolTip::hideText();
        return true;
    }
    const auto& concept = m_data.analysis->models.front().perConcept[size_t(dimension)];
    QString text = QString::fromStdString(concept.label) + tr("\n%1 triplets").arg(concept.triplets);
    for (const auto& model : m_data.analysis->models) {
        const ConceptAccuracy& c = model.perConcept[size_t(dimension)];
        text += QStringLiteral("\n%1: %2 [%3, %4]")
                    .arg(QString::fromStdString(model.name))
                    .arg(c.accuracy, 0, 'f', 3)
                    .arg(c.ci95.low, 0, 'f', 3)
                    .arg(c.ci95.high, 0, 'f', 3);
    }
    QToolTip::showText(help->globalPos(), text, this);
    return true;
}
