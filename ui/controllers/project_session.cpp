#include "controllers/project_session.h"

#include "controllers/project_writer.h"
#include "controllers/workbench.h"
#include "session/project_file.h"
#include "session/session.h"

#include "alignscope/file_io.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
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
    : QObject(parent), m_workbench(workbench), m_writer(new ProjectWriter(workbench->tasks(), this)),
      m_stateFolder(stateFolder.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                                          : stateFolder),
      m_autosave(new QTimer(this))
{
    QDir().mkpath(m_stateFolder);
    const QString lock = QDir(m_stateFolder).filePath(QStringLiteral("session.lock"));
    const std::string lockPath = QFile::encodeName(lock).toStdString();
    // Read and written through core's checked paths: a lock that is a FIFO or a link to a user's file is
    // neither blocked on nor overwritten.
    if (auto previous = alignscope::readWholeFile(lockPath, 64)) {
        const qint64 pid = QByteArray(previous->data(), qsizetype(previous->size())).trimmed().toLongLong();
        // Another live instance owns the autosave; a dead owner crashed (a clean exit removes the lock).
        m_recoveryAvailable = !processAlive(pid) && projectRevision(autosaveFolder()) > 0;
    }
    if (auto written = alignscope::writeFileAtomically(
            lockPath, QByteArray::number(QCoreApplication::applicationPid()).toStdString());
        !written)
        qWarning("%s", written.error().message().c_str());
    m_savedChanges = m_autosavingChanges = m_workspaceStart = workbench->changeCount();
    connect(workbench, &Workbench::changed, this, &ProjectSession::updateModified);
    connect(workbench, &Workbench::workspaceCleared, this, [this] {
        // A new, empty workspace: nothing to save, and no project to save it into.
        m_project.clear();
        m_savedChanges = m_workspaceStart = m_workbench->changeCount();
        updateModified();
    });
    connect(m_writer, &ProjectWriter::finished, this, &ProjectSession::written);
    connect(m_autosave, &QTimer::timeout, this, [this] { autosaveNow(); });
    const int seconds = qEnvironmentVariableIntValue("ALIGNSCOPE_AUTOSAVE_SECONDS");
    setAutosaveInterval(std::chrono::seconds(seconds > 0 ? seconds : 120));
}

ProjectSession::~ProjectSession() = default; // the writer finishes what was asked before it goes

QString ProjectSession::autosaveFolder() const
{
    return QDir(m_stateFolder).filePath(QStringLiteral("autosave.alignscope"));
}

void ProjectSession::setAutosaveInterval(std::chrono::milliseconds interval)
{
    m_autosave->start(interval);
}

void ProjectSession::setWriteFunction(WriteFunction write)
{
    m_writer->setWriteFunction(std::move(write));
}

bool ProjectSession::isModified() const
{
    return m_modified;
}

bool ProjectSession::isSaving() const
{
    return m_writer->isBusy();
}

void ProjectSession::updateModified()
{
    if (!m_workbench) return;
    const bool modified = m_workbench->changeCount() != m_savedChanges;
    if (modified == m_modified) return;
    m_modified = modified;
    Q_EMIT modifiedChanged(modified);
}

bool ProjectSession::autosaveNow()
{
    const quint64 changes = m_workbench->changeCount();
    if (changes == m_autosavingChanges) return false; // that state is written or being written
    m_autosavingChanges = changes;
    m_writer->write(m_workbench->toProject(), autosaveFolder(), changes);
    return true;
}

void ProjectSession::startSave(const QString& folder)
{
    m_writer->write(m_workbench->toProject(), folder, m_workbench->changeCount());
}

QString ProjectSession::save(const QString& folder)
{
    QString error;
    const auto connection = connect(this, &ProjectSession::saved, this,
                                    [&error, folder](const QString& written, const QString& writeError) {
                                        if (written == folder) error = writeError;
                                    });
    startSave(folder);
    m_writer->waitForDone();
    disconnect(connection);
    return error;
}

void ProjectSession::written(const QString& folder, quint64 changes, const QString& error)
{
    if (folder == autosaveFolder()) {
        if (error.isEmpty())
            m_autosavedChanges = changes;
        else {
            if (m_autosavingChanges == changes)
                m_autosavingChanges = m_autosavedChanges; // the next tick retries
            Q_EMIT messages({tr("Autosave failed: %1").arg(error)}, true);
        }
        Q_EMIT autosaved(error);
        return;
    }
    // A save of a workspace that was closed since is remembered, but is not this workspace's project.
    if (error.isEmpty() && changes >= m_workspaceStart) {
        m_project = folder;
        m_savedChanges = changes;
        updateModified();
    }
    if (error.isEmpty()) remember(folder);
    Q_EMIT messages({error.isEmpty() ? tr("Saved the project to %1").arg(folder) : error}, !error.isEmpty());
    Q_EMIT saved(folder, error);
}

QString ProjectSession::recover(QStringList* notes)
{
    ProjectData project;
    const QString error = openProject(autosaveFolder(), &project, notes);
    if (!error.isEmpty()) return error;
    m_workbench->applyProject(project, notes);
    m_recoveryAvailable = false;
    return {}; // recovered work is in no project: it stays modified
}

void ProjectSession::endSession()
{
    m_autosave->stop();
    m_writer->waitForDone(); // a save asked for before the exit is written, and no autosave outlives this
    QFile::remove(QDir(m_stateFolder).filePath(QStringLiteral("session.lock")));
    QDir(autosaveFolder()).removeRecursively();
}

QString ProjectSession::open(const QString& folder, QStringList* notes)
{
    ProjectData project;
    const QString error = openProject(folder, &project, notes);
    if (!error.isEmpty()) return error;
    m_workbench->applyProject(project, notes);
    m_project = folder;
    // What the project reopens in the background is the project, not a change: it is unmodified once settled.
    auto opened = [this, folder] {
        if (m_project != folder) return;
        m_savedChanges = m_workbench->changeCount();
        updateModified();
    };
    opened();
    if (!m_workbench->isSettled())
        connect(m_workbench, &Workbench::settled, this, opened, Qt::SingleShotConnection);
    remember(folder);
    return {};
}

void ProjectSession::openAndReport(const QString& folder)
{
    QStringList notes;
    const QString error = open(folder, &notes);
    Q_EMIT messages(error.isEmpty() ? notes : QStringList{error}, !error.isEmpty());
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
    Q_EMIT recentProjectsChanged();
}
