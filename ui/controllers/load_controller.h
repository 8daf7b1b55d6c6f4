#pragma once
// Opens files and folders for the Session: loads them on a worker (routed by content, object sets first)
// and adds the items on the GUI thread, in order. `loaded` follows each batch.

#include <QObject>
#include <QStringList>

class Session;
class TaskRunner;

class LoadController : public QObject
{
    Q_OBJECT
public:
    LoadController(Session* session, TaskRunner* tasks, QObject* parent = nullptr);

    void open(const QStringList& paths);

Q_SIGNALS:
    void loaded(const QStringList& paths); // the batch's items are in the Session (failures reported)

private:
    Session* m_session;
    TaskRunner* m_tasks;
};
