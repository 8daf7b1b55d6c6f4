// The File menu's project actions (ProjectMenu, in the window's layer): Recent Projects lists the saved
// projects newest first and opens one when chosen, while ProjectSession (a controller) only keeps the state.

#include "controllers/project_session.h"
#include "controllers/workbench.h"
#include "project_menu.h"

#include <QAction>
#include <QCoreApplication>
#include <QDir>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QWidget>
#include <QtTest>

class TestProjectMenu : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("alignscope-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_project_menu"));
    }
    void init() { QSettings().remove(QStringLiteral("recentProjects")); }

    void recentProjectsListsSavesNewestFirst_data();
    void recentProjectsListsSavesNewestFirst();
    void recentProjectOpensWhenChosen();
    void recentProjectsIsDisabledWithoutProjects();
};

namespace {
QMenu* recentMenu(QMenu& file)
{
    for (QAction* action : file.actions())
        if (action->menu() && action->text().contains(QStringLiteral("Recent"))) return action->menu();
    return nullptr;
}

QStringList entries(QMenu* menu)
{
    QStringList texts;
    for (QAction* action : menu->actions())
        texts << action->text();
    return texts;
}

// A File menu with the project actions over an empty workbench whose projects are saved in a temporary
// folder.
struct FileMenu
{
    QTemporaryDir dir;
    Workbench workbench;
    ProjectSession projects{&workbench, dir.filePath("state")};
    QWidget window;
    QMenu file;
    ProjectMenu menu{&projects, &file, &window};
};
} // namespace

void TestProjectMenu::recentProjectsListsSavesNewestFirst_data()
{
    QTest::addColumn<QStringList>("saves");
    QTest::addColumn<QStringList>("listed");
    QTest::newRow("one save") << QStringList{"p1"} << QStringList{"p1"};
    QTest::newRow("two saves, the newest first") << QStringList{"p1", "p2"} << QStringList{"p2", "p1"};
    QTest::newRow("a project saved again moves to the top")
        << QStringList{"p1", "p2", "p1"} << QStringList{"p1", "p2"};
}

void TestProjectMenu::recentProjectsListsSavesNewestFirst()
{
    QFETCH(QStringList, saves);
    QFETCH(QStringList, listed);
    FileMenu menu;
    QMenu* recent = recentMenu(menu.file);
    QVERIFY(recent);
    for (const QString& name : saves)
        QCOMPARE(menu.projects.save(menu.dir.filePath(name)), QString());
    QStringList expected;
    for (const QString& name : listed)
        expected << menu.dir.filePath(name);
    QCOMPARE(entries(recent), expected);
    QVERIFY(recent->isEnabled());
}

void TestProjectMenu::recentProjectOpensWhenChosen()
{
    FileMenu menu;
    QCOMPARE(menu.projects.save(menu.dir.filePath("first")), QString());
    QCOMPARE(menu.projects.save(menu.dir.filePath("second")), QString());
    QCOMPARE(menu.projects.currentProject(), menu.dir.filePath("second"));
    QSignalSpy messages(&menu.projects, &ProjectSession::messages);
    const QList<QAction*> actions = recentMenu(menu.file)->actions();
    QCOMPARE(actions.size(), 2);
    actions.at(1)->trigger(); // "first"
    QCOMPARE(menu.projects.currentProject(), menu.dir.filePath("first"));
    QVERIFY(!messages.isEmpty());
    QCOMPARE(messages.last().at(1).toBool(), false); // no error
}

void TestProjectMenu::recentProjectsIsDisabledWithoutProjects()
{
    FileMenu menu;
    QMenu* recent = recentMenu(menu.file);
    QVERIFY(recent);
    QVERIFY(recent->isEmpty());
    QVERIFY(!recent->isEnabled());
}

QTEST_MAIN(TestProjectMenu)
#include "tst_project_menu.moc"
