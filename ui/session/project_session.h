#pragma once
// The window's project life cycle: Open/Save/Save As, the recent-projects list, autosave of unsaved work and
// recovery after a crash (a session lock file that a clean exit removes).

#include <QObject>
#include <QStringList>

class MainWindow;
class QMenu;
class QTimer;

class ProjectSession : public QObject
{
    Q_OBJECT
public:
    // `stateFolder`: where the lock and autosave live (default: the app's data folder).
    ProjectSession(MainWindow* window, const QString& stateFolder = {});
    ~ProjectSession() override;

    void addMenuActions(QMenu* fileMenu);
    QString currentProject() const { return m_project; }
    QString save(const QString& folder); // error or empty; becomes the current project
    QString open(const QString& folder, QStringList* notes);
    QStringList recentProjects() const;

    // Autosave: every `seconds` while the workspace has unsaved changes.
    void setAutosaveInterval(int seconds);
    bool autosaveNow();
    QString autosaveFolder() const;
    // True when the previous session ended without a clean exit and left an autosave.
    bool recoveryAvailable() const { return m_recoveryAvailable; }
    QString recover(QStringList* notes);
    // Called on a clean exit: removes the lock and the autosave.
    void endSession();

private:
    void remember(const QString& folder);
    void refreshRecentMenu();

    MainWindow* m_window;
    QString m_stateFolder;
    QString m_project;
    QTimer* m_autosave;
    bool m_dirty = false;
    bool m_recoveryAvailable = false;
    QMenu* m_recentMenu = nullptr;
};
