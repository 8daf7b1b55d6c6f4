#pragma once
// The project life cycle of a Workbench: Open/Save/Save As, the recent-projects list, autosave of unsaved
// work and recovery after a crash (a session lock file that a clean exit removes).

#include <QObject>
#include <QStringList>

class QMenu;
class QTimer;
class QWidget;
class Workbench;

class ProjectSession : public QObject
{
    Q_OBJECT
public:
    // `stateFolder`: where the lock and autosave live (default: the app's data folder).
    ProjectSession(Workbench* workbench, const QString& stateFolder = {}, QObject* parent = nullptr);
    ~ProjectSession() override;

    // File menu actions; their dialogs open over `dialogParent`.
    void addMenuActions(QMenu* fileMenu, QWidget* dialogParent);
    QString currentProject() const { return m_project; }
    QString save(const QString& folder); // error or empty; becomes the current project
    // Asks for a folder and saves there; false when the user cancelled or saving failed (reported).
    bool saveAsChosenFolder();
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

Q_SIGNALS:
    void messages(const QStringList& lines, bool areErrors);

private:
    void remember(const QString& folder);
    void refreshRecentMenu();

    Workbench* m_workbench;
    QWidget* m_dialogParent = nullptr;
    QString m_stateFolder;
    QString m_project;
    QTimer* m_autosave;
    bool m_dirty = false;
    bool m_recoveryAvailable = false;
    QMenu* m_recentMenu = nullptr;
};
