#pragma once
// Concepts page: per-concept odd-one-out accuracy bars of the controller's analysis, with their order.
// Clicking a bar asks to see that concept's triplets.

#include "charts/concept_bars_chart.h"

#include <QWidget>

class FigureRegistry;
class OddOneOutController;
class QComboBox;

class ConceptsPage : public QWidget
{
    Q_OBJECT
public:
    // Registers the "concept-bars" figure.
    ConceptsPage(OddOneOutController* controller, FigureRegistry* figures, QWidget* parent = nullptr);
    ConceptBarsChart* chart() const { return m_chart; }
    void setOrder(ConceptBarsChart::Order order);

Q_SIGNALS:
    void showConcept(int dimension);

private:
    QComboBox* m_order;
    ConceptBarsChart* m_chart;
};
