#include "charts/heatmap_view.h"

#include "charts/axis_ticks.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPaintEngine>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <cmath>

namespace {

QString translate(const char* text, const char* disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("HeatmapView", text, disambiguation, n);
}

struct HeatmapLayout
{
    QRectF title, plot, bar;
    double line = 0, tickWidth = 0;
};

HeatmapLayout heatmapLayout(const HeatmapFigure& f, const QRectF& rect, const QFontMetricsF& metrics);

} // namespace

HeatmapView::HeatmapView(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(240, 260);
}

void HeatmapView::setMatrix(std::shared_ptr<const alignscope::CondensedMatrix> values, const QString& title)
{
    m_figure.values = std::move(values);
    m_figure.title = title;
    if (m_figure.values && std::int64_t(m_figure.order.size()) != m_figure.values->n) {
        m_figure.order.resize(size_t(m_figure.values->n));
        for (size_t i = 0; i < m_figure.order.size(); ++i)
            m_figure.order[i] = std::int64_t(i);
    }
    resetView();
}

void HeatmapView::setOrder(std::vector<std::int64_t> order)
{
    m_cache.key.clear();
    m_figure.order = std::move(order);
    update();
}

void HeatmapView::setNames(std::function<QString(std::int64_t)> names)
{
    m_names = std::move(names);
}

void HeatmapView::setValueLabel(const QString& label)
{
    m_figure.valueLabel = label;
    update();
}

void HeatmapView::setColormap(Colormap map)
{
    m_cache.key.clear();
    m_figure.map = map;
    update();
}

void HeatmapView::setRange(double low, double high)
{
    m_cache.key.clear();
    m_figure.low = low;
    m_figure.high = high > low ? high : low + 1;
    update();
}

void HeatmapView::resetView()
{
    const double n = m_figure.values ? double(m_figure.values->n) : 1.0;
    m_figure.view = QRectF(0, 0, n, n);
    update();
}

QRect HeatmapView::plotRect(const QRect& rect) const
{
    return heatmapLayout(m_figure, QRectF(rect), QFontMetricsF(font(), this)).plot.toAlignedRect();
}

