#include "startup_options.h"

#include "figure_export_mode.h"
#include "project_save_mode.h"
#include "screenshot_mode.h"

#include "controllers/load_controller.h"
#include "controllers/project_session.h"
#include "controllers/workbench.h"
#include "demo_session.h"
#include "main_window.h"
#include "pages/rsa_page.h"
#include "pages/triplet_browser.h"
#include "session/project_file.h"
#include "session/session.h"

#include "alignscope/row_mapping.h"

#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <functional>

namespace {

// --save-project, and a project folder among the files: it opens alone (not beside other files or the demo),
// and --save-project is a mode of its own. Returns what is wrong, or an empty string.
QString takeProjectFolder(const QCommandLineParser& parser, const QCommandLineOption& saveProject,
                          StartupOptions& options)
{
    if (parser.isSet(saveProject)) {
        options.saveProjectDir = QFileInfo(parser.value(saveProject)).absoluteFilePath();
        if (!options.exportFiguresDir.isEmpty() || !options.screenshotDir.isEmpty())
            return QStringLiteral("--save-project cannot be combined with --export-figures or --screenshots");
    }
    for (const QString& path : options.paths)
        if (isProjectFolder(path)) options.project = path;
    if (options.project.isEmpty()) return {};
    if (options.paths.size() > 1)
        return QStringLiteral("%1: a project folder opens alone, without other files").arg(options.project);
    if (parser.isSet(QStringLiteral("demo")))
        return QStringLiteral("%1: a project folder opens alone, without --demo").arg(options.project);
    options.paths.clear();
    return {};
}

// In the headless modes what the window would log goes to stderr: errors, and saved results that were
// recomputed because they did not verify.
void reportOnStderr(MainWindow& window)
{
    Workbench* workbench = window.workbench();
    QObject::connect(workbench->session(), &Session::message, &window, [](const QString& text, bool isError) {
        if (isError) std::fprintf(stderr, "alignscope: %s\n", qPrintable(text));
    });
    QObject::connect(workbench, &Workbench::savedResultsRecomputed, &window, [](const QString& reason) {
        std::fprintf(stderr, "alignscope: note: %s\n", qPrintable(reason));
    });
}

} // namespace

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
    const QCommandLineOption exportFigures(
        QStringLiteral("export-figures"),
        QStringLiteral(
            "Write every figure as PNG, SVG and PDF into DIR once computed (the demo when no files "
            "are given), then quit."),
        QStringLiteral("dir"));
    const QCommandLineOption figureSize(
        QStringLiteral("figure-size"),
        QStringLiteral("Figure size in mm for --export-figures (default 88x66)."), QStringLiteral("WxH"));
    const QCommandLineOption dpi(QStringLiteral("dpi"), QStringLiteral("PNG resolution (default 300)."),
                                 QStringLiteral("n"));
    const QCommandLineOption fontSize(QStringLiteral("font-size"),
                                      QStringLiteral("Font size in pt for exported figures (default 8)."),
                                      QStringLiteral("pt"));
    parser.addOptions({rows, concepts, similarity, screenshots, demo, noDemo, demoFolder, exportFigures,
                       figureSize, dpi, fontSize});
    const QCommandLineOption saveProject(
        QStringLiteral("save-project"),
        QStringLiteral(
            "Save the files (the demo when none are given), once computed, as a project folder DIR, "
            "then quit. --export-figures OUT DIR exports a saved project's figures."),
        QStringLiteral("dir"));
    parser.addOption(saveProject);
    StartupOptions options;
    if (!parser.parse(arguments)) {
        options.error = parser.errorText();
        return options;
    }
    if (parser.isSet(QStringLiteral("help"))) parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version"))) parser.showVersion();
    // As strict as the CLI: a value that is not understood ends the program (exit 2) naming the option and
    // what it accepts, instead of being ignored for the defaults.
    for (const QString& path : parser.positionalArguments()) {
        if (!QFileInfo::exists(path)) {
            options.error = QStringLiteral("%1: no such file or folder").arg(path);
            return options;
        }
        options.paths << QFileInfo(path).absoluteFilePath();
    }
    for (const QString& mapping : parser.values(rows)) {
        const int equals = mapping.lastIndexOf('=');
        const QString matrix = mapping.left(std::max(equals, 0)), policy = mapping.mid(equals + 1);
        auto identity = alignscope::rowIdentityFromArgument(policy.toStdString());
        if (equals <= 0 || policy.isEmpty() || !identity) {
            options.error =
                QStringLiteral("--rows '%1': expects FILE=canonical, FILE=sorted or FILE=ROWFILE "
                               "(a row-ID file)%2")
                    .arg(mapping, equals <= 0 || policy.isEmpty()
                                      ? QString()
                                      : "; " + QString::fromStdString(identity.error().message()));
            return options;
        }
        if (!QFileInfo::exists(matrix)) {
            options.error = QStringLiteral("--rows '%1': %2: no such file").arg(mapping, matrix);
            return options;
        }
        options.rows[QFileInfo(matrix).absoluteFilePath()] = policy;
    }
    if (parser.isSet(concepts)) {
        if (!QFileInfo(parser.value(concepts)).isFile()) {
            options.error = QStringLiteral("--concepts %1: no such file").arg(parser.value(concepts));
            return options;
        }
        options.concepts = QFileInfo(parser.value(concepts)).absoluteFilePath();
    }
    if (parser.isSet(similarity)) {
        auto kind = alignscope::parseSimilarityKind(parser.value(similarity).toStdString());
        if (!kind) {
            options.error = "--similarity: " + QString::fromStdString(kind.error().message());
            return options;
        }
        options.similarity = parser.value(similarity);
    }
    if (parser.isSet(demo) && parser.isSet(noDemo)) {
        options.error = QStringLiteral("--demo and --no-demo contradict each other: give one");
        return options;
    }
    options.screenshotDir = parser.value(screenshots);
    options.exportFiguresDir = parser.value(exportFigures);
    for (const QCommandLineOption* figureOption : {&figureSize, &dpi, &fontSize})
        if (parser.isSet(*figureOption) && !parser.isSet(exportFigures)) {
            options.error =
                QStringLiteral("--%1 applies to --export-figures only (File > Export Figures asks "
                               "for the size in its dialog)")
                    .arg(figureOption->names().constFirst());
            return options;
        }
    if (parser.isSet(figureSize)) {
        const QStringList parts = parser.value(figureSize).split(QRegularExpression(QStringLiteral("[x×X]")));
        bool okWidth = false, okHeight = false;
        const double width = parts.value(0).toDouble(&okWidth), height = parts.value(1).toDouble(&okHeight);
        auto inRange = [](double mm) { return mm >= 20 && mm <= 500; }; // false for NaN
        if (parts.size() != 2 || !okWidth || !okHeight || !inRange(width) || !inRange(height)) {
            options.error = QStringLiteral("--figure-size expects WxH in mm (20 to 500 each), got '%1'")
                                .arg(parser.value(figureSize));
            return options;
        }
        options.figureStyle.widthMm = width;
        options.figureStyle.heightMm = height;
    }
    if (parser.isSet(dpi)) {
        bool ok = false;
        options.figureStyle.dpi = parser.value(dpi).toInt(&ok);
        if (!ok || options.figureStyle.dpi < 30 || options.figureStyle.dpi > 2400) {
            options.error = QStringLiteral("--dpi expects 30 to 2400, got '%1'").arg(parser.value(dpi));
            return options;
        }
    }
    if (parser.isSet(fontSize)) {
        bool ok = false;
        options.figureStyle.fontPoints = parser.value(fontSize).toDouble(&ok);
        const double points = options.figureStyle.fontPoints;
        if (!ok || !(points >= 4 && points <= 24)) { // NaN is refused
            options.error =
                QStringLiteral("--font-size expects 4 to 24 pt, got '%1'").arg(parser.value(fontSize));
            return options;
        }
    }
    if (const QString refused = takeProjectFolder(parser, saveProject, options); !refused.isEmpty()) {
        options.error = refused;
        return options;
    }
    options.demo =
        parser.isSet(demo) || (options.paths.isEmpty() && options.project.isEmpty() && !parser.isSet(noDemo));
    // Absolute: the demo's image list lives in another folder, and a relative path would be read from there.
    if (parser.isSet(demoFolder)) options.demoFolder = QFileInfo(parser.value(demoFolder)).absoluteFilePath();
    return options;
}

