#include "startup_options.h"

#include "alignscope/row_mapping.h"
#include "controllers/odd_one_out_controller.h"
#include "demo_session.h"
#include "main_window.h"
#include "pages/rsa_page.h"
#include "pages/triplet_browser.h"
#include "session/project_session.h"
#include "session/task_runner.h"

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
    OddOneOutController* controller = window.oddOneOut();
    for (auto it = options.rows.begin(); it != options.rows.end(); ++it) {
        auto identity = alignscope::rowIdentityFromArgument(it.value().toStdString());
        if (identity) controller->setRowIdentity(it.key(), *identity);
    }
    if (!options.concepts.isEmpty()) controller->setConceptPath(options.concepts);
    if (!options.similarity.isEmpty()) {
        auto kind = alignscope::parseSimilarityKind(options.similarity.toStdString());
        if (kind) window.setSimilarity(*kind);
    }
    if (!options.screenshotDir.isEmpty()) {
        window.setInteractive(false);
        window.resize(1400, 950);
        window.rsaPage()->setOrder(RsaPage::Order::Clustered); // shows the matrices' structure
        const QString dir = options.screenshotDir;
        QDir().mkpath(dir);
        auto save = [&window, dir] {
            window.tasks()->waitForIdle(120000); // the RSA and its display may still be computing
            QTabWidget* pages = window.pages();
            for (int page = 0; page < pages->count(); ++page) {
                pages->setCurrentIndex(page);
                QApplication::processEvents();
                const QString name = pages->tabText(page).toLower().remove('&').replace(' ', '-');
                window.grab().toImage().save(dir + QStringLiteral("/") + name + QStringLiteral(".png"));
            }
            QApplication::exit(0);
        };
        // Pages are saved once the demo is complete, or else once the triplet browser has its rows (the last
        // step after an analysis).
        if (options.demo)
            QObject::connect(
                window.openDemo(options.demoFolder), &DemoSession::ready, &window,
                [save] { QTimer::singleShot(500, save); }, Qt::SingleShotConnection);
        else
            QObject::connect(
                window.tripletBrowser(), &TripletBrowser::rowsReady, &window,
                [save] { QTimer::singleShot(300, save); }, Qt::SingleShotConnection);
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
