#include "charts/density_plot.h"

#include "charts/colormaps.h"

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
    m_title = title;
    m_points = std::int64_t(std::min(human.values.size(), model.values.size()));
    if (m_points == 0) {
        m_density = QImage();
        update();
        return;
    }
    const auto [hLow, hHigh] = std::minmax_element(human.values.begin(), human.values.end());
    const auto [mLow, mHigh] = std::minmax_element(model.values.begin(), model.values.end());
    m_xLow = *hLow, m_xHigh = std::max(double(*hHigh), m_xLow + 1e-9);
    m_yLow = *mLow, m_yHigh = std::max(double(*mHigh), m_yLow + 1e-9);
    constexpr int kBins = 200;
    std::vector<std::int64_t> counts(kBins * kBins, 0);
    for (std::int64_t k = 0; k < m_points; ++k) {
        const int x =
            std::min(kBins - 1, int((human.values[size_t(k)] - m_xLow) / (m_xHigh - m_xLow) * kBins));
        const int y =
            std::min(kBins - 1, int((model.values[size_t(k)] - m_yLow) / (m_yHigh - m_yLow) * kBins));
        ++counts[size_t((kBins - 1 - y) * kBins + x)];
    }
    const double top = std::log1p(double(*std::max_element(counts.begin(), counts.end())));
    m_density = QImage(kBins, kBins, QImage::Format_RGB32);
    for (int i = 0; i < kBins * kBins; ++i)
        reinterpret_cast<QRgb*>(m_density.bits())[i] =
            counts[size_t(i)]
                ? colormapColor(Colormap::Magma, 0.15 + 0.85 * std::log1p(double(counts[size_t(i)])) / top)
                : qRgb(255, 255, 255);
    update();
}

void DensityPlot::paintTo(QPainter& painter, const QRect& target) const
{
    // Laid out from the font as measured on the device painted on (points for figures, pixels on screen):
    // the title wraps, tick labels and axis titles get the room their text needs.
    painter.save();
    const QRectF rect(target);
    painter.fillRect(rect, Qt::white);
    painter.setPen(Qt::black);
    const QFontMetricsF metrics(painter.font(), painter.device());
    const double line = metrics.height(), pad = 0.4 * line;
    const QRectF titleBox = metrics.boundingRect(QRectF(0, 0, rect.width() - 2 * pad, 1e6),
                                                 Qt::AlignHCenter | Qt::TextWordWrap, m_title);
    painter.drawText(QRectF(rect.left() + pad, rect.top() + pad, rect.width() - 2 * pad, titleBox.height()),
                     Qt::AlignHCenter | Qt::TextWordWrap, m_title);
    const QString yHigh = QString::number(m_yHigh, 'g', 3), yLow = QString::number(m_yLow, 'g', 3);
    const QString xLow = QString::number(m_xLow, 'g', 3), xHigh = QString::number(m_xHigh, 'g', 3);
    const double yTicks = std::max(metrics.horizontalAdvance(yHigh), metrics.horizontalAdvance(yLow));
    const QRectF plot(rect.left() + pad + line + 0.3 * line + yTicks + 0.3 * line,
                      rect.top() + pad + titleBox.height() + pad, 0, 0);
    QRectF area = plot;
    area.setRight(rect.right() - pad - metrics.horizontalAdvance(xHigh) / 2);
    area.setBottom(rect.bottom() - pad - 2.3 * line);
    if (!m_density.isNull() && area.width() > 1 && area.height() > 1) {
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
        painter.drawImage(area, m_density);
    }
    painter.drawRect(area);
    painter.drawText(QRectF(area.left() - line, area.bottom() + 0.15 * line, 2 * line, line),
                     Qt::AlignHCenter, xLow);
    painter.drawText(QRectF(area.right() - line * 2, area.bottom() + 0.15 * line, 4 * line, line),
                     Qt::AlignHCenter, xHigh);
    painter.drawText(QRectF(area.left(), area.bottom() + 1.25 * line, area.width(), line), Qt::AlignHCenter,
                     tr("human dissimilarity"));
    painter.drawText(QRectF(area.left() - 0.3 * line - yTicks, area.top(), yTicks, line),
                     Qt::AlignRight | Qt::AlignTop, yHigh);
    painter.drawText(QRectF(area.left() - 0.3 * line - yTicks, area.bottom() - line, yTicks, line),
                     Qt::AlignRight | Qt::AlignBottom, yLow);
    painter.translate(rect.left() + pad + line / 2, area.center().y());
    painter.rotate(-90);
    painter.drawText(QRectF(-area.height() / 2, -line / 2, area.height(), line), Qt::AlignCenter,
                     tr("model dissimilarity"));
    painter.restore();
}

void DensityPlot::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    paintTo(painter, rect());
}
