#pragma once
// Per-concept odd-one-out accuracy: one horizontal bar per concept dimension and model, 95% CI whiskers,
// chance and noise-ceiling lines. Clicking a bar reports its dimension.

#include "alignscope/odd_one_out_analysis.h"

#include <QChartView>
#include <memory>
#include <vector>

class WhiskerItem;

class ConceptBarsChart : public QChartView
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
    const std::vector<int>& shownDimensions() const { return m_dimensions; }
    int barSetCount() const;

Q_SIGNALS:
    void dimensionClicked(int dimension);

private:
    void rebuild();

    std::shared_ptr<const alignscope::OddOneOutAnalysis> m_analysis;
    Order m_order = Order::Accuracy;
    std::vector<int> m_dimensions;
    WhiskerItem* m_whiskers = nullptr;
};
