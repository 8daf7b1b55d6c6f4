#include "main_window.h"

#include "charts/density_plot.h"
#include "controllers/load_controller.h"
#include "controllers/odd_one_out_controller.h"
#include "controllers/population_controller.h"
#include "controllers/project_session.h"
#include "controllers/rsa_controller.h"
#include "controllers/workbench.h"
#include "demo_session.h"
#include "dialogs/about_dialog.h"
#include "dialogs/figure_export_dialog.h"
#include "dialogs/things_data_dialog.h"
#include "export/figure_registry.h"
#include "export/table_export.h"
#include "pages/batch_results_page.h"
#include "pages/compare_page.h"
#include "pages/compare_tables.h"
#include "pages/concepts_page.h"
#include "pages/models_page.h"
#include "pages/objects_page.h"
#include "pages/probe_page.h"
#include "pages/results_page.h"
#include "pages/rsa_page.h"
#include "pages/triplet_browser.h"
#include "project_menu.h"
#include "session/session.h"
#include "session/task_runner.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDockWidget>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QTreeWidget>

using namespace alignscope;

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_workbench(new Workbench(this)), m_figures(new FigureRegistry(this)),
      m_projects(new ProjectSession(m_workbench, qEnvironmentVariable("ALIGNSCOPE_STATE_DIR"), this)),
      m_pages(new QTabWidget(this)), m_tree(new QTreeWidget(this)), m_log(new QPlainTextEdit(this)),
      m_progress(new QProgressBar(this)), m_cancel(new QPushButton(tr("Cancel"), this))
{
    setWindowTitle(tr("AlignScope[*]")); // [*]: unsaved work (ProjectSession::modifiedChanged)
    setAcceptDrops(true);
    m_pages->setObjectName(QStringLiteral("pages"));
    setCentralWidget(m_pages);
    buildPages();
    buildToolbars();
    buildMenus();
    buildDocks();

    TaskRunner* tasks = m_workbench->tasks();
    m_progress->setMaximumWidth(220);
    m_progress->setRange(0, 0);
    m_progress->hide();
    m_cancel->hide();
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    connect(m_cancel, &QPushButton::clicked, tasks, &TaskRunner::cancelAll);
    connect(tasks, &TaskRunner::busyChanged, this, [this](bool busy) {
        m_progress->setVisible(busy);
        m_cancel->setVisible(busy);
        if (busy) m_progress->setRange(0, 0);
    });
    connect(tasks, &TaskRunner::progressChanged, this, [this](const QString&, double fraction) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(fraction * 1000));
    });

    Session* session = m_workbench->session();
    connect(session, &Session::message, this, [this](const QString& text, bool isError) {
        log(text, isError);
        if (isError) statusBar()->showMessage(text, 10000);
    });
    connect(session, &Session::itemAdded, this, &MainWindow::itemAdded);
    connect(session, &Session::itemsChanged, this, &MainWindow::refreshWorkspaceTree);
    connect(session, &Session::settingsChanged, this, &MainWindow::syncToolbars);
    OddOneOutController* oddOneOut = m_workbench->oddOneOut();
    connect(oddOneOut, &OddOneOutController::analysisChanged, this, [this, oddOneOut] {
        if (const auto analysis = oddOneOut->analysis())
            log(tr("Odd-one-out alignment computed for %n model(s)", nullptr, int(analysis->models.size())));
    });
    connect(oddOneOut, &OddOneOutController::notice, this, [this](const QString& message) { log(message); });
    connect(oddOneOut, &OddOneOutController::failed, this,
            [this](const QString& message) { log(message, true); });
    RsaController* rsa = m_workbench->rsa();
    connect(rsa, &RsaController::analysisChanged, this, [this, rsa] {
        if (!rsa->analyses().empty())
            log(tr("RSA computed for %n human dataset(s)", nullptr, int(rsa->analyses().size())));
    });
    connect(rsa, &RsaController::failed, this, [this](const QString& message) { log(message, true); });
    connect(m_projects, &ProjectSession::messages, this, &MainWindow::logMessages);
    connect(m_projects, &ProjectSession::modifiedChanged, this, &QWidget::setWindowModified);
    resize(1200, 800);
    log(tr("Ready. Drop files or folders onto the window, or use File > Open."));
}

