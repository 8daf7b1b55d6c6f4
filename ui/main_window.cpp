#include "main_window.h"

#include "about_dialog.h"
#include "file_loader.h"
#include "objects_page.h"
#include "task_runner.h"
#include "workspace.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QMenuBar>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeWidget>

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_workspace(new Workspace(this)), m_tasks(new TaskRunner(this)),
      m_pages(new QTabWidget(this)), m_objectsPage(new ObjectsPage(this)), m_tree(new QTreeWidget(this)),
      m_log(new QPlainTextEdit(this)), m_progress(new QProgressBar(this)), m_cancel(new QPushButton(tr("Cancel"), this))
{
    setWindowTitle(tr("AlignScope"));
    setAcceptDrops(true);
    m_pages->setObjectName(QStringLiteral("pages"));
    m_pages->addTab(m_objectsPage, tr("Objects"));
    setCentralWidget(m_pages);
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

    m_log->setObjectName(QStringLiteral("log"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    auto* logDock = new QDockWidget(tr("Log"), this);
    logDock->setObjectName(QStringLiteral("logDock"));
    logDock->setWidget(m_log);
    addDockWidget(Qt::BottomDockWidgetArea, logDock);
    refreshWorkspaceTree();
}

void MainWindow::openPaths(const QStringList& paths)
{
    for (const QString& path : paths) {
        log(tr("Loading %1").arg(path));
        const size_t objectCount = m_workspace->objects() ? m_workspace->objects()->size() : 0;
        m_tasks->run<LoadedItem>(
            QString(), this,
            [path, objectCount](const alignscope::TaskContext& context) { return loadPath(path, objectCount, context); },
            [this](LoadedItem item) { handleLoaded(item); });
    }
}

void MainWindow::handleLoaded(const LoadedItem& item)
{
    if (item.kind == LoadedItem::Kind::Failed) {
        log(item.error, true);
        statusBar()->showMessage(item.error, 10000);
        return;
    }
    log(tr("Loaded %1").arg(item.summary));
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
                            {tr("Features and matrices"), {LoadedItem::Kind::Matrix}},
                            {tr("Models"), {LoadedItem::Kind::Model}}};
    for (const Group& group : groups) {
        auto* top = new QTreeWidgetItem(m_tree, {group.title});
        for (const LoadedItem& item : m_workspace->items())
            if (std::find(group.kinds.begin(), group.kinds.end(), item.kind) != group.kinds.end()) {
                auto* child = new QTreeWidgetItem(top, {item.summary});
                child->setToolTip(0, item.path);
            }
        top->setExpanded(true);
    }
}

void MainWindow::log(const QString& message, bool isError)
{
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"));
    m_log->appendPlainText(QStringLiteral("%1 %2%3").arg(stamp, isError ? tr("error: ") : QString(), message));
}

QString MainWindow::logText() const { return m_log->toPlainText(); }

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile()) paths << url.toLocalFile();
        else log(tr("%1: only local files can be opened").arg(url.toString()), true);
    }
    if (!paths.isEmpty()) {
        event->acceptProposedAction();
        openPaths(paths);
    }
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    m_tasks->cancelAll();
    event->accept();
}
