#include "main_window.h"

#include "charts/concept_bars_chart.h"
#include "charts/density_plot.h"
#include "controllers/odd_one_out_controller.h"
#include "controllers/rsa_controller.h"
#include "demo_session.h"
#include "dialogs/about_dialog.h"
#include "dialogs/figure_export_dialog.h"
#include "dialogs/things_data_dialog.h"
#include "export/table_export.h"
#include "pages/batch_results_page.h"
#include "pages/models_page.h"
#include "pages/objects_page.h"
#include "pages/probe_page.h"
#include "pages/results_page.h"
#include "pages/rsa_page.h"
#include "pages/triplet_browser.h"
#include "session/file_loader.h"
#include "session/project_session.h"
#include "session/task_runner.h"
#include "session/workspace.h"

#include "alignscope/datasets.h"
#include "alignscope/odd_one_out.h"
#include "alignscope/rsa.h"

#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QTreeWidget>
#include <QVBoxLayout>

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_workspace(new Workspace(this)), m_tasks(new TaskRunner(this)),
      m_pages(new QTabWidget(this)), m_objectsPage(new ObjectsPage(this)), m_tree(new QTreeWidget(this)),
      m_log(new QPlainTextEdit(this)), m_progress(new QProgressBar(this)),
      m_cancel(new QPushButton(tr("Cancel"), this)),
      m_oddOneOut(new OddOneOutController(m_workspace, m_tasks, this)),
      m_rsa(new RsaController(m_workspace, m_oddOneOut, m_tasks, this))
{
    setWindowTitle(tr("AlignScope"));
    setAcceptDrops(true);
    m_pages->setObjectName(QStringLiteral("pages"));
    m_pages->addTab(m_objectsPage, tr("Objects"));
    m_modelsPage = new ModelsPage(this);
    m_pages->addTab(m_modelsPage, tr("Models"));
    setCentralWidget(m_pages);
    buildAnalysisPages();
    buildRsaPages();
    m_probePage = new ProbePage(this);
    m_pages->addTab(m_probePage, tr("Probe"));
    connect(m_workspace, &Workspace::changed, m_probePage, &ProbePage::refreshInputs);
    connect(m_workspace, &Workspace::changed, m_modelsPage, &ModelsPage::refreshModels);
    connect(m_oddOneOut, &OddOneOutController::analysisChanged, m_probePage, &ProbePage::updateTransferTable);
    connect(m_rsa, &RsaController::analysisChanged, m_probePage, &ProbePage::updateTransferTable);
    buildMenus();
    buildDocks();

    m_progress->setMaximumWidth(220);
    m_progress->setRange(0, 0);
    m_progress->hide();
    m_cancel->hide();
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    connect(m_cancel, &QPushButton::clicked, m_tasks, &TaskRunner::cancelAll);
    connect(m_tasks, &TaskRunner::busyChanged, this, [this](bool busy) {
        m_progress->setVisible(busy);
        m_cancel->setVisible(busy);
        if (busy) m_progress->setRange(0, 0);
    });
    connect(m_tasks, &TaskRunner::progressChanged, this, [this](const QString&, double fraction) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(fraction * 1000));
    });
    connect(m_workspace, &Workspace::changed, this, &MainWindow::refreshWorkspaceTree);
    connect(m_workspace, &Workspace::changed, this, &MainWindow::scheduleRecompute);
    connect(m_workspace, &Workspace::objectsChanged, this,
            [this] { m_objectsPage->setStimuli(m_workspace->sharedObjects()); });
    resize(1200, 800);
    log(tr("Ready. Drop files or folders onto the window, or use File > Open."));
}

