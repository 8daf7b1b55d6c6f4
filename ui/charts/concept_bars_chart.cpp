#include "charts/concept_bars_chart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QGraphicsItem>
#include <QHorizontalBarSeries>
#include <QLineSeries>
#include <QPainter>
#include <QToolTip>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

using namespace alignscope;

// Draws CI whiskers over the bars; Qt Charts has no error bars. Positions are recomputed from the chart's
// value-to-pixel mapping whenever the plot area changes.
class WhiskerItem : public QGraphicsItem
{
public:
    WhiskerItem(QChart* chart, QAbstractSeries* series)
        : QGraphicsItem(chart), m_chart(chart), m_series(series)
    {
    }
    struct Whisker
    {
        double low, high, category, offset;
    };
    void setWhiskers(std::vector<Whisker> whiskers)
    {
        prepareGeometryChange();
        m_whiskers = std::move(whiskers);
        update();
    }
    QRectF boundingRect() const override { return m_chart->plotArea(); }
    void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override
    {
        painter->setPen(QPen(QColor(40, 40, 40), 1.2));
        for (const Whisker& w : m_whiskers) {
            const QPointF a = m_chart->mapToPosition(QPointF(w.low, w.category + w.offset), m_series);
            const QPointF b = m_chart->mapToPosition(QPointF(w.high, w.category + w.offset), m_series);
            painter->drawLine(a, b);
            painter->drawLine(a + QPointF(0, -3), a + QPointF(0, 3));
            painter->drawLine(b + QPointF(0, -3), b + QPointF(0, 3));
        }
    }

private:
    QChart* m_chart;
    QAbstractSeries* m_series;
    std::vector<Whisker> m_whiskers;
};

ConceptBarsChart::ConceptBarsChart(QWidget* parent) : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing);
    chart()->setTitle(tr("Odd-one-out accuracy per concept dimension"));
    chart()->legend()->setAlignment(Qt::AlignBottom);
}

void ConceptBarsChart::setAnalysis(std::shared_ptr<const OddOneOutAnalysis> analysis)
{
    m_analysis = std::move(analysis);
    rebuild();
}

void ConceptBarsChart::setOrder(Order order)
{
    m_order = order;
    rebuild();
}

int ConceptBarsChart::barSetCount() const
{
    for (QAbstractSeries* series : chart()->series())
        if (auto* bars = qobject_cast<QHorizontalBarSeries*>(series)) return bars->count();
    return 0;
}

