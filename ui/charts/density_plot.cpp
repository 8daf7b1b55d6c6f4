#include "charts/density_plot.h"

#include "charts/colormaps.h"

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

void DensityPlot::paintTo(QPainter& painter, const QRect& rect) const
{
    painter.save();
    painter.fillRect(rect, Qt::white);
    painter.drawText(QRect(rect.left(), rect.top(), rect.width(), 20), Qt::AlignHCenter | Qt::AlignVCenter,
                     m_title);
    const QRect plot = rect.adjusted(60, 26, -16, -44);
    if (!m_density.isNull()) {
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
        painter.drawImage(plot, m_density);
    }
    painter.setPen(Qt::black);
    painter.drawRect(plot);
    painter.drawText(QRect(plot.left(), plot.bottom() + 20, plot.width(), 20), Qt::AlignHCenter,
                     tr("human dissimilarity"));
    painter.drawText(QRect(plot.left() - 4, plot.bottom() + 2, 60, 16), Qt::AlignLeft,
                     QString::number(m_xLow, 'g', 3));
    painter.drawText(QRect(plot.right() - 60, plot.bottom() + 2, 60, 16), Qt::AlignRight,
                     QString::number(m_xHigh, 'g', 3));
    painter.drawText(QRect(rect.left(), plot.top(), 56, 16), Qt::AlignRight,
                     QString::number(m_yHigh, 'g', 3));
    painter.drawText(QRect(rect.left(), plot.bottom() - 16, 56, 16), Qt::AlignRight,
                     QString::number(m_yLow, 'g', 3));
    painter.translate(rect.left() + 14, plot.center().y());
    painter.rotate(-90);
    painter.drawText(QRect(-100, -10, 200, 20), Qt::AlignCenter, tr("model dissimilarity"));
    painter.restore();
}

void DensityPlot::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    paintTo(painter, rect());
}
