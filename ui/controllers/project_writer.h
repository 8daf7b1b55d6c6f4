#pragma once
// Writes project folders off the GUI thread: the caller hands over a snapshot (a ProjectData value, taken on
// the GUI thread) and the write runs on the TaskRunner's CPU lane, one at a time, in the order asked. A
// request for a folder that is still waiting is replaced by a newer one (its state is newer; nothing is
// lost); the write in progress always completes, even when the runner's jobs are cancelled. `finished`
// comes back on the GUI thread.

#include "session/project_data.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <deque>
#include <functional>
#include <memory>

class TaskRunner;

class ProjectWriter : public QObject
{
    Q_OBJECT
public:
    // What writes a folder: saveProject (project_file.h), unless a test holds writes back.
    using WriteFunction = std::function<QString(const ProjectData&, const QString&)>;

    explicit ProjectWriter(TaskRunner* tasks, QObject* parent = nullptr);
    ~ProjectWriter() override; // writes what is still queued first

    // `tag` comes back with `finished` (what the caller needs to know which state was written).
    void write(ProjectData project, const QString& folder, quint64 tag);
    bool isBusy() const { return m_current || !m_queue.empty(); }
    // Blocks until every queued write is done, emitting their `finished` (scripts, exit).
    void waitForDone();
    void setWriteFunction(WriteFunction write) { m_write = std::move(write); }

Q_SIGNALS:
    void finished(const QString& folder, quint64 tag, const QString& error);

private:
    struct Write;
    void startNext();
    void complete(const std::shared_ptr<Write>& write);

    QPointer<TaskRunner> m_tasks;
    WriteFunction m_write;
    std::deque<std::shared_ptr<Write>> m_queue;
    std::shared_ptr<Write> m_current;
};
