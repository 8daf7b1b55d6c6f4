#pragma once
// Live training curves of the probe: train and held-out loss per fold. Points arrive at any rate; the
// chart redraws at most a few times a second.

#include "alignscope/probe.h"

#include <QChartView>
#include <QMap>
#include <QTimer>
#include <vector>

class QLineSeries;

class ProbeCurves : public QChartView
{
    Q_OBJECT
public:
    explicit ProbeCurves(QWidget* parent = nullptr);
    void clear();
    void addStep(const alignscope::ProbeStep& step); // GUI thread
    int pointCount() const { return m_points; }

private:
    void flush();

    std::vector<alignscope::ProbeStep> m_pending;
    QMap<int, QLineSeries*> m_train, m_held, m_accuracy;
    QTimer m_redraw;
    int m_points = 0;
    double m_maxStep = 1, m_minLoss = 1e9, m_maxLoss = -1e9;
};
