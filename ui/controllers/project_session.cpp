#include "controllers/project_session.h"

#include "controllers/workbench.h"
#include "session/project_file.h"
#include "session/session.h"

#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QMenu>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <csignal>
#include <unistd.h>

namespace {
constexpr int kRecentLimit = 8;

bool processAlive(qint64 pid)
{
    return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM);
}
} // namespace

ProjectSession::ProjectSession(Workbench* workbench, const QString& stateFolder, QObject* parent)
    : QObject(parent), m_workbench(workbench),
      m_stateFolder(stateFolder.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                                          : stateFolder),
      m_autosave(new QTimer(this))
{
    QDir().mkpath(m_stateFolder);
    const QString lock = QDir(m_stateFolder).filePath(QStringLiteral("session.lock"));
    QFile previous(lock);
    if (previous.open(QIODevice::ReadOnly)) {
        const qint64 pid = previous.readAll().trimmed().toLongLong();
        previous.close();
        // Another live instance owns the autosave; a dead owner crashed (a clean exit removes the lock).
        m_recoveryAvailable = !processAlive(pid) && projectRevision(autosaveFolder()) > 0;
    }
    QFile mine(lock);
    if (mine.open(QIODevice::WriteOnly | QIODevice::Truncate))
        mine.write(QByteArray::number(QCoreApplication::applicationPid()));
    connect(workbench->session(), &Session::itemsChanged, this, [this] { m_dirty = true; });
    connect(m_autosave, &QTimer::timeout, this, [this] { autosaveNow(); });
    setAutosaveInterval(qEnvironmentVariableIntValue("ALIGNSCOPE_AUTOSAVE_SECONDS") > 0
                            ? qEnvironmentVariableIntValue("ALIGNSCOPE_AUTOSAVE_SECONDS")
                            : 120);
}

ProjectSession::~ProjectSession() = default;

QString ProjectSession::autosaveFolder() const
{
    return QDir(m_stateFolder).filePath(QStringLiteral("autosave.alignscope"));
}

void ProjectSession::setAutosaveInterval(int seconds)
{
    m_autosave->start(seconds * 1000);
}

bool ProjectSession::autosaveNow()
{
    if (!m_dirty) return false;
    if (!saveProject(m_workbench->toProject(), autosaveFolder()).isEmpty()) return false;
    m_dirty = false;
    return true;
}

QString ProjectSession::recover(QStringList* notes)
{
    ProjectData project;
    const QString error = openProject(autosaveFolder(), &project, notes);
    if (!error.isEmpty()) return error;
    m_workbench->applyProject(project, notes);
    m_recoveryAvailable = false;
    return {};
}

void ProjectSession::endSession()
{
    QFile::remove(QDir(m_stateFolder).filePath(QStringLiteral("session.lock")));
    QDir(autosaveFolder()).removeRecursively();
}

QString ProjectSession::save(const QString& folder)
{
    const QString error = saveProject(m_workbench->toProject(), folder);
    if (!error.isEmpty()) return error;
    m_project = folder;
    m_dirty = false;
    remember(folder);
    return {};
}

QString ProjectSession::open(const QString& folder, QStringList* notes)
{
    ProjectData project;
    const QString error = openProject(folder, &project, notes);
    if (!error.isEmpty()) return error;
    m_workbench->applyProject(project, notes);
    m_project = folder;
    remember(folder);
    return {};
}

QStringList ProjectSession::recentProjects() const
{
    return QSettings().value(QStringLiteral("recentProjects")).toStringList();
}

void ProjectSession::remember(const QString& folder)
{
    QStringList recent = recentProjects();
    recent.removeAll(folder);
    recent.prepend(folder);
    while (recent.size() > kRecentLimit)
        recent.removeLast();
    QSettings().setValue(QStringLiteral("recentProjects"), recent);
    refreshRecentMenu();
}

void ProjectSession::refreshRecentMenu()
{
    if (!m_recentMenu) return;
    m_recentMenu->clear();
    for (const QString& folder : recentProjects())
        m_recentMenu->addAction(folder, this, [this, folder] {
            QStringList notes;
            const QString error = open(folder, &notes);
            Q_EMIT messages(error.isEmpty() ? notes : QStringList{error}, !error.isEmpty());
        });
    m_recentMenu->setEnabled(!m_recentMenu->isEmpty());
}

bool ProjectSession::saveAsChosenFolder()
{
    const QString folder = QFileDialog::getSaveFileName(m_dialogParent, tr("Save the project as a folder"),
                                                        QStringLiteral("analysis.alignscope"));
    if (folder.isEmpty()) return false;
    const QString error = save(folder);
    Q_EMIT messages({error.isEmpty() ? tr("Saved the project to %1").arg(folder) : error}, !error.isEmpty());
    return error.isEmpty();
}

void ProjectSession::addMenuActions(QMenu* file, QWidget* dialogParent)
{
    m_dialogParent = dialogParent;
    file->addAction(tr("Open &Project…"), this, [this] {
        const QString folder =
            QFileDialog::getExistingDirectory(m_dialogParent, tr("Open an AlignScope project folder"));
        if (folder.isEmpty()) return;
        QStringList notes;
        const QString error = open(folder, &notes);
        Q_EMIT messages(error.isEmpty() ? notes : QStringList{error}, !error.isEmpty());
    });
    m_recentMenu = file->addMenu(tr("Recent Projects"));
    refreshRecentMenu();
    auto saveAs = [this] { saveAsChosenFolder(); };
    file->addAction(tr("&Save Project"), QKeySequence::Save, this, [this, saveAs] {
        if (m_project.isEmpty()) return saveAs();
        const QString error = save(m_project);
        Q_EMIT messages({error.isEmpty() ? tr("Saved the project to %1").arg(m_project) : error},
                        !error.isEmpty());
    });
    file->addAction(tr("Save Project &As…"), QKeySequence::SaveAs, this, saveAs);
}
