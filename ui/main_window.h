#pragma once
// Main window: workspace panel (left), result pages (centre), log (bottom), progress + cancel (status bar).

#include <QMainWindow>

class ObjectsPage;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTreeWidget;
class TaskRunner;
class Workspace;
struct LoadedItem;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads files and folders in the background, routed by content (what drag-and-drop and File > Open do).
    void openPaths(const QStringList& paths);

    Workspace* workspace() const { return m_workspace; }
    TaskRunner* tasks() const { return m_tasks; }
    ObjectsPage* objectsPage() const { return m_objectsPage; }
    QString logText() const;

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void buildDocks();
    void log(const QString& message, bool isError = false);
    void handleLoaded(const LoadedItem& item);
    void refreshWorkspaceTree();

    Workspace* m_workspace;
    TaskRunner* m_tasks;
    QTabWidget* m_pages;
    ObjectsPage* m_objectsPage;
    QTreeWidget* m_tree;
    QPlainTextEdit* m_log;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
};