void applyStartupOptions(MainWindow& window, const StartupOptions& options)
{
    QList<std::function<void()>> whenProjectOpens; // what starts once the project folder is open
    DemoSession* demo = nullptr;
    auto openDemoOnce = [&]() {
        if (!demo) demo = window.openDemo(options.demoFolder);
        return demo;
    };
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
        if (options.demo) {
            QObject::connect(openDemoOnce(), &DemoSession::ready, screenshots, &ScreenshotMode::start,
                             Qt::SingleShotConnection);
            QObject::connect(openDemoOnce(), &DemoSession::failed, screenshots, [](const QString& message) {
                std::fprintf(stderr, "alignscope: --screenshots: the demo failed: %s\n", qPrintable(message));
                QApplication::exit(1);
            });
        } else if (auto* triplets = window.findChild<TripletBrowser*>())
            QObject::connect(triplets, &TripletBrowser::rowsReady, screenshots, &ScreenshotMode::start,
                             Qt::SingleShotConnection);
        QTimer::singleShot(120000, &window, [] { QApplication::exit(1); });
    }
    if (!options.exportFiguresDir.isEmpty()) {
        window.setInteractive(false);
        window.resize(1400, 950);
        if (!QDir().mkpath(options.exportFiguresDir)) { // say so before computing anything
            std::fprintf(stderr, "alignscope: %s: cannot create the folder\n",
                         qPrintable(options.exportFiguresDir));
            QTimer::singleShot(0, &window, [] { QApplication::exit(1); });
            return;
        }
        auto* exporter = new FigureExportMode(window, options.exportFiguresDir, options.figureStyle);
        if (!options.project.isEmpty())
            whenProjectOpens << [exporter] { exporter->start(); };
        else if (options.demo) {
            QObject::connect(openDemoOnce(), &DemoSession::ready, exporter, &FigureExportMode::start,
                             Qt::SingleShotConnection);
            // A demo that cannot be built has nothing to export: say why now, not after the time limit.
            QObject::connect(openDemoOnce(), &DemoSession::failed, exporter, [](const QString& message) {
                std::fprintf(stderr, "alignscope: --export-figures: the demo failed: %s\n",
                             qPrintable(message));
                QApplication::exit(1);
            });
        } else
            QObject::connect(window.workbench()->loader(), &LoadController::loaded, exporter,
                             &FigureExportMode::start, Qt::SingleShotConnection);
        QTimer::singleShot(600000, &window, [] {
            std::fprintf(stderr, "alignscope: --export-figures: nothing was ready after 10 minutes\n");
            QApplication::exit(1);
        });
    }
    if (!options.saveProjectDir.isEmpty()) {
        window.setInteractive(false);
        window.resize(1400, 950);
        if (const QString refused = checkProjectFolder(options.saveProjectDir); !refused.isEmpty()) {
            std::fprintf(stderr, "alignscope: %s\n", qPrintable(refused)); // before computing anything
            QTimer::singleShot(0, &window, [] { QApplication::exit(1); });
            return;
        }
        auto* saver = new ProjectSaveMode(window, options.saveProjectDir);
        if (!options.project.isEmpty()) {
            whenProjectOpens << [saver] { saver->start(); };
        } else if (options.demo) {
            QObject::connect(openDemoOnce(), &DemoSession::ready, saver, &ProjectSaveMode::start,
                             Qt::SingleShotConnection);
            QObject::connect(openDemoOnce(), &DemoSession::failed, saver, [saver](const QString& message) {
                saver->fail(message);
                saver->start();
            });
        } else if (options.paths.isEmpty()) {
            saver->start();
        } else {
            QObject::connect(window.workbench()->loader(), &LoadController::loaded, saver,
                             &ProjectSaveMode::start, Qt::SingleShotConnection);
        }
        QTimer::singleShot(600000, &window, [] {
            std::fprintf(stderr, "alignscope: --save-project: nothing was ready after 10 minutes\n");
            QApplication::exit(1);
        });
    }
    const bool headless = !options.screenshotDir.isEmpty() || !options.exportFiguresDir.isEmpty() ||
                          !options.saveProjectDir.isEmpty();
    if (headless) reportOnStderr(window);
    if (!options.project.isEmpty()) {
        QStringList notes;
        QString error;
        if (headless) { // not the current project, not in the user's recent projects
            ProjectData project;
            error = openProject(options.project, &project, &notes);
            if (error.isEmpty()) window.workbench()->applyProject(project, &notes);
        } else {
            error = window.projects()->open(options.project, &notes);
        }
        window.logMessages(error.isEmpty() ? notes : QStringList{error}, !error.isEmpty());
        for (const QString& line : error.isEmpty() ? notes : QStringList{error})
            if (headless)
                std::fprintf(stderr, "alignscope: %s%s\n", error.isEmpty() ? "note: " : "", qPrintable(line));
        if (!error.isEmpty()) {
            if (headless) QTimer::singleShot(0, &window, [] { QApplication::exit(1); });
            return;
        }
        for (const auto& start : whenProjectOpens)
            start();
        return;
    }
    // After a crash, offer the autosaved workspace instead of the demo.
    if (!headless && window.projects()->recoveryAvailable() &&
        QMessageBox::question(
            &window, QObject::tr("Recover work"),
            QObject::tr("AlignScope did not exit cleanly last time. Recover the autosaved workspace?")) ==
            QMessageBox::Yes) {
        QStringList notes;
        const QString error = window.projects()->recover(&notes);
        window.logMessages(error.isEmpty() ? notes : QStringList{error}, !error.isEmpty());
        if (error.isEmpty()) return;
    }
    if (options.demo) openDemoOnce();
    window.openPaths(options.paths);
}
