#include "main_window.h"

#include "alignscope/version.h"

#include <QApplication>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("AlignScope"));
    QApplication::setOrganizationName(QStringLiteral("AlignScope"));
    QApplication::setApplicationVersion(QString::fromStdString(alignscope::applicationVersion()));
    alignscope::configureComputeThreads();
    MainWindow window;
    QStringList paths = QApplication::arguments().mid(1);
    window.show();
    if (!paths.isEmpty()) window.openPaths(paths);
    return app.exec();
}
