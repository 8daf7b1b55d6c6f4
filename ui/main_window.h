#pragma once
// Main window: workspace panel (left), pages (centre), log (bottom), progress + cancel (status bar). It owns
// a Workbench (Session, controllers, TaskRunner) and the figure registry, builds the pages from them and
// wires the pages' requests (open files, show a concept) to the right place. Pages never see the window.

#include <QMainWindow>

class BatchResultsPage;
class DemoSession;
class FigureRegistry;
class ProjectMenu;
class ProjectSession;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTreeWidget;
class TripletBrowser;
class Workbench;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    Workbench* workbench() const { return m_workbench; }
    FigureRegistry* figures() const { return m_figures; }
    ProjectSession* projects() const { return m_projects; }
    QTabWidget* pages() const { return m_pages; }

    // Loads files and folders in the background, routed by content (what drag-and-drop and File > Open do).
    void openPaths(const QStringList& paths);
    // Generates (or reuses) the synthetic demo and loads it into a new workspace (null when the user kept the
    // current one); `folder` empty: the default demo folder.
    DemoSession* openDemo(const QString& folder = {});
    // Opens a THINGS folder (with VICE as the concept space) in a new workspace.
    void openThingsFolder(const QString& folder);
    // Dialogs (row mapping) are skipped when false; tests and the headless screenshot mode set it.
    void setInteractive(bool interactive) { m_interactive = interactive; }
    QString logText() const;
    void logMessages(const QStringList& messages, bool areErrors = false);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void buildPages();
    void buildToolbars();
    void buildMenus();
    void buildDocks();
    void log(const QString& message, bool isError = false);
    void itemAdded(int id);
    void refreshWorkspaceTree();
    void showWorkspaceMenu(const QPoint& position);
    void askRowMapping(int id);
    void syncToolbars();
    // Starts a new workspace, offering to save a non-empty one first; false when the user cancels.
    bool startNewWorkspace();

    Workbench* m_workbench;
    FigureRegistry* m_figures;
    ProjectSession* m_projects;
    ProjectMenu* m_projectMenu = nullptr;
    QTabWidget* m_pages;
    QTreeWidget* m_tree;
    QPlainTextEdit* m_log;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    TripletBrowser* m_tripletBrowser = nullptr;
    BatchResultsPage* m_batchPage = nullptr;
    DemoSession* m_demo = nullptr;
    QLabel* m_demoBadge = nullptr;
    QComboBox* m_similarity = nullptr;
    QComboBox* m_rdmMethod = nullptr;
    QComboBox* m_rdmCompare = nullptr;
    bool m_interactive = true;
};
