#include "controllers/project_writer.h"

#include "session/project_file.h"
#include "session/task_runner.h"

#include <condition_variable>
#include <mutex>

struct ProjectWriter::Write
{
    ProjectData project;
    QString folder;
    quint64 tag = 0;
    QString error;
    // Set on the worker once the folder is written; the GUI thread may wait on it.
    std::mutex mutex;
    std::condition_variable doneChanged;
    bool done = false;
};

ProjectWriter::ProjectWriter(TaskRunner* tasks, QObject* parent)
    : QObject(parent), m_tasks(tasks), m_write(saveProject)
{
}

ProjectWriter::~ProjectWriter()
{
    waitForDone();
}

void ProjectWriter::write(ProjectData project, const QString& folder, quint64 tag)
{
    auto request = std::make_shared<Write>();
    request->project = std::move(project);
    request->folder = folder;
    request->tag = tag;
    for (auto& waiting : m_queue)
        if (waiting->folder == folder) {
            waiting = std::move(request); // newer state for the same folder, in the older one's place
            return;
        }
    m_queue.push_back(std::move(request));
    startNext();
}

void ProjectWriter::startNext()
{
    if (m_current || m_queue.empty()) return;
    m_current = m_queue.front();
    m_queue.pop_front();
    auto run = [write = m_current, function = m_write, self = this] {
        QString error = function(write->project, write->folder);
        write->project = {}; // the snapshot's arrays are released on the worker
        // Posted before `done` is set: whoever waits for `done` may destroy this object next.
        QMetaObject::invokeMethod(
            self, [self, write] { self->complete(write); }, Qt::QueuedConnection);
        std::lock_guard lock(write->mutex);
        write->error = std::move(error);
        write->done = true;
        write->doneChanged.notify_all();
    };
    if (!m_tasks) { // the runner is gone (the window is closing): write here
        run();
        return;
    }
    // Not a cancellable job: the runner's Cancel and a new workspace must not drop a save.
    m_tasks->run<bool>(
        {}, this,
        [run](const alignscope::TaskContext&) {
            run();
            return true;
        },
        [](bool) {});
}

void ProjectWriter::complete(const std::shared_ptr<Write>& write)
{
    if (m_current != write) return; // delivered already (by waitForDone)
    m_current.reset();
    QString error;
    {
        std::lock_guard lock(write->mutex);
        error = write->error;
    }
    Q_EMIT finished(write->folder, write->tag, error);
    startNext();
}

void ProjectWriter::waitForDone()
{
    while (isBusy()) {
        startNext();
        const std::shared_ptr<Write> write = m_current;
        {
            std::unique_lock lock(write->mutex);
            write->doneChanged.wait(lock, [&] { return write->done; });
        }
        complete(write);
    }
}
