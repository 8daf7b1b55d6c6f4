#include "project_menu.h"

#include "controllers/project_session.h"

#include <QFileDialog>
#include <QMenu>
#include <QWidget>

ProjectMenu::ProjectMenu(ProjectSession* projects, QMenu* file, QWidget* dialogParent)
    : QObject(dialogParent), m_projects(projects), m_dialogParent(dialogParent)
{
    file->addAction(tr("Open &Project…"), this, [this] {
        const QString folder =
            QFileDialog::getExistingDirectory(m_dialogParent, tr("Open an AlignScope project folder"));
        if (!folder.isEmpty()) m_projects->openAndReport(folder);
    });
    m_recent = file->addMenu(tr("Recent Projects"));
    refreshRecent();
    connect(m_projects, &ProjectSession::recentProjectsChanged, this, &ProjectMenu::refreshRecent);
    file->addAction(tr("&Save Project"), QKeySequence::Save, this, [this] {
        if (m_projects->currentProject().isEmpty())
            saveAs();
        else
            m_projects->startSave(m_projects->currentProject());
    });
    file->addAction(tr("Save Project &As…"), QKeySequence::SaveAs, this, [this] { saveAs(); });
}

bool ProjectMenu::saveAs()
{
    const QString folder = QFileDialog::getSaveFileName(m_dialogParent, tr("Save the project as a folder"),
                                                        QStringLiteral("analysis.alignscope"));
    if (folder.isEmpty()) return false;
    m_projects->startSave(folder); // ProjectSession::saved reports how it went
    return true;
}

void ProjectMenu::refreshRecent()
{
    m_recent->clear();
    for (const QString& folder : m_projects->recentProjects())
        m_recent->addAction(folder, this, [this, folder] { m_projects->openAndReport(folder); });
    m_recent->setEnabled(!m_recent->isEmpty());
}
