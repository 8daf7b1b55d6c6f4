#pragma once
// --export-figures DIR: once the files (or the demo) are loaded and every analysis has settled, writes every
// registered figure as PNG, SVG and PDF into DIR with the given style, then quits: exit code 0, or 1 with
// one line per failed figure on stderr. Scripts regenerate a paper's figures with one command.

#include "charts/figure_export.h"

#include <QObject>
#include <QString>

class MainWindow;

class FigureExportMode : public QObject
{
    Q_OBJECT
public:
    FigureExportMode(MainWindow& window, const QString& folder, const FigureStyle& style);

public Q_SLOTS:
    void start(); // waits for the Workbench to settle, then exports

private:
    void exportAll();

    MainWindow& m_window;
    QString m_folder;
    FigureStyle m_style;
};