namespace {

HeatmapLayout heatmapLayout(const HeatmapFigure& f, const QRectF& rect, const QFontMetricsF& metrics)
{
    // From the font's line height: the title wraps above a square plot; the colorbar, its tick labels and its
    // rotated value label sit to the right; a caption states the stimuli shown.
    HeatmapLayout out;
    const double line = metrics.height(), pad = 0.4 * line;
    out.line = line;
    out.title = metrics.boundingRect(QRectF(rect.left() + pad, rect.top() + pad, rect.width() - 2 * pad, 1e6),
                                     Qt::AlignLeft | Qt::TextWordWrap, f.title);
    out.title.setWidth(rect.width() - 2 * pad);
    out.tickWidth = 0;
    const Ticks ticks = niceTicks(f.low, f.high, 5);
    for (int t = 0; t < ticks.count; ++t)
        out.tickWidth = std::max(out.tickWidth, metrics.horizontalAdvance(ticks.label(t)));
    const double right = 0.6 * line + 0.8 * line + 0.4 * line + out.tickWidth + 0.3 * line + line + pad;
    const double top = out.title.bottom() + pad, bottom = rect.bottom() - pad - 1.2 * line;
    const double side = std::max(10.0, std::min(rect.width() - pad - right, bottom - top));
    // Centred: a wide page does not leave the plot at its left edge.
    const double left = rect.left() + pad + std::max(0.0, (rect.width() - pad - right - side) / 2);
    out.plot = QRectF(left, top, side, side);
    out.bar = QRectF(out.plot.right() + 0.6 * line, top, 0.8 * line, side);
    return out;
}

void paintCells(QPainter& painter, const QRectF& plot, const HeatmapFigure& f)
{
    const std::int64_t n = f.values->n;
    const auto first = std::int64_t(std::floor(f.view.top())),
               last = std::min<std::int64_t>(n, std::int64_t(std::ceil(f.view.bottom())));
    const auto firstColumn = std::int64_t(std::floor(f.view.left())),
               lastColumn = std::min<std::int64_t>(n, std::int64_t(std::ceil(f.view.right())));
    const double cellWidth = plot.width() / f.view.width(), cellHeight = plot.height() / f.view.height();
    painter.save();
    painter.setPen(Qt::NoPen);
    painter.setClipRect(plot);
    for (std::int64_t r = std::max<std::int64_t>(0, first); r < last; ++r)
        for (std::int64_t c = std::max<std::int64_t>(0, firstColumn); c < lastColumn; ++c) {
            const std::int64_t a = f.order[size_t(r)], b = f.order[size_t(c)];
            const double diagonal = f.map == Colormap::Diverging ? (f.low + f.high) / 2 : f.low;
            const double value = a == b ? diagonal : double(f.values->at(a, b));
            // Cells overlap by a hair so that viewers do not show seams between them.
            painter.setBrush(QColor::fromRgb(colormapColor(f.map, (value - f.low) / (f.high - f.low))));
            painter.drawRect(QRectF(plot.left() + (double(c) - f.view.left()) * cellWidth,
                                    plot.top() + (double(r) - f.view.top()) * cellHeight, cellWidth + 0.05,
                                    cellHeight + 0.05));
        }
    painter.restore();
}

QImage render(const QSize& pixels, const HeatmapFigure& f)
{
    // One sample per pixel when cells outnumber pixels; otherwise one pixel block per visible cell.
    const int columns = std::max(1, std::min(pixels.width(), int(std::ceil(f.view.width()))));
    const int rows = std::max(1, std::min(pixels.height(), int(std::ceil(f.view.height()))));
    QImage image(columns, rows, QImage::Format_RGB32);
    const std::int64_t n = f.values->n;
    for (int y = 0; y < rows; ++y) {
        const auto r = std::clamp<std::int64_t>(
            std::int64_t(f.view.top() + (y + 0.5) * f.view.height() / rows), 0, n - 1);
        QRgb* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = 0; x < columns; ++x) {
            const auto c = std::clamp<std::int64_t>(
                std::int64_t(f.view.left() + (x + 0.5) * f.view.width() / columns), 0, n - 1);
            const std::int64_t a = f.order[size_t(r)], b = f.order[size_t(c)];
            const double diagonal =
                f.map == Colormap::Diverging ? (f.low + f.high) / 2 : f.low; // a stimulus with itself
            const double value = a == b ? diagonal : double(f.values->at(a, b));
            line[x] = colormapColor(f.map, (value - f.low) / (f.high - f.low));
        }
    }
    return image;
}

} // namespace

