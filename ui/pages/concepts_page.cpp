#include "pages/concepts_page.h"

#include "controllers/odd_one_out_controller.h"
#include "export/figure_registry.h"

#include <QComboBox>
#include <QVBoxLayout>

ConceptsPage::ConceptsPage(OddOneOutController* controller, FigureRegistry* figures, QWidget* parent)
    : QWidget(parent), m_order(new QComboBox(this)), m_chart(new ConceptBarsChart(this))
{
    m_order->addItem(tr("Sort by accuracy"), int(ConceptBarsChart::Order::Accuracy));
    m_order->addItem(tr("Sort by dimension"), int(ConceptBarsChart::Order::Dimension));
    m_order->addItem(tr("Sort by gap between the first two models"), int(ConceptBarsChart::Order::Gap));
    m_chart->setObjectName(QStringLiteral("conceptChart"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_order);
    layout->addWidget(m_chart);
    connect(m_order, &QComboBox::currentIndexChanged, this,
            [this] { m_chart->setOrder(ConceptBarsChart::Order(m_order->currentData().toInt())); });
    connect(m_chart, &ConceptBarsChart::dimensionClicked, this, &ConceptsPage::showConcept);
    connect(controller, &OddOneOutController::analysisChanged, this,
            [this, controller] { m_chart->setAnalysis(controller->analysis()); });
    figures->add({QStringLiteral("concept-bars"), tr("Per-concept accuracy bars"), m_chart->figure(),
                  m_chart->figureHeight(), [chart = m_chart] { return !chart->shownDimensions().empty(); }},
                 this);
}

void ConceptsPage::setOrder(ConceptBarsChart::Order order)
{
    m_order->setCurrentIndex(std::max(0, m_order->findData(int(order))));
}
