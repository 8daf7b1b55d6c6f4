#include "project_save_mode.h"

#include "controllers/odd_one_out_controller.h"
#include "controllers/rsa_controller.h"
#include "controllers/workbench.h"
#include "main_window.h"
#include "session/project_file.h"
#include "session/session.h"

#include <QApplication>
#include <cstdio>

ProjectSaveMode::ProjectSaveMode(MainWindow& window, const QString& folder)
    : QObject(&window), m_window(window), m_folder(folder)
{
    Workbench* workbench = window.workbench();
    connect(workbench->session(), &Session::message, this, [this](const QString& text, bool isError) {
        if (isError) fail(text);
    });
    connect(workbench->oddOneOut(), &OddOneOutController::failed, this, &ProjectSaveMode::fail);
    connect(workbench->rsa(), &RsaController::failed, this, &ProjectSaveMode::fail);
}

void ProjectSaveMode::fail(const QString& what)
{
    m_failures << what;
}

void ProjectSaveMode::start()
{
    Workbench* workbench = m_window.workbench();
    if (workbench->isSettled())
        QMetaObject::invokeMethod(this, &ProjectSaveMode::save, Qt::QueuedConnection);
    else
        connect(workbench, &Workbench::settled, this, &ProjectSaveMode::save, Qt::SingleShotConnection);
}

void ProjectSaveMode::save()
{
    // A project of a workspace where something failed would look complete: nothing is saved then.
    const QString error = m_failures.isEmpty() ? saveProject(m_window.workbench()->toProject(), m_folder)
                                               : QStringLiteral("%1: not saved, because: %2")
                                                     .arg(m_folder, m_failures.join(QStringLiteral("; ")));
    if (!error.isEmpty()) {
        std::fprintf(stderr, "alignscope: %s\n", qPrintable(error));
        QApplication::exit(1);
        return;
    }
    std::printf("%s\n", qPrintable(m_folder));
    std::fflush(stdout);
    QApplication::exit(0);
}