void paintHeatmap(QPainter& painter, const QRectF& rect, const QFont& font, const HeatmapFigure& f,
                  int vectorCellLimit, HeatmapImageCache* cache)
{
    painter.save();
    painter.setFont(font);
    painter.fillRect(rect, Qt::white);
    painter.setPen(Qt::black);
    const QFontMetricsF metrics(font, painter.device());
    const HeatmapLayout l = heatmapLayout(f, rect, metrics);
    painter.drawText(l.title, Qt::AlignLeft | Qt::TextWordWrap, f.title);
    if (!f.values || f.values->n < 2) {
        painter.drawText(rect, Qt::AlignCenter, translate("no matrix"));
        painter.restore();
        return;
    }
    const QRectF plot = l.plot;
    // Cells are drawn unsmoothed: a heatmap must not blur neighbouring stimuli.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    if (f.view.height() <= vectorCellLimit) {
        paintCells(painter, plot, f);
    } else {
        // One sample per device pixel; vector files (whose unit is a point) get 300 samples per inch.
        const bool vector = painter.paintEngine() && (painter.paintEngine()->type() == QPaintEngine::Pdf ||
                                                      painter.paintEngine()->type() == QPaintEngine::SVG);
        const double scale = std::max(painter.deviceTransform().m11(), vector ? 300.0 / 72.0 : 0.0);
        const QSize pixels = (plot.size() * scale).toSize();
        const QString key =
            QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9")
                .arg(quintptr(f.values.get()))
                .arg(quintptr(f.order.data()))
                .arg(int(f.map))
                .arg(f.low)
                .arg(f.high)
                .arg(f.view.left())
                .arg(f.view.top())
                .arg(f.view.width())
                .arg(QString::number(pixels.width()) + "x" + QString::number(pixels.height()));
        HeatmapImageCache fresh;
        if (!cache) cache = &fresh;
        if (key != cache->key) {
            cache->image = render(pixels, f);
            cache->key = key;
        }
        painter.drawImage(plot, cache->image);
    }
    painter.setPen(QPen(QColor(80, 80, 80), 0.05 * l.line));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(plot);
    // The colorbar as a gradient image (one row per value step), its frame, ticks and value label.
    QImage gradient(1, 256, QImage::Format_RGB32);
    for (int y = 0; y < 256; ++y)
        gradient.setPixel(0, y, colormapColor(f.map, 1.0 - y / 255.0));
    painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
    painter.drawImage(l.bar, gradient);
    painter.setPen(QPen(Qt::black, 0.05 * l.line));
    painter.drawRect(l.bar);
    const Ticks ticks =
        niceTicks(f.low, f.high, std::max(2, std::min(6, int(l.bar.height() / (2 * l.line)))));
    const double labelLeft = l.bar.right() + 0.4 * l.line;
    for (int t = 0; t < ticks.count; ++t) {
        const double y = l.bar.bottom() - (ticks.value(t) - f.low) / (f.high - f.low) * l.bar.height();
        painter.drawLine(QPointF(l.bar.right(), y), QPointF(l.bar.right() + 0.2 * l.line, y));
        const QRectF label(labelLeft, y - l.line / 2, l.tickWidth, l.line);
        painter.drawText(label, Qt::AlignLeft | Qt::AlignVCenter, ticks.label(t));
    }
    const std::int64_t shown = std::int64_t(std::lround(f.view.height()));
    const QString caption = shown >= f.values->n ? translate("%Ln stimuli", nullptr, int(f.values->n))
                                                 : translate("stimuli %L1-%L2 of %L3")
                                                       .arg(std::int64_t(f.view.top()) + 1)
                                                       .arg(std::int64_t(f.view.top()) + shown)
                                                       .arg(f.values->n);
    painter.drawText(QRectF(plot.left(), plot.bottom() + 0.2 * l.line, plot.width(), l.line),
                     Qt::AlignHCenter, caption);
    if (!f.valueLabel.isEmpty()) {
        painter.translate(labelLeft + l.tickWidth + 0.3 * l.line + l.line / 2, l.bar.center().y());
        painter.rotate(-90);
        painter.drawText(QRectF(-l.bar.height() / 2, -l.line / 2, l.bar.height(), l.line), Qt::AlignCenter,
                         f.valueLabel);
    }
    painter.restore();
}

void HeatmapView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    paintHeatmap(painter, QRectF(rect()), font(), m_figure, 0, &m_cache);
}

bool HeatmapView::cellAt(const QPoint& position, std::int64_t& row, std::int64_t& column) const
{
    const QRect plot = plotRect(rect());
    if (!m_figure.values || !plot.contains(position)) return false;
    column = std::int64_t(m_figure.view.left() +
                          double(position.x() - plot.left()) / plot.width() * m_figure.view.width());
    row = std::int64_t(m_figure.view.top() +
                       double(position.y() - plot.top()) / plot.height() * m_figure.view.height());
    return row >= 0 && column >= 0 && row < m_figure.values->n && column < m_figure.values->n;
}

