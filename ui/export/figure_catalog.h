#pragma once
// Every figure the window can export, by name, and the batch "export all figures".

#include "charts/figure_export.h"

#include <QStringList>
#include <vector>

class MainWindow;

struct NamedFigure
{
    QString name; // file stem, e.g. "concept-bars"
    QString title;
    FigurePainter paint;
};

std::vector<NamedFigure> figureCatalog(MainWindow& window);

// Writes <folder>/<name>.<format> for each figure (all when `names` is empty) and format ("png", "svg",
// "pdf"). Returns the files written; errors (one line each, naming the file) go to `errors`.
QStringList exportFigures(MainWindow& window, const QString& folder, const QStringList& names,
                          const QStringList& formats, const FigureStyle& style, QStringList* errors);
