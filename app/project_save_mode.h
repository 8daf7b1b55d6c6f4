#pragma once
// --save-project DIR: once the files (or the demo, or a project folder) are loaded and every analysis has
// settled, saves the workspace as a project folder DIR and quits: exit code 0 with the folder on stdout, or 1
// when something it needs failed (a file that did not load, an analysis, the demo, the save itself), each
// named on stderr. Scripts make a project without a click; tests reach the project code the same way.

#include <QObject>
#include <QString>
#include <QStringList>

class MainWindow;

class ProjectSaveMode : public QObject
{
    Q_OBJECT
public:
    ProjectSaveMode(MainWindow& window, const QString& folder);

public Q_SLOTS:
    void start(); // waits for the Workbench to settle, then saves
    void fail(const QString& what);

private:
    void save();

    MainWindow& m_window;
    QString m_folder;
    QStringList m_failures;
};
