#pragma once
// Per-concept odd-one-out accuracy: one horizontal bar per concept dimension and model, 95% CI whiskers,
// chance and noise-ceiling lines, a legend with every model's full name. One layout and paint routine for the
// screen and for figures at any print size: the title and long labels wrap, the legend flows into rows, ticks
// sit at 0.2 steps, and when the rows do not fit the height they continue in a second (or third) panel.
// Clicking a bar reports its dimension.

#include "charts/figure_export.h"

#include "alignscope/odd_one_out_analysis.h"

#include <QWidget>
#include <memory>
#include <vector>

// The chart as plain values: the analysis (shared, never copied) and its dimensions in display order.
struct ConceptBarsData
{
    std::shared_ptr<const alignscope::OddOneOutAnalysis> analysis;
    std::vector<int> dimensions; // top to bottom
};

// Paints the chart into `rect` (painter units) with `font`: the screen and every export format use it.
void paintConceptBars(QPainter& painter, const QRectF& rect, const QFont& font, const ConceptBarsData& data);
// The smallest height (from `height` up, in the units of `device`) at which every label fits its row at
// `width`; `height` when it already fits or when no height would.
double conceptBarsHeightFor(const ConceptBarsData& data, double width, double height, const QFont& font,
                            QPaintDevice* device);
// The dimension whose row contains `point` of the chart painted into `rect` with `font`; -1 when none.
int conceptBarsDimensionAt(const ConceptBarsData& data, const QPointF& point, const QRectF& rect,
                           const QFont& font, QPaintDevice* device);

class ConceptBarsChart : public QWidget
{
    Q_OBJECT
public:
    enum class Order
    {
        Accuracy,
        Dimension,
        Gap
    };

    explicit ConceptBarsChart(QWidget* parent = nullptr);
    void setAnalysis(std::shared_ptr<const alignscope::OddOneOutAnalysis> analysis);
    void setOrder(Order order);
    // Dimensions in display order (top to bottom), for tests and export.
    const std::vector<int>& shownDimensions() const { return m_data.dimensions; }
    int barSetCount() const; // models drawn
    const ConceptBarsData& data() const { return m_data; }
    FigurePainter figure() const; // paintConceptBars over the chart shown when it is exported
    // The smallest height (from `height` up, in the units of `device`) at which every label fits its row at
    // `width`; `height` when it already fits or when no height would.
    double heightFor(double width, double height, const QFont& font, QPaintDevice* device) const;
    // The figure's height in mm for a style: the style's, or taller when 42 concepts need it.
    std::function<double(const FigureStyle&)> figureHeight() const;
    // The dimension whose row contains `point` of this widget painted into `rect` with `font`; -1 when none.
    int dimensionAt(const QPointF& point, const QRectF& rect, const QFont& font) const;

Q_SIGNALS:
    void dimensionClicked(int dimension);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    void rebuild();

    ConceptBarsData m_data;
    Order m_order = Order::Accuracy;
};