MainWindow::~MainWindow()
{
    // Before the Workbench: saves still being written finish on its TaskRunner.
    delete m_projects;
    m_projects = nullptr;
    m_workbench->tasks()->cancelAll(); // the Workbench's TaskRunner joins its threads
}

void MainWindow::buildPages()
{
    Workbench* w = m_workbench;
    auto* objects = new ObjectsPage(w->session(), w->tasks(), w->objectAlignment(), m_figures, this);
    m_pages->addTab(objects, tr("Objects"));
    auto* models = new ModelsPage(w->session(), w->extraction(), this);
    m_pages->addTab(models, tr("Models"));
    connect(models, &ModelsPage::openRequested, this, &MainWindow::openPaths);
    auto* results = new ResultsPage(w->oddOneOut(), m_figures, this);
    m_pages->addTab(results, tr("Results"));
    connect(results, &ResultsPage::openRequested, this, &MainWindow::openPaths);
    auto* concepts = new ConceptsPage(w->oddOneOut(), m_figures, this);
    m_pages->addTab(concepts, tr("Concepts"));
    m_tripletBrowser = new TripletBrowser(w->oddOneOut(), w->tasks(), m_figures, this);
    m_pages->addTab(m_tripletBrowser, tr("Triplets"));
    // The objects' inspector opens a model's triplets of one object (the browser keeps its other filters).
    connect(objects, &ObjectsPage::objectTripletsRequested, this, [this](int stimulus, int model) {
        m_tripletBrowser->showObject(stimulus, model);
        m_pages->setCurrentWidget(m_tripletBrowser);
    });
    connect(objects, &ObjectsPage::objectsTripletsRequested, this,
            [this](const std::vector<int>& stimuli, int model) {
                m_tripletBrowser->showObjects(stimuli, alignscope::ObjectMatch::Any, model);
                m_pages->setCurrentWidget(m_tripletBrowser);
            });
    connect(concepts, &ConceptsPage::showConcept, this, [this](int dimension) {
        m_tripletBrowser->showDimension(dimension);
        m_pages->setCurrentWidget(m_tripletBrowser);
    });
    auto* rsa = new RsaPage(w->rsa(), w->tasks(), m_figures, this);
    m_pages->addTab(rsa, tr("RDMs"));
    // An RDM cell's triplets: its two stimuli are the triplets' objects when their IDs are.
    connect(rsa, &RsaPage::pairTripletsRequested, this, [this](const QString& first, const QString& second) {
        const auto analysis = m_workbench->oddOneOut()->analysis();
        const auto a = analysis ? analysis->stimuli->indexOf(first.toStdString()) : std::nullopt;
        const auto b = analysis ? analysis->stimuli->indexOf(second.toStdString()) : std::nullopt;
        if (!a || !b) {
            log(tr("%1 and %2 are not both objects of the odd-one-out triplets: no triplet contains them.")
                    .arg(first, second),
                true);
            return;
        }
        // Every triplet with both, agreements too: how the model and people treat the pair.
        m_tripletBrowser->setFilter(TripletBrowser::Show::All, -1,
                                    std::max(0, m_tripletBrowser->currentModel()),
                                    TripletBrowser::Sort::Confidence);
        m_tripletBrowser->showObjects({int(*a), int(*b)}, alignscope::ObjectMatch::All);
        m_pages->setCurrentWidget(m_tripletBrowser);
    });
    m_pages->addTab(rsa->scatter(), tr("Scatter"));
    m_pages->addTab(new ProbePage(w->session(), w->probe(), w->oddOneOut(), w->rsa(), m_figures, this),
                    tr("Probe"));
    auto* compare = new ComparePage(w->population(), m_figures, this);
    compare->setObjectName(QStringLiteral("comparePage"));
    m_pages->addTab(compare, tr("Compare"));
    connect(compare, &ComparePage::openResultsRequested, this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Open model results"), {},
                                                                tr("Results (*.json);;All files (*)"));
        if (!paths.isEmpty()) m_workbench->population()->addResults(paths);
    });
    connect(compare, &ComparePage::openMetadataRequested, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open a model table"), {}, tr("Model tables (*.csv *.tsv *.json);;All files (*)"));
        if (!path.isEmpty()) m_workbench->population()->setMetadata(path);
    });
    connect(compare, &ComparePage::saveMetadataRequested, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Save the model table"), {}, tr("CSV (*.csv)"));
        if (path.isEmpty()) return;
        const QString error = m_workbench->population()->saveMetadata(path);
        if (error.isEmpty())
            log(tr("Wrote %1").arg(path));
        else
            log(error, true);
    });
    connect(compare, &ComparePage::exportTablesRequested, this, [this, compare] {
        const QString folder =
            QFileDialog::getExistingDirectory(this, tr("Export the comparison's tables into"));
        if (folder.isEmpty()) return;
        QStringList errors;
        const QStringList written = exportPopulationTables(
            populationTables(*m_workbench->population(), compare->selection()), folder, &errors);
        if (!written.isEmpty()) log(tr("Wrote %1").arg(written.join(QStringLiteral(", "))));
        logMessages(errors, true);
    });
    connect(w->population(), &PopulationController::failed, this,
            [this](const QString& message) { log(message, true); });
    connect(compare, &ComparePage::showModelConcept, this, [this](int model, int concept) {
        // The page reports the population's indices; the controller knows which analysis model and dimension
        // gave those values (names can repeat: two folders' model.npy).
        const PopulationController* population = m_workbench->population();
        const auto cell = population->workspaceCell(model, concept);
        if (!cell) {
            const auto& models = population->population().models;
            const QString name = model >= 0 && size_t(model) < models.size()
                                     ? QString::fromStdString(models[size_t(model)])
                                     : tr("This model");
            log(tr("%1 is not a model of this workspace: its triplets are not here (open its features to "
                   "browse them).")
                    .arg(name));
            return;
        }
        m_tripletBrowser->setFilter(TripletBrowser::Show::Disagreements, cell->dimension, cell->model,
                                    TripletBrowser::Sort::Confidence);
        m_pages->setCurrentWidget(m_tripletBrowser);
    });
}

