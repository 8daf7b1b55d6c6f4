#pragma once
// Command-line options of the GUI: files to open, row mappings, the concept space, the similarity, and a
// screenshot mode that saves every page once the analysis is ready (for the README and CI).

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
    bool demo = false;  // --demo, or no files to open (and no --no-demo)
    QString demoFolder; // --demo-folder: where the demo is generated (default: the user's cache folder)
    QString error;      // set when the arguments are invalid
};

StartupOptions parseStartupOptions(const QStringList& arguments);

// Applies the options to the window. In screenshot mode the application quits after saving the pages
// (exit code 0), or with exit code 1 when nothing is ready within the timeout.
void applyStartupOptions(MainWindow& window, const StartupOptions& options);
