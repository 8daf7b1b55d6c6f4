#include "screenshot_mode.h"

#include "controllers/workbench.h"
#include "main_window.h"
#include "pages/compare_page.h"
#include "pages/rsa_page.h"

#include "alignscope/file_io.h"

#include <QApplication>
#include <QBuffer>
#include <QDir>
#include <QTabWidget>
#include <QTableWidget>
#include <cstdio>
#include <iterator>

ScreenshotMode::ScreenshotMode(MainWindow& window, const QString& folder)
    : QObject(&window), m_window(window), m_folder(folder)
{
    QDir().mkpath(folder);
}

void ScreenshotMode::start()
{
    whenSettled(&ScreenshotMode::showPage);
}

void ScreenshotMode::whenSettled(void (ScreenshotMode::*next)())
{
    Workbench* workbench = m_window.workbench();
    if (workbench->isSettled())
        QMetaObject::invokeMethod(this, next, Qt::QueuedConnection); // after pending paints
    else
        connect(workbench, &Workbench::settled, this, next, Qt::SingleShotConnection);
}

void ScreenshotMode::showPage()
{
    QTabWidget* pages = m_window.pages();
    if (m_page >= pages->count()) {
        QApplication::exit(0);
        return;
    }
    pages->setCurrentIndex(m_page);
    // The RDM page with its most divergent pair opened in the pair panel, so that the shot shows one.
    if (auto* rsa = qobject_cast<RsaPage*>(pages->widget(m_page));
        rsa && rsa->divergentPairs()->rowCount() > 0)
        rsa->divergentPairs()->setCurrentCell(0, 0);
    m_window.grab(); // the first paint asks for what the page shows (thumbnails, a redraw)
    whenSettled(&ScreenshotMode::savePage);
}

void ScreenshotMode::savePage()
{
    QTabWidget* pages = m_window.pages();
    QString name = pages->tabText(m_page).toLower().remove('&').replace(' ', '-');
    // The Compare page once per view: compare-scatter, -by-factor, -concepts, -transfer.
    auto* compare = qobject_cast<ComparePage*>(pages->widget(m_page));
    const PopulationView views[] = {PopulationView::Scatter, PopulationView::ByFactor,
                                    PopulationView::Concepts, PopulationView::Transfer};
    const char* viewNames[] = {"scatter", "by-factor", "concepts", "transfer"};
    static_assert(std::size(views) == std::size(viewNames));
    if (compare) name += QLatin1Char('-') + QLatin1String(viewNames[m_compareView]);
    const QString path = QDir(m_folder).filePath(name + QStringLiteral(".png"));
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    m_window.grab().toImage().save(&buffer, "PNG");
    if (auto written =
            alignscope::writeFileAtomically(path.toStdString(), png.constData(), size_t(png.size()));
        !written) {
        std::fprintf(stderr, "alignscope: %s\n", written.error().message().c_str());
        QApplication::exit(1);
        return;
    }
    if (compare && ++m_compareView < int(std::size(views))) {
        PopulationSelection selection = compare->selection();
        selection.view = views[m_compareView];
        compare->setSelection(selection);
        m_window.grab();
        whenSettled(&ScreenshotMode::savePage);
        return;
    }
    ++m_page;
    showPage();
}
