#include "export/figure_catalog.h"

#include "charts/concept_bars_chart.h"
#include "charts/density_plot.h"
#include "charts/heatmap_view.h"
#include "charts/probe_curves.h"
#include "main_window.h"
#include "pages/probe_page.h"
#include "pages/results_page.h"
#include "pages/rsa_page.h"
#include "pages/triplet_browser.h"

#include <QDir>
#include <QPainter>
#include <QTableView>
#include <QTableWidget>

namespace {

FigurePainter heatmapFigure(HeatmapView* view)
{
    return [view](QPainter& painter, const QRectF& rect, const FigureStyle&) {
        view->paintTo(painter, rect.toAlignedRect(), HeatmapView::kVectorCellLimit);
    };
}

} // namespace

std::vector<NamedFigure> figureCatalog(MainWindow& window)
{
    std::vector<NamedFigure> figures;
    figures.push_back({QStringLiteral("results-table"), QObject::tr("Odd-one-out results table"),
                       itemTableFigure(window.resultsPage()->table()->model())});
    figures.push_back({QStringLiteral("concept-bars"), QObject::tr("Per-concept accuracy bars"),
                       chartFigure(window.conceptChart())});
    figures.push_back({QStringLiteral("triplets"), QObject::tr("Triplet grid (rows on screen)"),
                       window.tripletBrowser()->figure()});
    RsaPage* rsa = window.rsaPage();
    figures.push_back(
        {QStringLiteral("rsa-table"), QObject::tr("RSA table"), itemTableFigure(rsa->table()->model())});
    figures.push_back(
        {QStringLiteral("rdm-human"), QObject::tr("Human RDM"), heatmapFigure(rsa->humanView())});
    figures.push_back(
        {QStringLiteral("rdm-model"), QObject::tr("Model RDM"), heatmapFigure(rsa->modelView())});
    figures.push_back({QStringLiteral("rdm-difference"), QObject::tr("Rank difference RDM"),
                       heatmapFigure(rsa->differenceView())});
    DensityPlot* scatter = rsa->scatter();
    figures.push_back({QStringLiteral("scatter"), QObject::tr("Model vs human dissimilarity"),
                       [scatter](QPainter& painter, const QRectF& rect, const FigureStyle&) {
                           scatter->paintTo(painter, rect.toAlignedRect());
                       }});
    figures.push_back({QStringLiteral("probe-curves"), QObject::tr("Probe training curves"),
                       chartFigure(window.probePage()->curves())});
    return figures;
}

QStringList exportFigures(MainWindow& window, const QString& folder, const QStringList& names,
                          const QStringList& formats, const FigureStyle& style, QStringList* errors)
{
    QStringList written;
    if (!QDir().mkpath(folder)) {
        if (errors) *errors << QObject::tr("%1: cannot create the folder").arg(folder);
        return written;
    }
    for (const NamedFigure& figure : figureCatalog(window)) {
        if (!names.isEmpty() && !names.contains(figure.name)) continue;
        for (const QString& format : formats) {
            const QString path = QDir(folder).filePath(figure.name + QLatin1Char('.') + format);
            const QString error = exportFigure(figure.paint, path, style);
            if (error.isEmpty())
                written << path;
            else if (errors)
                *errors << error;
        }
    }
    return written;
}
