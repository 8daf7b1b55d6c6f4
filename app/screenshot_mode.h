#pragma once
// --screenshots DIR: saves every page of the window as DIR/<page>.png once the work it shows is done, then
// quits. Each page is shown, rendered once (which may start work, e.g. thumbnails) and saved when the
// Workbench has settled again: it waits on signals, not on time. The Compare page is saved once per view.

#include <QObject>
#include <QString>

class MainWindow;

class ScreenshotMode : public QObject
{
    Q_OBJECT
public:
    ScreenshotMode(MainWindow& window, const QString& folder);

public Q_SLOTS:
    void start();

private:
    void whenSettled(void (ScreenshotMode::*next)());
    void showPage();
    void savePage();

    MainWindow& m_window;
    QString m_folder;
    int m_page = 0;
    int m_compareView = 0;
};
