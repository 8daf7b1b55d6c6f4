#pragma once
// The Compare page's plot: a scatter of a result against a metadata column or another result (95% intervals
// as error bars, a least-squares line per group, the identity line for result against result), a result per
// factor level (points and box), or the concept × model heatmap. One paint routine for the screen and every
// export format; hovering names a model, clicking reports it (and, in the heatmap, the concept).

#include "charts/figure_export.h"
#include "figures/population_figure.h"

#include <QWidget>
#include <functional>

class PopulationChart : public QWidget
{
    Q_OBJECT
public:
    explicit PopulationChart(QWidget* parent = nullptr);
    void setFigure(PopulationFigureData figure);
    const PopulationFigureData& figureData() const { return m_figure; }

    FigurePainter figure() const; // paintPopulationFigure over the figure shown when it is exported
    // The model drawn at `point` (widget coordinates) and, in the heatmap, the concept, by their indices in
    // the population (its models, its conceptLabels()): names can repeat. `model` is -1 when none, `concept`
    // -1 outside the heatmap; `text` is what the tooltip says.
    struct Hit
    {
        int model = -1;
        int concept = -1;
        QString text;
    };
    Hit hitAt(const QPointF& point) const;
    // What the tooltip says over a hit: `text` when set (a page adds an object's image), else the hit's text.
    void setToolTipText(std::function<QString(const Hit& hit)> text);
    QString toolTipAt(const QPointF& point) const; // empty where nothing is

Q_SIGNALS:
    void modelClicked(int model);
    void cellClicked(int model, int concept);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    PopulationFigureData m_figure;
    std::function<QString(const Hit& hit)> m_toolTipText;
};

// The paint routine of the chart, the page's figures and `alignscope-cli compare --figure` (figures module).
void paintPopulationFigure(QPainter& painter, const QRectF& rect, const QFont& font,
                           const PopulationFigureData& f);
FigurePainter populationFigure(PopulationFigureData figure);
// The height in mm the figure needs at the style's width (the heatmap with every column named, the transfer
// matrix as tall as its rows); 0 where the style's height suits any content (scatter, by factor).
double populationFigureHeightMm(const PopulationFigureData& figure, const FigureStyle& style);

// The plot area's geometry shared by painting and hit testing (scatter and by-factor views).
struct PopulationPlotLayout
{
    QRectF plot;
    double xLow = 0, xHigh = 1, yLow = 0, yHigh = 1;
    double mapX(double x, bool logX) const;
    double mapY(double y) const;
    double radius = 3;
};
PopulationPlotLayout populationPlotLayout(const PopulationFigureData& figure, const QRectF& rect,
                                          const QFont& font, QPaintDevice* device);
// Horizontal offset of point `index` within its factor level (deterministic, so that exports match the
// screen).
double stripOffset(const PopulationFigureData& figure, size_t index);
