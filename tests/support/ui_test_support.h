#pragma once
// Helpers for the GUI tests: waiting for the Workbench to settle (the signal that every result reflects the
// current inputs) instead of sleeping or polling, and collecting messages the Session reports.

#include "controllers/object_alignment_controller.h"
#include "controllers/odd_one_out_controller.h"
#include "controllers/workbench.h"
#include "session/session.h"

#include "alignscope/demo_data.h"

#include <QSignalSpy>
#include <QStringList>
#include <QTemporaryDir>
#include <QWidget>
#include <optional>

namespace testsupport {

// The demo's files generated into `dir`/demo, with the application's state (recent files, autosaves) kept in
// `dir`/state: a test never reads or writes the user's.
// Empty (the reason on the test's log) when the folder or the demo cannot be made.
inline std::optional<alignscope::DemoDataset> demoInTemporaryFolder(const QTemporaryDir& dir)
{
    if (!dir.isValid()) return std::nullopt;
    qputenv("ALIGNSCOPE_STATE_DIR", dir.filePath("state").toUtf8());
    auto demo = alignscope::generateDemoDataset(dir.filePath("demo").toStdString());
    if (!demo) qWarning("the demo: %s", demo.error().message().c_str());
    return demo ? std::optional<alignscope::DemoDataset>(std::move(demo).value()) : std::nullopt;
}

// Opens the demo's objects, triplets and two feature models (and with `withConcepts` its concept space) in
// `workbench` with `page` shown (pages compute once shown); true once settled with an odd-one-out analysis
// and its per-object result (with the concept space's neighbours exactly when `withConcepts`).
bool openDemoOnPage(Workbench& workbench, QWidget& page, const alignscope::DemoDataset& demo,
                    bool withConcepts = false);

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

inline bool openDemoOnPage(Workbench& workbench, QWidget& page, const alignscope::DemoDataset& demo,
                           bool withConcepts)
{
    page.show();
    QStringList paths{QString::fromStdString(demo.folder)};
    if (withConcepts) {
        workbench.session()->setConceptPath(QString::fromStdString(demo.conceptSpace));
        paths << QString::fromStdString(demo.conceptSpace);
    }
    for (const std::string& model : demo.featureModels)
        paths << QString::fromStdString(model);
    workbench.open(paths);
    if (!waitSettled(workbench, 120000) || !workbench.oddOneOut()->analysis()) return false;
    const auto ready = [&workbench, withConcepts] {
        const auto result = workbench.objectAlignment()->result();
        return result && (result->human != nullptr) == withConcepts;
    };
    QSignalSpy changed(workbench.objectAlignment(), &ObjectAlignmentController::alignmentChanged);
    while (!ready())
        if (!changed.wait(60000)) return false;
    return true;
}

} // namespace testsupport
