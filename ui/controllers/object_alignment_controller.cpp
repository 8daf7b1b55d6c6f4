#include "controllers/object_alignment_controller.h"

#include "controllers/odd_one_out_controller.h"
#include "session/task_runner.h"

using namespace alignscope;

ObjectAlignmentController::ObjectAlignmentController(OddOneOutController* oddOneOut, TaskRunner* tasks,
                                                     QObject* parent)
    : QObject(parent), m_oddOneOut(oddOneOut), m_tasks(tasks)
{
}

void ObjectAlignmentController::request()
{
    if (m_requested) return;
    m_requested = true;
    update();
}

void ObjectAlignmentController::update()
{
    if (!m_requested) return;
    const std::shared_ptr<const OddOneOutAnalysis> analysis = m_oddOneOut->analysis();
    if (analysis == m_analysis && (m_alignment || !analysis)) return;
    if (!analysis || analysis->models.empty()) {
        m_tasks->cancel(QStringLiteral("objects"));
        m_analysis = analysis;
        m_alignment.reset();
        Q_EMIT alignmentChanged();
        return;
    }
    m_tasks->run<Result<PerObjectAlignment>>(
        QStringLiteral("objects"), this,
        [analysis](const TaskContext& context) { return perObjectAlignment(*analysis, context); },
        [this, analysis](Result<PerObjectAlignment> alignment) {
            m_analysis = analysis;
            if (alignment) {
                m_alignment = std::make_shared<const PerObjectAlignment>(std::move(alignment).value());
            } else {
                m_alignment.reset();
                Q_EMIT failed(QString::fromStdString(alignment.error().message()));
            }
            Q_EMIT alignmentChanged();
        });
}