void HeatmapView::wheelEvent(QWheelEvent* event)
{
    if (!m_figure.values) return;
    const QRect plot = plotRect(rect());
    const double factor = event->angleDelta().y() > 0 ? 0.8 : 1.25;
    const double fx = std::clamp((event->position().x() - plot.left()) / plot.width(), 0.0, 1.0);
    const double fy = std::clamp((event->position().y() - plot.top()) / plot.height(), 0.0, 1.0);
    const double n = double(m_figure.values->n);
    const double width = std::clamp(m_figure.view.width() * factor, 4.0, n);
    const double left =
        std::clamp(m_figure.view.left() + fx * (m_figure.view.width() - width), 0.0, n - width);
    const double top =
        std::clamp(m_figure.view.top() + fy * (m_figure.view.height() - width), 0.0, n - width);
    m_figure.view = QRectF(left, top, width, width);
    update();
}

void HeatmapView::mousePressEvent(QMouseEvent* event)
{
    m_clickPending = true;
    m_dragStart = event->pos();
    m_dragView = m_figure.view;
}

void HeatmapView::mouseMoveEvent(QMouseEvent* event)
{
    if (!m_figure.values) return;
    if (event->buttons() & Qt::LeftButton) {
        const QRect plot = plotRect(rect());
        const double n = double(m_figure.values->n);
        const double dx = double(event->pos().x() - m_dragStart.x()) / plot.width() * m_dragView.width();
        const double dy = double(event->pos().y() - m_dragStart.y()) / plot.height() * m_dragView.height();
        m_figure.view.moveLeft(std::clamp(m_dragView.left() - dx, 0.0, n - m_figure.view.width()));
        m_figure.view.moveTop(std::clamp(m_dragView.top() - dy, 0.0, n - m_figure.view.height()));
        update();
        return;
    }
    std::int64_t row, column;
    if (!cellAt(event->pos(), row, column)) return;
    const std::int64_t a = m_figure.order[size_t(row)], b = m_figure.order[size_t(column)];
    auto name = [this](std::int64_t s) { return m_names ? m_names(s) : QString::number(s); };
    const QString value = a == b ? tr("(same stimulus)") : QString::number(m_figure.values->at(a, b), 'g', 4);
    // Names may carry an <img> of the stimulus (rich text tooltips show it) — a thumbnail beside each name.
    QToolTip::showText(event->globalPosition().toPoint(),
                       QStringLiteral("<table><tr><td>%1</td><td>×</td><td>%2</td></tr></table>%3")
                           .arg(name(a), name(b), value),
                       this);
}

std::optional<std::pair<std::int64_t, std::int64_t>> HeatmapView::stimuliAt(const QPoint& position) const
{
    std::int64_t row, column;
    if (!cellAt(position, row, column) || size_t(row) >= m_figure.order.size() ||
        size_t(column) >= m_figure.order.size())
        return std::nullopt;
    const std::int64_t a = m_figure.order[size_t(row)], b = m_figure.order[size_t(column)];
    if (a == b) return std::nullopt;
    return std::pair{a, b};
}

void HeatmapView::mouseReleaseEvent(QMouseEvent* event)
{
    // A double click's second release follows the view's reset: it is not a click on a cell.
    const bool click = m_clickPending && (event->pos() - m_dragStart).manhattanLength() <= 3;
    m_clickPending = false;
    if (event->button() != Qt::LeftButton || !click) return;
    if (const auto pair = stimuliAt(event->pos())) Q_EMIT cellClicked(pair->first, pair->second);
}

void HeatmapView::mouseDoubleClickEvent(QMouseEvent*)
{
    m_clickPending = false;
    resetView();
}

FigurePainter HeatmapView::figure() const
{
    return [this](QPainter& painter, const QRectF& rect, const FigureStyle& style) {
        paintHeatmap(painter, rect, style.font(), m_figure, kVectorCellLimit);
    };
}
