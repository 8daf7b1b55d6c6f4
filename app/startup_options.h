#pragma once
// Command-line options of the GUI: files to open, row mappings, the concept space, the similarity, a
// screenshot mode that saves every page once the analysis is ready (for the README and CI), a headless
// figure export (--export-figures) that writes every figure and quits, and a headless save of the computed
// workspace as a project (--save-project). A project folder among the files opens as that project.

#include "charts/figure_export.h"

#include <QMap>
#include <QString>
#include <QStringList>

class MainWindow;

struct StartupOptions
{
    QStringList paths;
    QMap<QString, QString> rows; // matrix path -> "canonical", "sorted" or a row-ID file
    QString concepts;
    QString similarity;
    QString screenshotDir;
    QString exportFiguresDir; // --export-figures: write every figure here, then quit
    QString saveProjectDir;   // --save-project: save the computed workspace as a project folder, then quit
    QString project;          // a project folder given as the file to open (opened alone)
    FigureStyle figureStyle;  // --figure-size WxH (mm), --dpi, --font-size; else the export dialog's defaults
    bool demo = false;        // --demo, or no files to open (and no --no-demo)
    QString demoFolder;       // --demo-folder: where the demo is generated (default: the user's cache folder)
    QString error;            // set when the arguments are invalid
};

StartupOptions parseStartupOptions(const QStringList& arguments);

// Applies the options to the window. In screenshot, figure-export and project-save mode the application quits
// when done (exit code 0), or with exit code 1 when something failed or nothing is ready within the timeout.
void applyStartupOptions(MainWindow& window, const StartupOptions& options);
