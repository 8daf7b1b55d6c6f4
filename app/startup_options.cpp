#include "startup_options.h"

#include "screenshot_mode.h"

#include "controllers/project_session.h"
#include "controllers/workbench.h"
#include "demo_session.h"
#include "main_window.h"
#include "pages/rsa_page.h"
#include "pages/triplet_browser.h"
#include "session/session.h"

#include "alignscope/row_mapping.h"

#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QDir>
#include <QMessageBox>
#include <QTabWidget>
#include <QTimer>

StartupOptions parseStartupOptions(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("AlignScope: human alignment of neural network representations"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("files"),
                                 QStringLiteral("Files and folders to open (objects, triplets, features)."));
    const QCommandLineOption rows(QStringLiteral("rows"),
                                  QStringLiteral("Row mapping of a matrix: FILE=canonical|sorted|ROWFILE."),
                                  QStringLiteral("mapping"));
    const QCommandLineOption concepts(QStringLiteral("concepts"),
                                      QStringLiteral("Use this matrix as the concept space."),
                                      QStringLiteral("file"));
    const QCommandLineOption similarity(QStringLiteral("similarity"),
                                        QStringLiteral("cosine, dot, euclidean or correlation."),
                                        QStringLiteral("kind"));
    const QCommandLineOption screenshots(QStringLiteral("screenshots"),
                                         QStringLiteral("Save every page as PNG into DIR, then quit."),
                                         QStringLiteral("dir"));
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QStringLiteral("Open the built-in synthetic demo (the default without files)."));
    const QCommandLineOption noDemo(QStringLiteral("no-demo"),
                                    QStringLiteral("Start with an empty workspace."));
    const QCommandLineOption demoFolder(QStringLiteral("demo-folder"),
                                        QStringLiteral("Where to generate the demo."), QStringLiteral("dir"));
    parser.addOptions({rows, concepts, similarity, screenshots, demo, noDemo, demoFolder});
    StartupOptions options;
    if (!parser.parse(arguments)) {
        options.error = parser.errorText();
        return options;
    }
    if (parser.isSet(QStringLiteral("help"))) parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version"))) parser.showVersion();
    for (const QString& path : parser.positionalArguments())
        options.paths << QFileInfo(path).absoluteFilePath();
    for (const QString& mapping : parser.values(rows)) {
        const int equals = mapping.lastIndexOf('=');
        if (equals <= 0) {
            options.error =
                QStringLiteral("--rows expects FILE=canonical|sorted|ROWFILE, got '%1'").arg(mapping);
            return options;
        }
        options.rows[QFileInfo(mapping.left(equals)).absoluteFilePath()] = mapping.mid(equals + 1);
    }
    if (parser.isSet(concepts)) options.concepts = QFileInfo(parser.value(concepts)).absoluteFilePath();
    options.similarity = parser.value(similarity);
    options.screenshotDir = parser.value(screenshots);
    options.demo = parser.isSet(demo) || (options.paths.isEmpty() && !parser.isSet(noDemo));
    options.demoFolder = parser.value(demoFolder);
    return options;
}

void applyStartupOptions(MainWindow& window, const StartupOptions& options)
{
    Session* session = window.workbench()->session();
    for (auto it = options.rows.begin(); it != options.rows.end(); ++it) {
        auto identity = alignscope::rowIdentityFromArgument(it.value().toStdString());
        if (identity) session->setRowIdentity(it.key(), *identity);
    }
    if (!options.concepts.isEmpty()) session->setConceptPath(options.concepts);
    if (!options.similarity.isEmpty()) {
        auto kind = alignscope::parseSimilarityKind(options.similarity.toStdString());
        if (kind) session->setSimilarity(*kind);
    }
    if (!options.screenshotDir.isEmpty()) {
        window.setInteractive(false);
        window.resize(1400, 950);
        if (auto* rsa = window.findChild<RsaPage*>())
            rsa->setOrder(RsaPage::Order::Clustered); // the structure
        auto* screenshots = new ScreenshotMode(window, options.screenshotDir);
        // Pages are saved once the demo is complete, or else once the triplet browser has its rows (the last
        // step after an analysis), and everything it started has settled.
        if (options.demo)
            QObject::connect(window.openDemo(options.demoFolder), &DemoSession::ready, screenshots,
                             &ScreenshotMode::start, Qt::SingleShotConnection);
        else if (auto* triplets = window.findChild<TripletBrowser*>())
            QObject::connect(triplets, &TripletBrowser::rowsReady, screenshots, &ScreenshotMode::start,
                             Qt::SingleShotConnection);
        QTimer::singleShot(120000, &window, [] { QApplication::exit(1); });
    }
    // After a crash, offer the autosaved workspace instead of the demo.
    if (options.screenshotDir.isEmpty() && window.projects()->recoveryAvailable() &&
        QMessageBox::question(
            &window, QObject::tr("Recover work"),
            QObject::tr("AlignScope did not exit cleanly last time. Recover the autosaved workspace?")) ==
            QMessageBox::Yes) {
        QStringList notes;
        const QString error = window.projects()->recover(&notes);
        window.logMessages(error.isEmpty() ? notes : QStringList{error}, !error.isEmpty());
        if (error.isEmpty()) return;
    }
    if (options.demo) window.openDemo(options.demoFolder);
    window.openPaths(options.paths);
}
