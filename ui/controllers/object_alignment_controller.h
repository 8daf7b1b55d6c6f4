#pragma once
// Odd-one-out alignment per object for the current analysis: each model's accuracy over the triplets that
// contain an object, with its interval, and the share of an object's triplets that every model gets wrong
// (the core's perObjectAlignment, run on a worker). Computed only once something wants it (the Objects page
// shown): it adds about 0.2 s per model at THINGS scale to every analysis otherwise.

#include "alignscope/object_alignment.h"
#include "alignscope/odd_one_out_analysis.h"

#include <QObject>
#include <memory>

class OddOneOutController;
class TaskRunner;

class ObjectAlignmentController : public QObject
{
    Q_OBJECT
public:
    ObjectAlignmentController(OddOneOutController* oddOneOut, TaskRunner* tasks, QObject* parent = nullptr);

    // From now on every analysis gets its per-object alignment (the current one at once).
    void request();
    // The odd-one-out analysis changed (the Workbench calls it): recomputed when requested.
    void update();
    // The analysis the result belongs to and the result (null until computed, or when the analysis has no
    // model); `alignment().models[m][s]` is analysis()->models[m] on stimulus s.
    std::shared_ptr<const alignscope::OddOneOutAnalysis> analysis() const { return m_analysis; }
    std::shared_ptr<const alignscope::PerObjectAlignment> alignment() const { return m_alignment; }

Q_SIGNALS:
    void alignmentChanged();
    void failed(const QString& message);

private:
    OddOneOutController* m_oddOneOut;
    TaskRunner* m_tasks;
    bool m_requested = false;
    std::shared_ptr<const alignscope::OddOneOutAnalysis> m_analysis;
    std::shared_ptr<const alignscope::PerObjectAlignment> m_alignment;
};
