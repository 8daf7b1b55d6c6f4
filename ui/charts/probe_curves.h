#pragma once
// Live training curves of the probe, in two panels that share the step axis: loss (solid: train, dashed:
// held out) and held-out accuracy, one colour per fold. Each (fold, λ) run is its own line, so the end of one
// λ's run is never joined to the start of the next. One layout and paint routine for the screen and for
// figures (ticks at nice steps labelled to their precision, a title that wraps, a legend that flows). Points
// arrive at any rate; the screen repaints at most four times a second.

#include "charts/figure_export.h"

#include "alignscope/probe.h"

#include <QTimer>
#include <QWidget>
#include <vector>

// The curves as plain values: one run per (fold, λ), its steps in order.
struct ProbeCurvesData
{
    struct Run
    {
        int fold = 0;
        double lambda = 0;
        std::vector<alignscope::ProbeStep> steps;
    };
    std::vector<Run> runs;
};

// The paint routine of the screen and of every export format.
void paintProbeCurves(QPainter& painter, const QRectF& rect, const QFont& font, const ProbeCurvesData& data);

class ProbeCurves : public QWidget
{
    Q_OBJECT
public:
    explicit ProbeCurves(QWidget* parent = nullptr);
    void clear();
    void addStep(const alignscope::ProbeStep& step); // GUI thread
    int pointCount() const { return m_points; }
    const ProbeCurvesData& data() const { return m_data; }
    FigurePainter figure() const; // paintProbeCurves over the curves shown when it is exported

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    ProbeCurvesData m_data;
    QTimer m_redraw;
    int m_points = 0;
};
