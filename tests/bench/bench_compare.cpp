// The Compare page at the size the issue names: 100 models × 42 concepts with a model table of three
// categorical columns and a numeric one. Measured, offscreen at 1200 × 800: the time from changing the
// grouping factor (or the view) to the page's chart painted again, and the time until the statistics with
// 10,000 permutations arrive from the worker (the GUI thread stays free meanwhile). Prints medians of 9
// changes.
#include "charts/population_chart.h"
#include "controllers/population_controller.h"
#include "export/figure_registry.h"
#include "pages/compare_page.h"
#include "session/task_runner.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>

namespace {

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    QApplication application(argc, argv);
    QTemporaryDir dir;
    const int models = 100, concepts = 42;
    std::mt19937_64 random(1);
    std::normal_distribution<double> normal(0, 0.03);
    const char* families[] = {"convnet", "vit", "mixer", "clip"};
    const char* data[] = {"imagenet", "laion", "jft"};
    const char* objectives[] = {"supervised", "contrastive", "self-supervised"};
    {
        std::ofstream results(dir.filePath("results.json").toStdString());
        std::ofstream table(dir.filePath("models.csv").toStdString());
        table << "model,family,training_data,objective,parameters\n";
        results << "{\"models\": [";
        for (int m = 0; m < models; ++m) {
            const double base = 0.45 + 0.05 * (m % 3) + normal(random);
            results << (m ? "," : "") << "{\"name\": \"model_" << m << "\", \"accuracy\": " << base
                    << ", \"ci95\": [" << base - 0.01 << ", " << base + 0.01 << "], \"per_concept\": [";
            for (int c = 0; c < concepts; ++c)
                results << (c ? "," : "") << "{\"dimension\": " << c << ", \"label\": \"concept " << c
                        << "\", \"accuracy\": " << base + normal(random) << "}";
            results << "]}";
            table << "model_" << m << "," << families[m % 4] << "," << data[m % 3] << ","
                  << objectives[(m / 3) % 3] << "," << (1e6 * (1 + m * 37 % 1000)) << "\n";
        }
        results << "]}\n";
    }
    TaskRunner tasks;
    PopulationController controller(&tasks, nullptr);
    FigureRegistry figures;
    ComparePage page(&controller, &figures);
    page.resize(1200, 800);
    page.show();
    QEventLoop wait;
    QObject::connect(&controller, &PopulationController::populationChanged, &wait, &QEventLoop::quit);
    controller.addResults({dir.filePath("results.json")});
    wait.exec();
    controller.setMetadata(dir.filePath("models.csv"));
    wait.exec();
    QObject::disconnect(&controller, &PopulationController::populationChanged, &wait, &QEventLoop::quit);
    std::printf("Compare page: %d models x %d concepts, offscreen %dx%d\n",
                int(controller.population().models.size()),
                int(controller.population().conceptLabels().size()), page.width(), page.height());
    const char* factors[] = {"family", "training_data", "objective"};
    const struct
    {
        PopulationView view;
        const char* name;
    } views[] = {{PopulationView::Concepts, "concepts x models"},
                 {PopulationView::ByFactor, "by factor"},
                 {PopulationView::Scatter, "scatter"}};
    for (const auto& view : views) {
        std::vector<double> redraw, statistics;
        for (int change = 0; change < 9; ++change) {
            PopulationSelection selection = page.selection();
            selection.view = view.view;
            selection.x = QStringLiteral("parameters");
            selection.groupBy = QString::fromLatin1(factors[change % 3]);
            QElapsedTimer clock;
            clock.start();
            QEventLoop statisticsDone;
            QObject::connect(&controller, &PopulationController::statisticsChanged, &statisticsDone,
                             &QEventLoop::quit);
            page.setSelection(selection);
            page.chart()->repaint(); // the frame the user sees
            redraw.push_back(double(clock.nsecsElapsed()) / 1e6);
            statisticsDone.exec();
            statistics.push_back(double(clock.nsecsElapsed()) / 1e6);
        }
        std::printf("  %-18s change of factor -> chart painted: median %.1f ms (max %.1f); statistics "
                    "(10,000 permutations) on the worker: median %.0f ms\n",
                    view.name, median(redraw), *std::max_element(redraw.begin(), redraw.end()),
                    median(statistics));
    }
    return 0;
}
