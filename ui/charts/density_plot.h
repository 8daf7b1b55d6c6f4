#pragma once
// Model vs human dissimilarity for every pair, as a 2-D histogram (log density): millions of points
// stay readable and cheap to draw. One paint routine for screen and export.

#include "charts/figure_export.h"

#include "alignscope/rsa.h"

#include <QImage>
#include <QWidget>
#include <memory>

// The plot as plain values: a 200 × 200 log-density image of the pairs and the axes' ranges.
struct DensityFigure
{
    QImage density; // null without pairs
    QString title;
    double xLow = 0, xHigh = 1, yLow = 0, yHigh = 1;
    std::int64_t points = 0;
};

// The paint routine of the screen and of every export format.
void paintDensityPlot(QPainter& painter, const QRectF& rect, const QFont& font, const DensityFigure& figure);

class DensityPlot : public QWidget
{
    Q_OBJECT
public:
    explicit DensityPlot(QWidget* parent = nullptr);
    // Histograms the pairs (done once here, not per paint).
    void setData(const alignscope::CondensedMatrix& human, const alignscope::CondensedMatrix& model,
                 const QString& title);
    const DensityFigure& figureData() const { return m_figure; }
    FigurePainter figure() const; // paintDensityPlot over the plot shown when it is exported
    std::int64_t pointCount() const { return m_figure.points; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    DensityFigure m_figure;
};
