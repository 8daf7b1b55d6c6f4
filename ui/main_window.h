#pragma once
// Main window: workspace panel (left), result pages (centre), log (bottom), progress + cancel (status bar).

#include "alignscope/odd_one_out.h"
#include "alignscope/rsa.h"

#include <QMainWindow>

class ConceptBarsChart;
class ObjectsPage;
class BatchResultsPage;
class DemoSession;
class ModelsPage;
class ProjectSession;
class ProbePage;
class OddOneOutController;
class ResultsPage;
class RsaController;
class RsaPage;
class TripletBrowser;
class QComboBox;
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
    // Generates (or reuses) the synthetic demo and loads it; `folder` empty: the default demo folder.
    DemoSession* openDemo(const QString& folder = {});
    // Opens a THINGS folder (Get THINGS data), with VICE as the concept space when present.
    void openThingsFolder(const QString& folder);

    Workspace* workspace() const { return m_workspace; }
    TaskRunner* tasks() const { return m_tasks; }
    ObjectsPage* objectsPage() const { return m_objectsPage; }
    OddOneOutController* oddOneOut() const { return m_oddOneOut; }
    ResultsPage* resultsPage() const { return m_resultsPage; }
    ConceptBarsChart* conceptChart() const { return m_conceptChart; }
    TripletBrowser* tripletBrowser() const { return m_tripletBrowser; }
    RsaController* rsa() const { return m_rsa; }
    RsaPage* rsaPage() const { return m_rsaPage; }
    ProbePage* probePage() const { return m_probePage; }
    ModelsPage* modelsPage() const { return m_modelsPage; }
    BatchResultsPage* batchPage() const { return m_batchPage; } // null until batch results are opened
    QTabWidget* pages() const { return m_pages; }
    // Dialogs (row mapping) are skipped when false; tests and the headless screenshot script set it.
    void setInteractive(bool interactive) { m_interactive = interactive; }
    // Sets the similarity shown in the toolbar and used by the analysis.
    void setSimilarity(alignscope::SimilarityKind kind);
    void setRsaMethods(alignscope::RdmMethod method, alignscope::CompareMethod compare);
    // Files and folders opened so far, in order (what a project reopens).
    const QStringList& openedPaths() const { return m_openedPaths; }
    QString logText() const;
    void logMessages(const QStringList& messages, bool areErrors = false);
    ProjectSession* projects() const { return m_projects; }

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
    void buildAnalysisPages();
    void buildRsaPages();
    void askRowMapping(const LoadedItem& item);
    void scheduleRecompute();

    Workspace* m_workspace;
    TaskRunner* m_tasks;
    QTabWidget* m_pages;
    ObjectsPage* m_objectsPage;
    QTreeWidget* m_tree;
    QPlainTextEdit* m_log;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    OddOneOutController* m_oddOneOut;
    RsaController* m_rsa;
    RsaPage* m_rsaPage = nullptr;
    ProbePage* m_probePage = nullptr;
    ModelsPage* m_modelsPage = nullptr;
    DemoSession* m_demo = nullptr;
    BatchResultsPage* m_batchPage = nullptr;
    ProjectSession* m_projects = nullptr;
    ResultsPage* m_resultsPage = nullptr;
    ConceptBarsChart* m_conceptChart = nullptr;
    TripletBrowser* m_tripletBrowser = nullptr;
    QComboBox* m_similarity = nullptr;
    QComboBox* m_rdmMethod = nullptr;
    QComboBox* m_rdmCompare = nullptr;
    QStringList m_openedPaths;
    bool m_interactive = true;
    bool m_recomputeQueued = false;
};