void MainWindow::buildToolbars()
{
    QToolBar* toolbar = addToolBar(tr("Odd-one-out"));
    toolbar->setObjectName(QStringLiteral("oddOneOutToolbar"));
    m_similarity = new QComboBox(toolbar);
    m_similarity->setObjectName(QStringLiteral("similarity"));
    // Items carry their enum value (item data), named by core's table: the order of the list is free.
    for (auto kind : {SimilarityKind::Cosine, SimilarityKind::Dot, SimilarityKind::Euclidean,
                      SimilarityKind::Correlation})
        m_similarity->addItem(QString::fromLatin1(similarityName(kind)), int(kind));
    toolbar->addWidget(new QLabel(tr(" Similarity "), toolbar));
    toolbar->addWidget(m_similarity);
    toolbar->addAction(tr("Compute"), this, [this] {
        if (!m_workbench->oddOneOut()->recompute()) log(m_workbench->oddOneOut()->problem(), true);
    });
    connect(m_similarity, &QComboBox::currentIndexChanged, this, [this] {
        m_workbench->session()->setSimilarity(SimilarityKind(m_similarity->currentData().toInt()));
    });

    QToolBar* rsaToolbar = addToolBar(tr("RSA"));
    rsaToolbar->setObjectName(QStringLiteral("rsaToolbar"));
    m_rdmMethod = new QComboBox(rsaToolbar);
    m_rdmMethod->setObjectName(QStringLiteral("rdmMethod"));
    for (auto kind : {RdmMethod::Cosine, RdmMethod::Correlation, RdmMethod::Euclidean, RdmMethod::Gaussian})
        m_rdmMethod->addItem(QString::fromLatin1(rdmMethodName(kind)), int(kind));
    m_rdmCompare = new QComboBox(rsaToolbar);
    m_rdmCompare->setObjectName(QStringLiteral("rdmCompare"));
    for (auto kind : {CompareMethod::Spearman, CompareMethod::Pearson, CompareMethod::KendallA,
                      CompareMethod::KendallB, CompareMethod::Cosine})
        m_rdmCompare->addItem(QString::fromLatin1(compareMethodName(kind)), int(kind));
    rsaToolbar->addWidget(new QLabel(tr(" RDM "), rsaToolbar));
    rsaToolbar->addWidget(m_rdmMethod);
    rsaToolbar->addWidget(new QLabel(tr(" Compare "), rsaToolbar));
    rsaToolbar->addWidget(m_rdmCompare);
    for (QComboBox* box : {m_rdmMethod, m_rdmCompare})
        connect(box, &QComboBox::currentIndexChanged, this, [this] {
            m_workbench->session()->setRsaMethods(RdmMethod(m_rdmMethod->currentData().toInt()),
                                                  CompareMethod(m_rdmCompare->currentData().toInt()));
        });
    syncToolbars();
}

