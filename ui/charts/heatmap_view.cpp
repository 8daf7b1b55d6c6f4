#include "charts/heatmap_view.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <cmath>

HeatmapView::HeatmapView(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(240, 260);
}

void HeatmapView::setMatrix(std::shared_ptr<const alignscope::CondensedMatrix> values, const QString& title)
{
    m_values = std::move(values);
    m_title = title;
    if (m_values && std::int64_t(m_order.size()) != m_values->n) {
        m_order.resize(size_t(m_values->n));
        for (size_t i = 0; i < m_order.size(); ++i)
            m_order[i] = std::int64_t(i);
    }
    resetView();
}

void HeatmapView::setOrder(std::vector<std::int64_t> order)
{
    m_cachedKey.clear();
    m_order = std::move(order);
    update();
}

void HeatmapView::setNames(std::function<QString(std::int64_t)> names)
{
    m_names = std::move(names);
}

void HeatmapView::setColormap(Colormap map)
{
    m_cachedKey.clear();
    m_map = map;
    update();
}

void HeatmapView::setRange(double low, double high)
{
    m_cachedKey.clear();
    m_low = low;
    m_high = high > low ? high : low + 1;
    update();
}

void HeatmapView::resetView()
{
    const double n = m_values ? double(m_values->n) : 1.0;
    m_view = QRectF(0, 0, n, n);
    update();
}

QRect HeatmapView::plotRect(const QRect& rect) const
{
    const int titleHeight = 22, colorbar = 56;
    const int side = std::max(10, std::min(rect.width() - colorbar - 8, rect.height() - titleHeight - 8));
    return QRect(rect.left() + 4, rect.top() + titleHeight, side, side);
}

void HeatmapView::paintCells(QPainter& painter, const QRect& plot) const
{
    const std::int64_t n = m_values->n;
    const auto first = std::int64_t(std::floor(m_view.top())),
               last = std::min<std::int64_t>(n, std::int64_t(std::ceil(m_view.bottom())));
    const auto firstColumn = std::int64_t(std::floor(m_view.left())),
               lastColumn = std::min<std::int64_t>(n, std::int64_t(std::ceil(m_view.right())));
    const double cellWidth = plot.width() / m_view.width(), cellHeight = plot.height() / m_view.height();
    painter.save();
    painter.setPen(Qt::NoPen);
    painter.setClipRect(plot);
    for (std::int64_t r = std::max<std::int64_t>(0, first); r < last; ++r)
        for (std::int64_t c = std::max<std::int64_t>(0, firstColumn); c < lastColumn; ++c) {
            const std::int64_t a = m_order[size_t(r)], b = m_order[size_t(c)];
            const double diagonal = m_map == Colormap::Diverging ? (m_low + m_high) / 2 : m_low;
            const double value = a == b ? diagonal : double(m_values->at(a, b));
            // Cells overlap by a hair so that viewers do not show seams between them.
            painter.setBrush(QColor::fromRgb(colormapColor(m_map, (value - m_low) / (m_high - m_low))));
            painter.drawRect(QRectF(plot.left() + (double(c) - m_view.left()) * cellWidth,
                                    plot.top() + (double(r) - m_view.top()) * cellHeight, cellWidth + 0.05,
                                    cellHeight + 0.05));
        }
    painter.restore();
}

QImage HeatmapView::render(const QSize& pixels) const
{
    // One sample per pixel when cells outnumber pixels; otherwise one pixel block per visible cell.
    const int columns = std::max(1, std::min(pixels.width(), int(std::ceil(m_view.width()))));
    const int rows = std::max(1, std::min(pixels.height(), int(std::ceil(m_view.height()))));
    QImage image(columns, rows, QImage::Format_RGB32);
    const std::int64_t n = m_values->n;
    for (int y = 0; y < rows; ++y) {
        const auto r = std::clamp<std::int64_t>(
            std::int64_t(m_view.top() + (y + 0.5) * m_view.height() / rows), 0, n - 1);
        QRgb* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = 0; x < columns; ++x) {
            const auto c = std::clamp<std::int64_t>(
                std::int64_t(m_view.left() + (x + 0.5) * m_view.width() / columns), 0, n - 1);
            const std::int64_t a = m_order[size_t(r)], b = m_order[size_t(c)];
            const double diagonal =
                m_map == Colormap::Diverging ? (m_low + m_high) / 2 : m_low; // a stimulus with itself
            const double value = a == b ? diagonal : double(m_values->at(a, b));
            line[x] = colormapColor(m_map, (value - m_low) / (m_high - m_low));
        }
    }
    return image;
}

