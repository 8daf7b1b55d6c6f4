#include "controllers/load_controller.h"

#include "session/file_loader.h"
#include "session/session.h"
#include "session/task_runner.h"

LoadController::LoadController(Session* session, TaskRunner* tasks, QObject* parent)
    : QObject(parent), m_session(session), m_tasks(tasks)
{
}

void LoadController::open(const QStringList& paths)
{
    if (paths.isEmpty()) return;
    m_session->noteOpened(paths);
    Q_EMIT m_session->message(tr("Loading %1").arg(paths.join(QStringLiteral(", "))), false);
    const size_t objectCount = m_session->objects() ? m_session->objects()->size() : 0;
    m_tasks->run<std::vector<LoadedItem>>(
        QString(), this,
        [paths, objectCount](const alignscope::TaskContext& context) {
            return loadPaths(paths, objectCount, context);
        },
        [this, paths](std::vector<LoadedItem> items) {
            for (LoadedItem& item : items)
                m_session->add(std::move(item));
            Q_EMIT loaded(paths);
        });
}
