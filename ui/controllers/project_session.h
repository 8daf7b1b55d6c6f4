#pragma once
// The project life cycle of a Workbench: Open/Save/Save As, the recent-projects list, whether the workspace
// has unsaved changes (every change a project saves counts), autosave of unsaved work and recovery after a
// crash (a session lock file that a clean exit removes). Saves and autosaves are snapshots taken on the GUI
// thread and written on a worker (ProjectWriter), so the window never waits for a write. The menus and
// dialogs that drive it are the window's (ProjectMenu).

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <chrono>
#include <functional>

class ProjectWriter;
class QTimer;
class Workbench;
struct ProjectData;

class ProjectSession : public QObject
{
    Q_OBJECT
public:
    // `stateFolder`: where the lock and autosave live (default: the app's data folder).
    ProjectSession(Workbench* workbench, const QString& stateFolder = {}, QObject* parent = nullptr);
    ~ProjectSession() override;

    QString currentProject() const { return m_project; }
    // Writes the workspace on a worker; `saved` says when it is written (then it is the current project).
    void startSave(const QString& folder);
    // Saves and waits for the write (scripts and tests): the error, or empty.
    QString save(const QString& folder);
    bool isSaving() const;
    QString open(const QString& folder, QStringList* notes);
    // Opens `folder` and reports its notes, or the error, through `messages`.
    void openAndReport(const QString& folder);
    QStringList recentProjects() const;

    // Something the user did is not in the current project (or there is none).
    bool isModified() const;

    // Autosave: every `interval` when the workspace changed since the last autosave (tests inject a short
    // one; ALIGNSCOPE_AUTOSAVE_SECONDS sets it for the app; default two minutes).
    void setAutosaveInterval(std::chrono::milliseconds interval);
    // Starts writing the autosave; false when nothing changed since the last one.
    bool autosaveNow();
    QString autosaveFolder() const;
    // True when the previous session ended without a clean exit and left an autosave.
    bool recoveryAvailable() const { return m_recoveryAvailable; }
    QString recover(QStringList* notes);
    // Called on a clean exit: finishes writing, then removes the lock and the autosave.
    void endSession();

    // What writes a project folder (saveProject); tests replace it to hold a write back.
    using WriteFunction = std::function<QString(const ProjectData&, const QString&)>;
    void setWriteFunction(WriteFunction write);

Q_SIGNALS:
    void messages(const QStringList& lines, bool areErrors);
    void modifiedChanged(bool modified);
    void saved(const QString& folder, const QString& error);
    void autosaved(const QString& error);
    void recentProjectsChanged();

private:
    void written(const QString& folder, quint64 changeCount, const QString& error);
    void updateModified();
    void remember(const QString& folder);

    QPointer<Workbench> m_workbench;
    ProjectWriter* m_writer;
    QString m_stateFolder;
    QString m_project;
    QTimer* m_autosave;
    // The Workbench's change count in the current project, in the newest autosave and in the one being
    // written; modified while it differs from the first.
    quint64 m_savedChanges = 0;
    quint64 m_autosavedChanges = 0;
    quint64 m_autosavingChanges = 0;
    quint64 m_workspaceStart = 0; // the count when the workspace was last emptied
    bool m_modified = false;
    bool m_recoveryAvailable = false;
};