void HeatmapView::paintTo(QPainter& painter, const QRect& rect, int vectorCellLimit) const
{
    painter.save();
    painter.fillRect(rect, Qt::white);
    painter.setPen(Qt::black);
    painter.drawText(QRect(rect.left() + 4, rect.top(), rect.width() - 8, 20),
                     Qt::AlignLeft | Qt::AlignVCenter, m_title);
    if (!m_values || m_values->n < 2) {
        painter.drawText(rect, Qt::AlignCenter, tr("no matrix"));
        painter.restore();
        return;
    }
    const QRect plot = plotRect(rect);
    // Cells are drawn unsmoothed: a heatmap must not blur neighbouring stimuli.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    if (m_view.height() <= vectorCellLimit) {
        paintCells(painter, plot);
    } else {
        const QString key = QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9")
                                .arg(quintptr(m_values.get()))
                                .arg(quintptr(m_order.data()))
                                .arg(int(m_map))
                                .arg(m_low)
                                .arg(m_high)
                                .arg(m_view.left())
                                .arg(m_view.top())
                                .arg(m_view.width())
                                .arg(QString::number(plot.width()) + "x" + QString::number(plot.height()));
        if (key != m_cachedKey) {
            m_cached = render(plot.size());
            m_cachedKey = key;
        }
        painter.drawImage(plot, m_cached);
    }
    painter.setPen(QColor(80, 80, 80));
    painter.drawRect(plot.adjusted(0, 0, -1, -1));
    const QRect bar(plot.right() + 10, plot.top(), 14, plot.height());
    for (int y = 0; y < bar.height(); ++y) {
        painter.setPen(QColor(colormapColor(m_map, 1.0 - double(y) / std::max(1, bar.height() - 1))));
        painter.drawLine(bar.left(), bar.top() + y, bar.right(), bar.top() + y);
    }
    painter.setPen(Qt::black);
    painter.drawRect(bar.adjusted(0, 0, -1, -1));
    QFont small = painter.font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    painter.setFont(small);
    painter.drawText(QPoint(bar.right() + 3, bar.top() + 10), QString::number(m_high, 'g', 3));
    painter.drawText(QPoint(bar.right() + 3, bar.bottom()), QString::number(m_low, 'g', 3));
    painter.restore();
}

void HeatmapView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    paintTo(painter, rect());
}

bool HeatmapView::cellAt(const QPoint& position, std::int64_t& row, std::int64_t& column) const
{
    const QRect plot = plotRect(rect());
    if (!m_values || !plot.contains(position)) return false;
    column = std::int64_t(m_view.left() + double(position.x() - plot.left()) / plot.width() * m_view.width());
    row = std::int64_t(m_view.top() + double(position.y() - plot.top()) / plot.height() * m_view.height());
    return row >= 0 && column >= 0 && row < m_values->n && column < m_values->n;
}

void HeatmapView::wheelEvent(QWheelEvent* event)
{
    if (!m_values) return;
    const QRect plot = plotRect(rect());
    const double factor = event->angleDelta().y() > 0 ? 0.8 : 1.25;
    const double fx = std::clamp((event->position().x() - plot.left()) / plot.width(), 0.0, 1.0);
    const double fy = std::clamp((event->position().y() - plot.top()) / plot.height(), 0.0, 1.0);
    const double n = double(m_values->n);
    const double width = std::clamp(m_view.width() * factor, 4.0, n);
    const double left = std::clamp(m_view.left() + fx * (m_view.width() - width), 0.0, n - width);
    const double top = std::clamp(m_view.top() + fy * (m_view.height() - width), 0.0, n - width);
    m_view = QRectF(left, top, width, width);
    update();
}

void HeatmapView::mousePressEvent(QMouseEvent* event)
{
    m_dragStart = event->pos();
    m_dragView = m_view;
}

void HeatmapView::mouseMoveEvent(QMouseEvent* event)
{
    if (!m_values) return;
    if (event->buttons() & Qt::LeftButton) {
        const QRect plot = plotRect(rect());
        const double n = double(m_values->n);
        const double dx = double(event->pos().x() - m_dragStart.x()) / plot.width() * m_dragView.width();
        const double dy = double(event->pos().y() - m_dragStart.y()) / plot.height() * m_dragView.height();
        m_view.moveLeft(std::clamp(m_dragView.left() - dx, 0.0, n - m_view.width()));
        m_view.moveTop(std::clamp(m_dragView.top() - dy, 0.0, n - m_view.height()));
        update();
        return;
    }
    std::int64_t row, column;
    if (!cellAt(event->pos(), row, column)) return;
    const std::int64_t a = m_order[size_t(row)], b = m_order[size_t(column)];
    auto name = [this](std::int64_t s) { return m_names ? m_names(s) : QString::number(s); };
    const QString value = a == b ? tr("(same stimulus)") : QString::number(m_values->at(a, b), 'g', 4);
    // Names may carry an <img> of the stimulus (rich text tooltips show it) — a thumbnail beside each name.
    QToolTip::showText(event->globalPosition().toPoint(),
                       QStringLiteral("<table><tr><td>%1</td><td>×</td><td>%2</td></tr></table>%3")
                           .arg(name(a), name(b), value),
                       this);
}

void HeatmapView::mouseDoubleClickEvent(QMouseEvent*)
{
    resetView();
}