MainWindow::~MainWindow()
{
    m_tasks->cancelAll(); // TaskRunner's destructor joins its threads
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open Files..."), QKeySequence::Open, this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Open data files"));
        if (!paths.isEmpty()) openPaths(paths);
    });
    file->addAction(tr("Open &Folder..."), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a THINGS folder"));
        if (!dir.isEmpty()) openPaths({dir});
    });
    file->addSeparator();
    m_projects = new ProjectSession(this, qEnvironmentVariable("ALIGNSCOPE_STATE_DIR"));
    m_projects->addMenuActions(file);
    file->addSeparator();
    file->addAction(tr("Get &THINGS Data…"), this, [this] {
        auto* dialog = new ThingsDataDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &ThingsDataDialog::folderReady, this, &MainWindow::openThingsFolder);
        dialog->show();
    });
    file->addAction(tr("Open the &Demo"), this, [this] { openDemo(); });
    file->addSeparator();
    file->addAction(tr("&Export Figures…"), this, [this] {
        auto* dialog = new FigureExportDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    file->addAction(tr("Export &Tables…"), this, [this] {
        const QString folder =
            QFileDialog::getExistingDirectory(this, tr("Export CSV and LaTeX tables and methods.md into"));
        if (folder.isEmpty()) return;
        QStringList errors;
        const QStringList written = exportTables(*this, folder, &errors);
        log(tr("Wrote %1").arg(written.join(QStringLiteral(", "))));
        for (const QString& error : errors)
            log(error, true);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About AlignScope"), this, [this] { showAboutDialog(this); });
}

void MainWindow::buildDocks()
{
    m_tree->setObjectName(QStringLiteral("workspaceTree"));
    m_tree->setHeaderLabel(tr("Workspace"));
    auto* workspaceDock = new QDockWidget(tr("Workspace"), this);
    workspaceDock->setObjectName(QStringLiteral("workspaceDock"));
    workspaceDock->setWidget(m_tree);
    addDockWidget(Qt::LeftDockWidgetArea, workspaceDock);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_tree, &QTreeWidget::customContextMenuRequested, this, [this](const QPoint& position) {
        QTreeWidgetItem* selected = m_tree->itemAt(position);
        if (!selected || selected->data(0, Qt::UserRole).toString().isEmpty()) return;
        const QString path = selected->data(0, Qt::UserRole).toString();
        for (const LoadedItem& item : m_workspace->items()) {
            if (item.path != path || item.kind != LoadedItem::Kind::Matrix) continue;
            QMenu menu(this);
            const bool isConcepts = m_oddOneOut->conceptPath() == path;
            menu.addAction(isConcepts ? tr("Use as a model") : tr("Use as the concept space"), this,
                           [this, path, isConcepts] {
                               m_oddOneOut->setConceptPath(isConcepts ? QString() : path);
                               refreshWorkspaceTree();
                               scheduleRecompute();
                           });
            menu.addAction(tr("Row mapping…"), this, [this, item] {
                const bool wasInteractive = m_interactive;
                m_interactive = true;
                m_oddOneOut->setRowIdentity(item.path, alignscope::RowIdentity::fromIds({}, {}));
                askRowMapping(item);
                m_interactive = wasInteractive;
                scheduleRecompute();
            });
            menu.exec(m_tree->viewport()->mapToGlobal(position));
            return;
        }
    });

    m_log->setObjectName(QStringLiteral("log"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    auto* logDock = new QDockWidget(tr("Log"), this);
    logDock->setObjectName(QStringLiteral("logDock"));
    logDock->setWidget(m_log);
    addDockWidget(Qt::BottomDockWidgetArea, logDock);
    refreshWorkspaceTree();
}

void MainWindow::buildAnalysisPages()
{
    m_resultsPage = new ResultsPage(this);
    m_pages->addTab(m_resultsPage, tr("Results"));
    auto* conceptPage = new QWidget(this);
    auto* order = new QComboBox(conceptPage);
    order->addItems(
        {tr("Sort by accuracy"), tr("Sort by dimension"), tr("Sort by gap between the first two models")});
    m_conceptChart = new ConceptBarsChart(conceptPage);
    m_conceptChart->setObjectName(QStringLiteral("conceptChart"));
    auto* conceptLayout = new QVBoxLayout(conceptPage);
    conceptLayout->addWidget(order);
    conceptLayout->addWidget(m_conceptChart);
    m_pages->addTab(conceptPage, tr("Concepts"));
    m_tripletBrowser = new TripletBrowser(m_tasks, this);
    m_pages->addTab(m_tripletBrowser, tr("Triplets"));

    connect(order, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_conceptChart->setOrder(ConceptBarsChart::Order(index)); });
    connect(m_conceptChart, &ConceptBarsChart::dimensionClicked, this, [this](int dimension) {
        m_tripletBrowser->showDimension(dimension);
        m_pages->setCurrentWidget(m_tripletBrowser);
    });
    connect(m_resultsPage, &ResultsPage::filesDropped, this, &MainWindow::openPaths);
    connect(m_oddOneOut, &OddOneOutController::analysisChanged, this, [this] {
        const auto analysis = m_oddOneOut->analysis();
        m_resultsPage->setAnalysis(analysis);
        m_conceptChart->setAnalysis(analysis);
        m_tripletBrowser->setAnalysis(analysis);
        log(tr("Odd-one-out alignment computed for %n model(s)", nullptr, int(analysis->models.size())));
    });
    connect(m_oddOneOut, &OddOneOutController::notice, this,
            [this](const QString& message) { log(message); });
    connect(m_oddOneOut, &OddOneOutController::failed, this, [this](const QString& message) {
        log(message, true);
        m_resultsPage->setMessage(message);
    });

    QToolBar* toolbar = addToolBar(tr("Odd-one-out"));
    toolbar->setObjectName(QStringLiteral("oddOneOutToolbar"));
    m_similarity = new QComboBox(toolbar);
    // Items carry their enum value (item data), named by core's table: the order of the list is free.
    for (auto kind : {alignscope::SimilarityKind::Cosine, alignscope::SimilarityKind::Dot,
                      alignscope::SimilarityKind::Euclidean, alignscope::SimilarityKind::Correlation})
        m_similarity->addItem(QString::fromLatin1(alignscope::similarityName(kind)), int(kind));
    toolbar->addWidget(new QLabel(tr(" Similarity "), toolbar));
    toolbar->addWidget(m_similarity);
    toolbar->addAction(tr("Compute"), this, [this] {
        if (!m_oddOneOut->recompute()) log(m_oddOneOut->problem(), true);
    });
    connect(m_similarity, &QComboBox::currentIndexChanged, this, [this] {
        m_oddOneOut->setSimilarity(alignscope::SimilarityKind(m_similarity->currentData().toInt()));
        scheduleRecompute();
    });
}

void MainWindow::buildRsaPages()
{
    m_rsaPage = new RsaPage(m_tasks, this);
    m_pages->addTab(m_rsaPage, tr("RDMs"));
    m_pages->addTab(m_rsaPage->scatter(), tr("Scatter"));
    connect(m_rsa, &RsaController::analysisChanged, this, [this] {
        m_rsaPage->setAnalyses(m_rsa->analyses());
        log(tr("RSA computed for %n human dataset(s)", nullptr, int(m_rsa->analyses().size())));
    });
    connect(m_rsa, &RsaController::failed, this, [this](const QString& message) {
        log(message, true);
        m_rsaPage->setMessage(message);
    });
    QToolBar* toolbar = addToolBar(tr("RSA"));
    toolbar->setObjectName(QStringLiteral("rsaToolbar"));
    auto* method = m_rdmMethod = new QComboBox(toolbar);
    for (auto kind : {alignscope::RdmMethod::Cosine, alignscope::RdmMethod::Correlation,
                      alignscope::RdmMethod::Euclidean, alignscope::RdmMethod::Gaussian})
        method->addItem(QString::fromLatin1(alignscope::rdmMethodName(kind)), int(kind));
    method->setCurrentIndex(method->findData(int(alignscope::RdmMethod::Correlation)));
    auto* compare = m_rdmCompare = new QComboBox(toolbar);
    for (auto kind : {alignscope::CompareMethod::Spearman, alignscope::CompareMethod::Pearson,
                      alignscope::CompareMethod::KendallA, alignscope::CompareMethod::KendallB,
                      alignscope::CompareMethod::Cosine})
        compare->addItem(QString::fromLatin1(alignscope::compareMethodName(kind)), int(kind));
    toolbar->addWidget(new QLabel(tr(" RDM "), toolbar));
    toolbar->addWidget(method);
    toolbar->addWidget(new QLabel(tr(" Compare "), toolbar));
    toolbar->addWidget(compare);
    connect(method, &QComboBox::currentIndexChanged, this, [this] {
        m_rsa->setMethod(alignscope::RdmMethod(m_rdmMethod->currentData().toInt()));
        scheduleRecompute();
    });
    connect(compare, &QComboBox::currentIndexChanged, this, [this] {
        m_rsa->setCompare(alignscope::CompareMethod(m_rdmCompare->currentData().toInt()));
        scheduleRecompute();
    });
}

void MainWindow::setSimilarity(alignscope::SimilarityKind kind)
{
    m_similarity->setCurrentIndex(
        m_similarity->findData(int(kind))); // the combo's handler updates the controller
    m_oddOneOut->setSimilarity(kind);
}

void MainWindow::scheduleRecompute()
{
    if (m_recomputeQueued) return;
    m_recomputeQueued = true;
    // Several files often arrive together (a folder, a multi-file drop): recompute once they have.
    QTimer::singleShot(0, this, [this] {
        m_recomputeQueued = false;
        if (!m_oddOneOut->recompute()) m_resultsPage->setMessage(m_oddOneOut->problem());
        if (!m_rsa->recompute()) m_rsaPage->setMessage(m_rsa->problem());
    });
}

void MainWindow::askRowMapping(const LoadedItem& item)
{
    if (!item.matrix || !item.matrix->rowIds.empty() || !m_workspace->objects()) return;
    if (!m_oddOneOut->needsRowIdentity(item.path)) return;
    if (!m_interactive) {
        log(tr("%1 does not name its rows; choose a row mapping (right-click it in the workspace).")
                .arg(item.path),
            true);
        return;
    }
    const QStringList choices = {tr("canonical: row r is object r"),
                                 tr("sorted: rows follow the alphabetical IDs (e.g. VICE)"),
                                 tr("row-ID file…")};
    bool ok = false;
    const QString choice =
        QInputDialog::getItem(this, tr("Row mapping"),
                              tr("%1 does not say which object each row is.\nHow are its %2 rows ordered?")
                                  .arg(item.path)
                                  .arg(item.matrix->array.rows()),
                              choices, 0, false, &ok);
    if (!ok) return;
    if (choice == choices[0])
        m_oddOneOut->setRowIdentity(item.path, alignscope::RowIdentity::canonical());
    else if (choice == choices[1])
        m_oddOneOut->setRowIdentity(item.path, alignscope::RowIdentity::sorted());
    else {
        const QString file = QFileDialog::getOpenFileName(this, tr("Row-ID file (one ID per line)"));
        if (file.isEmpty()) return;
        auto identity = alignscope::rowIdentityFromArgument(file.toStdString());
        if (!identity) {
            log(QString::fromStdString(identity.error().message()), true);
            return;
        }
        m_oddOneOut->setRowIdentity(item.path, *identity);
    }
}

void MainWindow::setRsaMethods(alignscope::RdmMethod method, alignscope::CompareMethod compare)
{
    m_rdmMethod->setCurrentIndex(
        m_rdmMethod->findData(int(method))); // the combos' handlers update the controller
    m_rdmCompare->setCurrentIndex(m_rdmCompare->findData(int(compare)));
}

void MainWindow::openPaths(const QStringList& paths)
{
    if (paths.isEmpty()) return;
    for (const QString& path : paths)
        if (!m_openedPaths.contains(path)) m_openedPaths << path;
    log(tr("Loading %1").arg(paths.join(QStringLiteral(", "))));
    const size_t objectCount = m_workspace->objects() ? m_workspace->objects()->size() : 0;
    m_tasks->run<std::vector<LoadedItem>>(
        QString(), this,
        [paths, objectCount](const alignscope::TaskContext& context) {
            return loadPaths(paths, objectCount, context);
        },
        [this](std::vector<LoadedItem> items) {
            for (const LoadedItem& item : items)
                handleLoaded(item);
        });
}

void MainWindow::openThingsFolder(const QString& folder)
{
    const QDir dir(folder);
    const QString vice = dir.filePath(QStringLiteral("vice/final_embedding.npy"));
    QStringList paths{folder};
    if (QFileInfo::exists(vice)) {
        m_oddOneOut->setConceptPath(vice); // its rows are named by final_embedding.rows.txt
        paths << vice;
    }
    openPaths(paths);
}

DemoSession* MainWindow::openDemo(const QString& folder)
{
    if (m_demo) return m_demo;
    m_demo = new DemoSession(this);
    connect(m_demo, &DemoSession::failed, this, [this](const QString& message) { log(message, true); });
    connect(m_demo, &DemoSession::ready, this,
            [this] { log(tr("Demo ready: every page shows the synthetic demo.")); });
    log(tr("Opening the synthetic demo (generated on first use)"));
    m_demo->start(folder);
    return m_demo;
}

void MainWindow::handleLoaded(const LoadedItem& loaded)
{
    LoadedItem item = loaded;
    if (item.kind == LoadedItem::Kind::IdList && !m_workspace->objects()) {
        item.kind =
            LoadedItem::Kind::Objects; // the first ID list defines the objects; later ones are row-ID files
        item.summary.replace(QStringLiteral(" IDs"), QStringLiteral(" objects"));
    }
    if (item.kind == LoadedItem::Kind::Failed) {
        log(item.error, true);
        statusBar()->showMessage(item.error, 10000);
        return;
    }
    log(tr("Loaded %1").arg(item.summary));
    if (item.kind == LoadedItem::Kind::BatchResults && item.table) {
        if (!m_batchPage) {
            m_batchPage = new BatchResultsPage(this);
            m_pages->addTab(m_batchPage, tr("Batch"));
        }
        m_batchPage->setTable(item.table, item.path);
        m_pages->setCurrentWidget(m_batchPage);
    }
    if (item.kind == LoadedItem::Kind::Matrix && item.matrix && m_oddOneOut->conceptPath().isEmpty()) {
        // A small non-negative matrix is most likely a concept embedding such as VICE (1854×42); optimiser
        // noise just below zero (SPoSE) is allowed, as loading the concept space clamps it.
        const auto& array = item.matrix->array;
        const auto objects = std::int64_t(m_workspace->objects() ? m_workspace->objects()->size() : 0);
        const bool squareOverObjects =
            array.shape.size() == 2 && array.rows() == objects && array.cols() == objects;
        bool nonNegative =
            array.shape.size() == 2 && array.cols() <= 100 && !squareOverObjects; // n×n: human data
        for (std::int64_t i = 0; nonNegative && i < array.elementCount(); ++i)
            nonNegative = array.valueAt(i) >= -double(alignscope::kConceptNegativeTolerance);
        if (nonNegative) {
            m_oddOneOut->setConceptPath(item.path);
            log(tr("%1 is used as the concept space (right-click it to use it as a model instead).")
                    .arg(item.path));
        }
    }
    askRowMapping(item);
    m_workspace->add(item);
}

void MainWindow::refreshWorkspaceTree()
{
    m_tree->clear();
    struct Group
    {
        QString title;
        std::vector<LoadedItem::Kind> kinds;
    };
    const Group groups[] = {{tr("Objects"), {LoadedItem::Kind::Objects, LoadedItem::Kind::IdList}},
                            {tr("Triplets"), {LoadedItem::Kind::Triplets}},
                            {tr("Human similarity datasets"), {LoadedItem::Kind::HumanDataset}},
                            {tr("Features and matrices"), {LoadedItem::Kind::Matrix}},
                            {tr("TorchScript models"), {LoadedItem::Kind::Model}},
                            {tr("Batch results"), {LoadedItem::Kind::BatchResults}}};
    for (const Group& group : groups) {
        auto* top = new QTreeWidgetItem(m_tree, {group.title});
        for (const LoadedItem& item : m_workspace->items())
            if (std::find(group.kinds.begin(), group.kinds.end(), item.kind) != group.kinds.end()) {
                const bool isConcepts = item.path == m_oddOneOut->conceptPath();
                auto* child = new QTreeWidgetItem(
                    top, {item.summary + (isConcepts ? tr("  [concept space]") : QString())});
                child->setToolTip(0, item.path);
                child->setData(0, Qt::UserRole, item.path);
            }
        top->setExpanded(true);
    }
}

void MainWindow::log(const QString& message, bool isError)
{
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"));
    m_log->appendPlainText(
        QStringLiteral("%1 %2%3").arg(stamp, isError ? tr("error: ") : QString(), message));
}

QString MainWindow::logText() const
{
    return m_log->toPlainText();
}

void MainWindow::logMessages(const QStringList& messages, bool areErrors)
{
    for (const QString& message : messages)
        log(message, areErrors);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            paths << url.toLocalFile();
        else
            log(tr("%1: only local files can be opened").arg(url.toString()), true);
    }
    if (!paths.isEmpty()) {
        event->acceptProposedAction();
        openPaths(paths);
    }
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    m_tasks->cancelAll();
    m_projects->endSession(); // a clean exit: no recovery offered next time
    event->accept();
}
