#include "charts/density_plot.h"

#include "charts/axis_ticks.h"
#include "charts/colormaps.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>

DensityPlot::DensityPlot(QWidget* parent) : QWidget(parent)
{
    setMinimumSize(300, 300);
}

void DensityPlot::setData(const alignscope::CondensedMatrix& human, const alignscope::CondensedMatrix& model,
                          const QString& title)
{
    m_figure.title = title;
    m_figure.points = std::int64_t(std::min(human.values.size(), model.values.size()));
    if (m_figure.points == 0) {
        m_figure.density = QImage();
        update();
        return;
    }
    const auto [hLow, hHigh] = std::minmax_element(human.values.begin(), human.values.end());
    const auto [mLow, mHigh] = std::minmax_element(model.values.begin(), model.values.end());
    m_figure.xLow = *hLow, m_figure.xHigh = std::max(double(*hHigh), m_figure.xLow + 1e-9);
    m_figure.yLow = *mLow, m_figure.yHigh = std::max(double(*mHigh), m_figure.yLow + 1e-9);
    constexpr int kBins = 200;
    std::vector<std::int64_t> counts(kBins * kBins, 0);
    for (std::int64_t k = 0; k < m_figure.points; ++k) {
        const int x = std::min(kBins - 1, int((human.values[size_t(k)] - m_figure.xLow) /
                                              (m_figure.xHigh - m_figure.xLow) * kBins));
        const int y = std::min(kBins - 1, int((model.values[size_t(k)] - m_figure.yLow) /
                                              (m_figure.yHigh - m_figure.yLow) * kBins));
        ++counts[size_t((kBins - 1 - y) * kBins + x)];
    }
    const double top = std::log1p(double(*std::max_element(counts.begin(), counts.end())));
    m_figure.density = QImage(kBins, kBins, QImage::Format_RGB32);
    for (int i = 0; i < kBins * kBins; ++i)
        reinterpret_cast<QRgb*>(m_figure.density.bits())[i] =
            counts[size_t(i)]
                ? colormapColor(Colormap::Magma, 0.15 + 0.85 * std::log1p(double(counts[size_t(i)])) / top)
                : qRgb(255, 255, 255);
    update();
}

void paintDensityPlot(QPainter& painter, const QRectF& rect, const QFont& font, const DensityFigure& f)
{
    // Laid out from the font as measured on the device painted on (points for figures, pixels on screen):
    // the title wraps, tick labels and axis titles get the room their text needs.
    painter.save();
    painter.setFont(font);
    painter.fillRect(rect, Qt::white);
    painter.setPen(Qt::black);
    const QFontMetricsF metrics(font, painter.device());
    const double line = metrics.height(), pad = 0.4 * line;
    const QRectF titleBox = metrics.boundingRect(QRectF(0, 0, rect.width() - 2 * pad, 1e6),
                                                 Qt::AlignHCenter | Qt::TextWordWrap, f.title);
    painter.drawText(QRectF(rect.left() + pad, rect.top() + pad, rect.width() - 2 * pad, titleBox.height()),
                     Qt::AlignHCenter | Qt::TextWordWrap, f.title);
    // Ticks at nice steps inside each axis' range: as many as the plot's height and width leave room for;
    // the y labels' width decides where the plot starts.
    QRectF area(0, rect.top() + pad + titleBox.height() + pad, 0, 0);
    area.setBottom(std::max(area.top() + 0.5 * line, rect.bottom() - pad - 2.3 * line));
    const Ticks yShown =
        niceTicks(f.yLow, f.yHigh, std::max(2, std::min(5, int(area.height() / (1.5 * line)))));
    double yTickWidth = 0;
    for (int t = 0; t < yShown.count; ++t)
        yTickWidth = std::max(yTickWidth, metrics.horizontalAdvance(yShown.label(t)));
    area.setLeft(rect.left() + pad + line + 0.3 * line + yTickWidth + 0.3 * line);
    area.setRight(rect.right() - pad - metrics.horizontalAdvance(QStringLiteral("0.00")) / 2);
    const double widest =
        metrics.horizontalAdvance(niceTicks(f.xLow, f.xHigh, 6).label(0) + QStringLiteral("00"));
    const Ticks xTicks =
        niceTicks(f.xLow, f.xHigh, std::max(2, std::min(6, int(area.width() / (widest + line)))));
    if (!f.density.isNull() && area.width() > 1 && area.height() > 1) {
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
        painter.drawImage(area, f.density);
    }
    painter.setPen(QPen(Qt::black, 0.05 * line));
    painter.drawRect(area);
    const double tick = 0.25 * line;
    for (int t = 0; t < xTicks.count; ++t) {
        const double x = area.left() + (xTicks.value(t) - f.xLow) / (f.xHigh - f.xLow) * area.width();
        painter.drawLine(QPointF(x, area.bottom()), QPointF(x, area.bottom() + tick));
        painter.drawText(QRectF(x - 2 * line, area.bottom() + tick, 4 * line, line), Qt::AlignHCenter,
                         xTicks.label(t));
    }
    for (int t = 0; t < yShown.count; ++t) {
        const double y = area.bottom() - (yShown.value(t) - f.yLow) / (f.yHigh - f.yLow) * area.height();
        painter.drawLine(QPointF(area.left() - tick, y), QPointF(area.left(), y));
        painter.drawText(QRectF(area.left() - 0.3 * line - yTickWidth, y - line / 2, yTickWidth, line),
                         Qt::AlignRight | Qt::AlignVCenter, yShown.label(t));
    }
    painter.drawText(QRectF(area.left(), area.bottom() + tick + line, area.width(), line), Qt::AlignHCenter,
                     QCoreApplication::translate("DensityPlot", "human dissimilarity"));
    painter.translate(rect.left() + pad + line / 2, area.center().y());
    painter.rotate(-90);
    painter.drawText(QRectF(-area.height() / 2, -line / 2, area.height(), line), Qt::AlignCenter,
                     QCoreApplication::translate("DensityPlot", "model dissimilarity"));
    painter.restore();
}

void DensityPlot::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    paintDensityPlot(painter, QRectF(rect()), font(), m_figure);
}

FigurePainter DensityPlot::figure() const
{
    return [this](QPainter& painter, const QRectF& rect, const FigureStyle& style) {
        paintDensityPlot(painter, rect, style.font(), m_figure);
    };
}
