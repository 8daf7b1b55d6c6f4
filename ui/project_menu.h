#pragma once
// The File menu's project actions (Open Project…, Recent Projects, Save Project, Save Project As…) and the
// dialogs they open: what the user sees of a ProjectSession, which keeps only the state of saving (a
// controller opens no dialog and builds no menu).

#include <QObject>

class ProjectSession;
class QMenu;
class QWidget;

class ProjectMenu : public QObject
{
    Q_OBJECT
public:
    // Adds the actions to `fileMenu`; their dialogs open over `dialogParent`, which owns this.
    ProjectMenu(ProjectSession* projects, QMenu* fileMenu, QWidget* dialogParent);

    // Asks for a folder and starts saving there; false when the user cancelled.
    bool saveAs();

private:
    void refreshRecent();

    ProjectSession* m_projects;
    QWidget* m_dialogParent;
    QMenu* m_recent;
};