void MainWindow::syncToolbars()
{
    // The Session's settings are the truth; the combos show them (without echoing the change back).
    const AnalysisSettings& settings = m_workbench->session()->settings();
    const std::pair<QComboBox*, int> choices[] = {{m_similarity, int(settings.similarity)},
                                                  {m_rdmMethod, int(settings.rdm)},
                                                  {m_rdmCompare, int(settings.compare)}};
    for (const auto& [box, value] : choices) {
        const QSignalBlocker blocker(box);
        box->setCurrentIndex(box->findData(value));
    }
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
    m_projectMenu = new ProjectMenu(m_projects, file, this);
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
        auto* dialog = new FigureExportDialog(m_figures, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    file->addAction(tr("Export &Tables…"), this, [this] {
        const QString folder =
            QFileDialog::getExistingDirectory(this, tr("Export CSV and LaTeX tables and methods.md into"));
        if (folder.isEmpty()) return;
        QStringList errors;
        const QStringList written = exportTables(m_workbench->oddOneOut()->analysis().get(),
                                                 m_workbench->rsa()->analyses(), folder, &errors);
        log(tr("Wrote %1").arg(written.join(QStringLiteral(", "))));
        logMessages(errors, true);
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
    connect(m_tree, &QTreeWidget::customContextMenuRequested, this, &MainWindow::showWorkspaceMenu);

    m_log->setObjectName(QStringLiteral("log"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    auto* logDock = new QDockWidget(tr("Log"), this);
    logDock->setObjectName(QStringLiteral("logDock"));
    logDock->setWidget(m_log);
    addDockWidget(Qt::BottomDockWidgetArea, logDock);
    refreshWorkspaceTree();
}

void MainWindow::showWorkspaceMenu(const QPoint& position)
{
    QTreeWidgetItem* selected = m_tree->itemAt(position);
    const int id = selected ? selected->data(0, Qt::UserRole).toInt() : 0;
    const SessionItem* item = m_workbench->session()->item(id);
    if (!item || item->data.kind != LoadedItem::Kind::Matrix) return;
    const QString path = item->data.path;
    const bool isConcepts = item->role == ItemRole::ConceptSpace;
    QMenu menu(this);
    menu.addAction(
        isConcepts ? tr("Use as a model") : tr("Use as the concept space"), this,
        [this, path, isConcepts] { m_workbench->session()->setConceptPath(isConcepts ? QString() : path); });
    menu.addAction(tr("Row mapping…"), this, [this, id] {
        const bool wasInteractive = m_interactive;
        m_interactive = true;
        askRowMapping(id);
        m_interactive = wasInteractive;
    });
    menu.exec(m_tree->viewport()->mapToGlobal(position));
}

void MainWindow::itemAdded(int id)
{
    const SessionItem* item = m_workbench->session()->item(id);
    if (!item) return;
    if (item->role == ItemRole::BatchResults && item->data.table) {
        if (!m_batchPage) {
            m_batchPage = new BatchResultsPage(this);
            m_pages->addTab(m_batchPage, tr("Batch"));
        }
        m_batchPage->setTable(item->data.table, item->data.path);
        m_pages->setCurrentWidget(m_batchPage);
        m_workbench->population()->addResults({item->data.path}); // its models join the Compare page
    }
    if (item->data.matrix && item->data.matrix->rowIds.empty() &&
        m_workbench->session()->needsRowIdentity(item->data.path))
        askRowMapping(id);
}

void MainWindow::askRowMapping(int id)
{
    Session* session = m_workbench->session();
    const SessionItem* item = session->item(id);
    if (!item || !item->data.matrix || !session->objects()) return;
    const QString path = item->data.path;
    if (!m_interactive) {
        log(tr("%1 does not name its rows; choose a row mapping (right-click it in the workspace).")
                .arg(path),
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
                                  .arg(path)
                                  .arg(item->data.matrix->array.rows()),
                              choices, 0, false, &ok);
    if (!ok) return;
    if (choice == choices[0]) return session->setRowIdentity(path, RowIdentity::canonical());
    if (choice == choices[1]) return session->setRowIdentity(path, RowIdentity::sorted());
    const QString file = QFileDialog::getOpenFileName(this, tr("Row-ID file (one ID per line)"));
    if (file.isEmpty()) return;
    auto identity = rowIdentityFromArgument(file.toStdString());
    if (!identity) return log(QString::fromStdString(identity.error().message()), true);
    session->setRowIdentity(path, *identity);
}

void MainWindow::openPaths(const QStringList& paths)
{
    m_workbench->open(paths);
}

bool MainWindow::startNewWorkspace()
{
    if (m_projects->isModified() && !m_workbench->session()->isEmpty() && m_interactive) {
        const auto answer = QMessageBox::question(
            this, tr("New workspace"), tr("This opens in a new workspace. Save the current one first?"),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        if (answer == QMessageBox::Cancel) return false;
        if (answer == QMessageBox::Save && !m_projectMenu->saveAs()) return false;
    }
    if (m_demo) {
        m_demo->deleteLater(); // its steps belong to the workspace that is closed
        m_demo = nullptr;
    }
    if (m_demoBadge) m_demoBadge->hide();
    setWindowTitle(tr("AlignScope[*]"));
    m_workbench->startNewWorkspace();
    return true;
}

void MainWindow::openThingsFolder(const QString& folder)
{
    if (!startNewWorkspace()) return;
    m_workbench->openThingsFolder(folder);
}

DemoSession* MainWindow::openDemo(const QString& folder)
{
    if (!startNewWorkspace()) return nullptr;
    m_demo = new DemoSession(m_workbench, this);
    connect(m_demo, &DemoSession::failed, this, [this](const QString& message) { log(message, true); });
    connect(m_demo, &DemoSession::ready, this,
            [this] { log(tr("Demo ready: every page shows the synthetic demo.")); });
    setWindowTitle(tr("AlignScope — synthetic demo[*]"));
    if (!m_demoBadge) {
        m_demoBadge = new QLabel(
            tr("  Synthetic demo: rendered objects and simulated human judgments, not real data  "), this);
        m_demoBadge->setObjectName(QStringLiteral("demoBadge"));
        m_demoBadge->setStyleSheet(
            QStringLiteral("QLabel { background: #fff3c4; color: #5a4500; border-radius: 3px; }"));
        statusBar()->addPermanentWidget(m_demoBadge);
    }
    m_demoBadge->show();
    log(tr("Opening the synthetic demo (generated on first use)"));
    m_demo->start(folder);
    return m_demo;
}

void MainWindow::refreshWorkspaceTree()
{
    m_tree->clear();
    struct Group
    {
        QString title;
        std::vector<ItemRole> roles;
    };
    const Group groups[] = {{tr("Objects"), {ItemRole::Objects, ItemRole::RowIds}},
                            {tr("Triplets"), {ItemRole::Triplets}},
                            {tr("Human similarity datasets"), {ItemRole::HumanData}},
                            {tr("Features and matrices"), {ItemRole::ModelFeatures, ItemRole::ConceptSpace}},
                            {tr("TorchScript models"), {ItemRole::TorchScriptModel}},
                            {tr("Batch results"), {ItemRole::BatchResults}}};
    for (const Group& group : groups) {
        auto* top = new QTreeWidgetItem(m_tree, {group.title});
        for (const SessionItem& item : m_workbench->session()->items())
            if (std::find(group.roles.begin(), group.roles.end(), item.role) != group.roles.end()) {
                const bool isConcepts = item.role == ItemRole::ConceptSpace;
                auto* child = new QTreeWidgetItem(
                    top, {item.data.summary + (isConcepts ? tr("  [concept space]") : QString())});
                child->setToolTip(0, item.data.path);
                child->setData(0, Qt::UserRole, item.id);
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
    if (paths.isEmpty()) return;
    event->acceptProposedAction();
    // Exporters (.py) and torchvision weights files are models by name: the Models page exports and extracts
    // them once the user has chosen the images.
    QStringList byName;
    for (const QString& path : paths)
        if (ModelsPage::modelByNameOf(path)) byName << path;
    if (auto* models = findChild<ModelsPage*>(); models && !byName.isEmpty()) {
        m_pages->setCurrentWidget(models);
        models->showCatalogue(byName);
        for (const QString& path : byName)
            paths.removeAll(path);
    }
    if (!paths.isEmpty()) openPaths(paths);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    m_workbench->tasks()->cancelAll();
    m_projects->endSession(); // a clean exit: no recovery offered next time
    event->accept();
}