void ConceptBarsChart::rebuild()
{
    QChart* c = chart();
    if (m_whiskers) {
        delete m_whiskers;
        m_whiskers = nullptr;
    }
    c->removeAllSeries();
    for (QAbstractAxis* axis : c->axes()) {
        c->removeAxis(axis);
        delete axis;
    }
    m_dimensions.clear();
    if (!m_analysis || m_analysis->models.empty() || m_analysis->models.front().perConcept.empty()) {
        c->setTitle(tr("Per-concept accuracy needs a concept space (e.g. the VICE embedding)"));
        return;
    }
    c->setTitle(tr("Odd-one-out accuracy per concept dimension"));
    const auto& first = m_analysis->models.front().perConcept;
    for (const auto& concept : first)
        if (concept.triplets > 0) m_dimensions.push_back(concept.dimension);
    auto accuracyOf = [&](size_t model, int dimension) {
        return m_analysis->models[model].perConcept[size_t(dimension)].accuracy;
    };
    if (m_order == Order::Accuracy)
        std::stable_sort(m_dimensions.begin(), m_dimensions.end(),
                         [&](int a, int b) { return accuracyOf(0, a) > accuracyOf(0, b); });
    if (m_order == Order::Gap && m_analysis->models.size() > 1)
        std::stable_sort(m_dimensions.begin(), m_dimensions.end(), [&](int a, int b) {
            return accuracyOf(0, a) - accuracyOf(1, a) > accuracyOf(0, b) - accuracyOf(1, b);
        });
    // Horizontal bars draw category 0 at the bottom; reverse so the first dimension is on top.
    std::vector<int> bottomUp(m_dimensions.rbegin(), m_dimensions.rend());

    auto* series = new QHorizontalBarSeries;
    QStringList categories;
    for (int d : bottomUp) {
        QString label = QString::fromStdString(first[size_t(d)].label);
        categories << (label.size() > 42 ? label.left(40) + QStringLiteral("…") : label);
    }
    std::vector<WhiskerItem::Whisker> whiskers;
    const double setCount = double(m_analysis->models.size());
    for (size_t m = 0; m < m_analysis->models.size(); ++m) {
        const ModelAnalysis& model = m_analysis->models[m];
        auto* set = new QBarSet(QString::fromStdString(model.name));
        for (size_t row = 0; row < bottomUp.size(); ++row) {
            const ConceptAccuracy& concept = model.perConcept[size_t(bottomUp[row])];
            *set << concept.accuracy;
            const double offset = (double(m) - (setCount - 1) / 2) * (0.8 / setCount);
            whiskers.push_back({concept.ci95.low, concept.ci95.high, double(row), offset});
        }
        connect(set, &QBarSet::hovered, this, [this, bottomUp](bool status, int index) {
            if (!status || index < 0 || size_t(index) >= bottomUp.size()) return;
            const auto& concept = m_analysis->models.front().perConcept[size_t(bottomUp[size_t(index)])];
            QString text = QString::fromStdString(concept.label) + tr("\n%1 triplets").arg(concept.triplets);
            for (const auto& model : m_analysis->models)
                text += QStringLiteral("\n%1: %2")
                            .arg(QString::fromStdString(model.name))
                            .arg(model.perConcept[size_t(concept.dimension)].accuracy, 0, 'f', 3);
            QToolTip::showText(QCursor::pos(), text, this);
        });
        connect(set, &QBarSet::clicked, this, [this, bottomUp](int index) {
            if (index >= 0 && size_t(index) < bottomUp.size())
                Q_EMIT dimensionClicked(bottomUp[size_t(index)]);
        });
        series->append(set);
    }
    c->addSeries(series);
    auto* yAxis = new QBarCategoryAxis;
    yAxis->append(categories);
    auto* xAxis = new QValueAxis;
    xAxis->setRange(0.0, 1.0);
    xAxis->setTitleText(tr("accuracy"));
    xAxis->setTickCount(6); // 0.2 steps: every label states its value at one decimal
    xAxis->setLabelFormat(QStringLiteral("%.1f"));
    c->addAxis(yAxis, Qt::AlignLeft);
    c->addAxis(xAxis, Qt::AlignBottom);
    series->attachAxis(yAxis);
    series->attachAxis(xAxis);

    auto addLine = [&](double x, const QString& name, const QColor& color) {
        auto* line = new QLineSeries;
        line->setName(name);
        line->append(x, -0.5);
        line->append(x, double(bottomUp.size()) - 0.5);
        line->setPen(QPen(color, 1.5, Qt::DashLine));
        c->addSeries(line);
        line->attachAxis(xAxis);
        line->attachAxis(yAxis);
    };
    addLine(1.0 / 3.0, tr("chance"), QColor(120, 120, 120));
    if (m_analysis->repeats.noiseCeiling)
        addLine(*m_analysis->repeats.noiseCeiling, tr("noise ceiling"), QColor(200, 60, 60));

    m_whiskers = new WhiskerItem(c, series);
    m_whiskers->setZValue(10);
    m_whiskers->setWhiskers(std::move(whiskers));
    connect(c, &QChart::plotAreaChanged, this, [this] {
        if (m_whiskers) m_whiskers->update();
    });
    setMinimumHeight(std::max(300, int(bottomUp.size()) * 14 * std::max(1, int(setCount))));
}
