#include "charts/figure_export.h"
#include "huge_pages.h"
#include "main_window.h"
#include "startup_options.h"
#include "termination_signals.h"

#include "alignscope/version.h"

#include <QApplication>
#include <QMessageBox>

#include <cstdio>
#include <cstring>

namespace {

// --help and --version print and exit; they must work where no display is (a terminal over ssh, a build
// script).
bool onlyPrints(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
        for (const char* option : {"--help", "-h", "-?", "--help-all", "--version", "-v"})
            if (std::strcmp(argv[i], option) == 0) return true;
    return false;
}

// Scripts ask for a headless mode: their errors go to stderr only, never to a dialog that nobody sees (also
// when the mode's own option is the one that is wrong).
bool asksForHeadlessMode(const QStringList& arguments)
{
    for (const QString& argument : arguments)
        for (const QString option : {QStringLiteral("--export-figures"), QStringLiteral("--screenshots"),
                                     QStringLiteral("--save-project")})
            if (argument == option || argument.startsWith(option + QLatin1Char('='))) return true;
    return false;
}

void describeApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("AlignScope"));
    QCoreApplication::setOrganizationName(QStringLiteral("AlignScope"));
    QCoreApplication::setApplicationVersion(QString::fromStdString(alignscope::applicationVersion()));
}

} // namespace

int main(int argc, char** argv)
{
    if (onlyPrints(argc, argv)) {
        QCoreApplication console(argc, argv);
        describeApplication();
        const StartupOptions options =
            parseStartupOptions(QCoreApplication::arguments()); // exits after printing
        std::fprintf(stderr, "%s\n", qPrintable(options.error));
        return 2;
    }
    // THINGS-scale inputs are hundreds of MB: huge pages for malloc (see huge_pages.h).
    alignscope::app::reexecWithHugePages(argv);
    QApplication app(argc, argv);
    describeApplication();
    figureFontFamily(); // the bundled figure font, before any page lays out a figure
    alignscope::configureComputeThreads();
    alignscope::app::quitCleanlyOnTerminationSignals();
    const StartupOptions options = parseStartupOptions(QApplication::arguments());
    if (!options.error.isEmpty()) {
        std::fprintf(stderr, "alignscope: %s\n", qPrintable(options.error));
        if (!asksForHeadlessMode(QApplication::arguments())) // no dialog for scripts
            QMessageBox::critical(nullptr, QStringLiteral("AlignScope"), options.error);
        return 2;
    }
    MainWindow window;
    window.show();
    applyStartupOptions(window, options);
    return app.exec();
}
