#include "charts/probe_curves.h"

#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>

ProbeCurves::ProbeCurves(QWidget* parent) : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing);
    chart()->setTitle(tr("Probe training per fold: loss (solid: train, dashed: held out) and held-out "
                         "accuracy (dotted, right axis)"));
    auto* x = new QValueAxis;
    x->setTitleText(tr("step"));
    auto* y = new QValueAxis;
    y->setTitleText(tr("loss"));
    auto* accuracy = new QValueAxis;
    accuracy->setTitleText(tr("held-out accuracy"));
    accuracy->setRange(0.3, 1.0);
    // Three series per fold make a long legend: beside the plot it costs width, not the plot's height.
    chart()->legend()->setAlignment(Qt::AlignRight);
    setMinimumHeight(280);
    chart()->addAxis(x, Qt::AlignBottom);
    chart()->addAxis(y, Qt::AlignLeft);
    chart()->addAxis(accuracy, Qt::AlignRight);
    m_redraw.setInterval(250); // throttle: L-BFGS reports many steps a second
    m_redraw.setSingleShot(true);
    connect(&m_redraw, &QTimer::timeout, this, &ProbeCurves::flush);
}

void ProbeCurves::clear()
{
    chart()->removeAllSeries();
    m_train.clear();
    m_held.clear();
    m_accuracy.clear();
    m_pending.clear();
    m_points = 0;
    m_maxStep = 1, m_minLoss = 1e9, m_maxLoss = -1e9;
}

void ProbeCurves::addStep(const alignscope::ProbeStep& step)
{
    m_pending.push_back(step);
    if (!m_redraw.isActive()) m_redraw.start();
}

void ProbeCurves::flush()
{
    const auto axes = chart()->axes();
    for (const auto& step : m_pending) {
        const int key = step.fold;
        for (auto* map : {&m_train, &m_held, &m_accuracy}) {
            if (map->contains(key)) continue;
            auto* series = new QLineSeries;
            const QString name = key < 0 ? tr("final") : tr("fold %1").arg(key + 1);
            series->setName(map == &m_train  ? name
                            : map == &m_held ? name + tr(" held out")
                                             : name + tr(" accuracy"));
            chart()->addSeries(series);
            series->attachAxis(axes[0]);
            series->attachAxis(map == &m_accuracy ? axes[2] : axes[1]);
            if (map != &m_train) {
                QPen pen = series->pen();
                pen.setStyle(map == &m_held ? Qt::DashLine : Qt::DotLine);
                series->setPen(pen);
            }
            map->insert(key, series);
        }
        m_train[key]->append(step.step, step.trainLoss);
        m_held[key]->append(step.step, step.validationLoss);
        if (key >= 0)
            m_accuracy[key]->append(step.step,
                                    step.validationAccuracy); // the final refit has no held-out set
        m_points += 3;
        m_maxStep = std::max(m_maxStep, double(step.step));
        for (double loss : {step.trainLoss, step.validationLoss})
            if (loss > 0) m_minLoss = std::min(m_minLoss, loss), m_maxLoss = std::max(m_maxLoss, loss);
    }
    m_pending.clear();
    if (axes.size() == 3 && m_maxLoss > 0) {
        axes[0]->setRange(0, m_maxStep);
        axes[1]->setRange(std::max(0.0, m_minLoss * 0.95), m_maxLoss * 1.05);
    }
}
