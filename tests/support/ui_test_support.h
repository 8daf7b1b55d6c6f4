#pragma once
// Helpers for the GUI tests: waiting for the Workbench to settle (the signal that every result reflects the
// current inputs) instead of sleeping or polling, and collecting messages the Session reports.

#include "controllers/workbench.h"
#include "session/session.h"

#include <QSignalSpy>
#include <QStringList>

namespace testsupport {

// True once nothing runs and nothing is scheduled: waits for Workbench::settled unless it already is.
inline bool waitSettled(Workbench& workbench, int timeoutMs)
{
    if (workbench.isSettled()) return true;
    QSignalSpy settled(&workbench, &Workbench::settled);
    return settled.wait(timeoutMs);
}

// Everything the Session reports (loads, errors), for assertion messages and checks.
class SessionLog : public QObject
{
public:
    explicit SessionLog(Session* session)
    {
        connect(session, &Session::message, this,
                [this](const QString& text, bool isError) { lines << (isError ? "error: " : "") + text; });
    }
    QString text() const { return lines.join('\n'); }
    QStringList lines;
};

} // namespace testsupport
