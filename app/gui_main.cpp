#include "main_window.h"
#include "startup_options.h"

#include "alignscope/version.h"

#include <QApplication>
#include <QMessageBox>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("AlignScope"));
    QApplication::setOrganizationName(QStringLiteral("AlignScope"));
    QApplication::setApplicationVersion(QString::fromStdString(alignscope::applicationVersion()));
    alignscope::configureComputeThreads();
    const StartupOptions options = parseStartupOptions(QApplication::arguments());
    if (!options.error.isEmpty()) {
        QMessageBox::critical(nullptr, QStringLiteral("AlignScope"), options.error);
        return 2;
    }
    MainWindow window;
    window.show();
    applyStartupOptions(window, options);
    return app.exec();
}
