// The Objects page at THINGS scale (issue 28): a Workbench opens 1,854 objects, 4.7 M triplets and N feature
// files (1,854 × 2,048); the page is shown, so every analysis also gets its per-object alignment. Printed:
// the time from the analysis to the per-object table (per model), and the time to sort the table by each
// column (ascending and descending, median of 5) and to search it — as the user meets them, through the
// page's own view and proxy. Usage: bench_objects_page [models] [triplets] (default 10 4700000). Exit 1 when
// a result does not arrive.
#include "charts/object_maps_chart.h"
#include "controllers/object_alignment_controller.h"
#include "controllers/odd_one_out_controller.h"
#include "controllers/workbench.h"
#include "pages/object_alignment_model.h"
#include "pages/objects_page.h"
#include "pages/rdm_pair_panel.h"
#include "session/session.h"

#include "alignscope/object_map.h"
#include "alignscope/object_neighbours.h"
#include "alignscope/rsa_analysis.h"

#include "bench_gui_support.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QPolygonF>
#include <QTableView>
#include <QTemporaryDir>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

using namespace alignscope;

namespace {

double medianMs(std::vector<double> times)
{
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    const int models = argc > 1 ? std::atoi(argv[1]) : 10;
    const std::int64_t n = 1854, p = 2048, t = argc > 2 ? std::atoll(argv[2]) : 4700000;
    QTemporaryDir dir;
    const QStringList inputs = benchgui::writeThingsScaleInputs(QDir(dir.path()), n, p, t, models);
    if (inputs.isEmpty()) return 1;

    const bool withConcepts = argc > 3 && QString::fromLatin1(argv[3]) == QLatin1String("concepts");
    if (withConcepts) { // sparse and non-negative, as VICE: about 6 of 42 dimensions per object
        std::mt19937 rng(5);
        std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
        std::vector<float> concepts(size_t(n * 42));
        for (float& v : concepts)
            v = uniform(rng) < 0.15f ? 3.0f * uniform(rng) : 0.0f;
        const QString path = dir.filePath(QStringLiteral("concepts.npy"));
        if (!writeNpy(path.toStdString(), makeFloat32Array({n, 42}, concepts)).ok()) return 1;
        QFile::copy(dir.filePath(QStringLiteral("objects.txt")),
                    dir.filePath(QStringLiteral("concepts.rows.txt")));
    }
    Workbench workbench;
    ObjectsPage page(workbench.session(), workbench.tasks(), workbench.objectAlignment());
    page.resize(1200, 900);
    page.show();
    OddOneOutController* oddOneOut = workbench.oddOneOut();
    ObjectAlignmentController* objects = workbench.objectAlignment();
    QElapsedTimer sinceAnalysis;
    QObject::connect(oddOneOut, &OddOneOutController::analysisChanged, [&] { sinceAnalysis.start(); });
    workbench.open({dir.filePath(QStringLiteral("objects.txt"))});
    if (!benchgui::waitFor([&] { return workbench.session()->objects() != nullptr; }, 60)) return 1;
    QStringList paths = inputs;
    if (withConcepts) {
        workbench.session()->setConceptPath(dir.filePath(QStringLiteral("concepts.npy")));
        paths << dir.filePath(QStringLiteral("concepts.npy"));
    }
    workbench.open(paths);
    const auto ready = [&] {
        const auto analysis = oddOneOut->analysis();
        return workbench.isSettled() && analysis && int(analysis->models.size()) == models &&
               objects->analysis() == analysis && objects->result() &&
               objects->result()->neighbours.empty() != withConcepts;
    };
    if (!benchgui::waitFor(ready, 1800)) {
        std::printf("the per-object table did not arrive: %s\n", qPrintable(oddOneOut->problem()));
        return 1;
    }
    const double perObject = sinceAnalysis.nsecsElapsed() / 1e9;
    std::printf("%d model(s), n=%lld p=%lld triplets=%lld (Workbench, offscreen Objects page)\n", models,
                (long long)n, (long long)p, (long long)t);
    // With a concept space the RSA of every model against it runs on the same worker lane first, so this
    // includes it; the per-object work alone is timed below.
    std::printf("  analysis -> per-object table%s: %.2f s (%.3f s per model)\n",
                withConcepts ? " with neighbours (after the RSA queued before it)" : "", perObject,
                perObject / models);
    if (withConcepts) {
        const auto analysis = oddOneOut->analysis();
        const std::vector<float> similarity = denseSimilarity(analysis->models.front().similarity);
        QElapsedTimer clock;
        clock.start();
        auto human = workbench.objectAlignment()->result()->human;
        auto neighbours = compareNeighbours(*analysis->stimuli, analysis->models.front().similarity, *human,
                                            ObjectAlignmentController::kNeighbours);
        std::printf("  one model's neighbours and agreement (compareNeighbours, k 10): %.2f s%s\n",
                    clock.nsecsElapsed() / 1e9, neighbours ? "" : " (failed)");
        clock.restart();
        auto map = classicalMds(n, similarity, true);
        std::printf("  one map (classicalMds, %lld objects): %.2f s%s\n", (long long)n,
                    clock.nsecsElapsed() / 1e9, map ? "" : " (failed)");
        // Hover: the maps chart's hit test at objects' own places in both maps (what a mouse move runs).
        if (map) {
            const ObjectMapsFigure figure = objectMapsFigure(
                *analysis->stimuli, analysis->models.front().name, *map, "people", *map, {}, {});
            ObjectMapsChart chart;
            chart.resize(900, 500);
            const QRectF area(chart.rect());
            double worstMs = 0;
            for (int panel = 0; panel < 2; ++panel)
                for (std::int64_t s = 0; s < n; s += 37) {
                    const QPointF at = objectMapsPointOf(figure, area, chart.font(), &chart, panel, int(s));
                    QElapsedTimer hover;
                    hover.start();
                    (void)objectMapsObjectAt(figure, area, chart.font(), &chart, at);
                    worstMs = std::max(worstMs, hover.nsecsElapsed() / 1e6);
                }
            std::printf("  map hover (hit test over 2 x %lld points): at most %.2f ms (target 16 ms)\n",
                        (long long)n, worstMs);
            // A lasso of 200 vertices around the middle of the model's map: the objects inside it.
            QPolygonF lasso;
            const QPointF centre = objectMapsPointOf(figure, area, chart.font(), &chart, 0, int(n / 2));
            for (int v = 0; v < 200; ++v)
                lasso << centre + 80 * QPointF(std::cos(2 * M_PI * v / 200), std::sin(2 * M_PI * v / 200));
            clock.restart();
            const std::vector<int> inside = objectMapsObjectsIn(figure, area, chart.font(), &chart, lasso);
            std::printf("  lasso (200 vertices): %zu objects in %.2f ms\n", inside.size(),
                        clock.nsecsElapsed() / 1e6);
        }
        // An RDM cell clicked: the pair panel ranks the pair among all pairs of both RDMs.
        auto rsa = std::make_shared<RsaAnalysis>();
        rsa->stimuli = analysis->stimuli;
        rsa->human.n = n;
        rsa->human.values.resize(size_t(CondensedMatrix::pairCount(n)));
        for (size_t k = 0; k < rsa->human.values.size(); ++k)
            rsa->human.values[k] = float((k * 2654435761u) % 1000003) / 1000003.0f;
        rsa->models.push_back({});
        rsa->models.back().name = "model";
        rsa->models.back().rdm = rsa->human;
        RdmPairPanel panel(workbench.tasks());
        clock.restart();
        panel.setPair(rsa, 0, 3, n - 5);
        std::printf("  RDM cell click (ranks among 2 x %zu pairs): %.1f ms\n", rsa->human.values.size(),
                    clock.nsecsElapsed() / 1e6);
    }

    QTableView* view = page.alignmentTable();
    const int columns = page.alignmentModel()->columnCount();
    double worst = 0;
    for (int column = 0; column < columns; ++column)
        for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            std::vector<double> times;
            for (int repeat = 0; repeat < 5; ++repeat) {
                view->sortByColumn(column, repeat % 2 ? Qt::DescendingOrder : Qt::AscendingOrder);
                QElapsedTimer clock;
                clock.start();
                view->sortByColumn(column, order);
                app.processEvents(); // the view lays out the sorted rows
                times.push_back(clock.nsecsElapsed() / 1e6);
            }
            worst = std::max(worst, medianMs(times));
        }
    std::printf("  sort the %d rows by any of %d columns: at most %.1f ms (median of 5 per column and order; "
                "target 50 ms)\n",
                int(n), columns, worst);
    std::vector<double> searches;
    for (const char* text : {"object1", "object18", "object185", ""}) {
        QElapsedTimer clock;
        clock.start();
        page.setSearch(QString::fromLatin1(text));
        app.processEvents();
        searches.push_back(clock.nsecsElapsed() / 1e6);
    }
    std::printf("  search (3 prefixes, then cleared): at most %.1f ms\n",
                *std::max_element(searches.begin(), searches.end()));
    return 0;
}
