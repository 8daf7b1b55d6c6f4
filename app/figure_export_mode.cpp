#include "figure_export_mode.h"

#include "controllers/object_alignment_controller.h"
#include "controllers/workbench.h"
#include "export/figure_registry.h"
#include "main_window.h"

#include <QApplication>
#include <cstdio>

FigureExportMode::FigureExportMode(MainWindow& window, const QString& folder, const FigureStyle& style)
    : QObject(&window), m_window(window), m_folder(folder), m_style(style)
{
}

void FigureExportMode::start()
{
    Workbench* workbench = m_window.workbench();
    // The Objects page computes only once shown: its inspector and the first model's map are asked for now,
    // and the export waits for them like for every other analysis.
    workbench->objectAlignment()->request(0);
    if (workbench->isSettled())
        QMetaObject::invokeMethod(this, &FigureExportMode::exportAll, Qt::QueuedConnection);
    else
        connect(workbench, &Workbench::settled, this, &FigureExportMode::exportAll, Qt::SingleShotConnection);
}

void FigureExportMode::exportAll()
{
    QStringList errors, notes;
    const QStringList written = m_window.figures()->exportFigures(
        m_folder, {}, {QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")}, m_style, &errors,
        &notes);
    for (const QString& note : notes)
        std::fprintf(stderr, "alignscope: note: %s\n", qPrintable(note));
    for (const QString& path : written)
        std::printf("%s\n", qPrintable(path));
    for (const QString& error : errors)
        std::fprintf(stderr, "alignscope: %s\n", qPrintable(error));
    if (written.isEmpty() && errors.isEmpty())
        std::fprintf(stderr, "alignscope: no figure to export (nothing was computed)\n");
    std::fflush(stdout);
    QApplication::exit(errors.isEmpty() && !written.isEmpty() ? 0 : 1);
}
