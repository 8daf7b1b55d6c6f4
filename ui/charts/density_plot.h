#pragma once
// Model vs human dissimilarity for every pair, as a 2-D histogram (log density): millions of points
// stay readable and cheap to draw. One paint routine for screen and export.

#include "alignscope/rsa.h"

#include <QImage>
#include <QWidget>
#include <memory>

class DensityPlot : public QWidget
{
    Q_OBJECT
public:
    explicit DensityPlot(QWidget* parent = nullptr);
    // Histograms the pairs (done once here, not per paint).
    void setData(const alignscope::CondensedMatrix& human, const alignscope::CondensedMatrix& model,
                 const QString& title);
    void paintTo(QPainter& painter, const QRect& rect) const;
    std::int64_t pointCount() const { return m_points; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QImage m_density;
    QString m_title;
    double m_xLow = 0, m_xHigh = 1, m_yLow = 0, m_yHigh = 1;
    std::int64_t m_points = 0;
};
