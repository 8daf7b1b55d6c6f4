// alignscope_figures.so: the Compare page's paint routine for `alignscope-cli compare --figure`, loaded by
// the CLI only when a figure is asked for, so that no other command links or starts Qt. The request is JSON
// (the CLI's options); the figure is written atomically as PNG, SVG or PDF by the GUI's export path.
#include "charts/figure_export.h"
#include "charts/population_chart.h"
#include "figures/population_figure.h"

#include "alignscope/json_reader.h"
#include "alignscope/model_metadata.h"
#include "alignscope/model_population.h"

#include <QGuiApplication>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

using namespace alignscope;

namespace {

std::string render(const std::string& requestText)
{
    auto request = parseJson(requestText, "figure request");
    if (!request) return request.error().message();
    // The same reading as `compare`: the results, and --meta or else the merged results' own "meta".
    std::vector<std::string> paths;
    if (const JsonValue* results = request->find("results"); results && results->isArray())
        for (const JsonValue& path : results->array)
            paths.push_back(path.string);
    auto inputs = loadPopulationInputs(paths, request->stringOr("meta"));
    if (!inputs) return inputs.error().message();
    const ModelPopulation& population = inputs->population;
    const ModelMetadata metadata = inputs->metadata ? *inputs->metadata : ModelMetadata();
    const MetadataMatch match = matchModelsToMetadata(metadata, population.models);
    PopulationSelection selection;
    const std::string view = request->stringOr("view");
    selection.view = view == "by-factor"  ? PopulationView::ByFactor
                     : view == "concepts" ? PopulationView::Concepts
                     : view == "transfer" ? PopulationView::Transfer
                                          : PopulationView::Scatter;
    selection.y = QString::fromStdString(request->stringOr("metric"));
    selection.x = QString::fromStdString(request->stringOr("x"));
    selection.groupBy = QString::fromStdString(request->stringOr("by"));
    selection.logX = request->stringOr("log_x") == "true";
    selection.modelOrder = QString::fromStdString(request->stringOr("model_order"));
    selection.conceptValues = request->stringOr("concept_values") == "difference"
                                  ? ConceptValues::FromAcrossModelMean
                                  : ConceptValues::Raw;
    PopulationFigureData figure =
        buildPopulationFigure(population, metadata, match, selection, transferCellsFromMetrics(population));
    const std::string out = request->stringOr("out");
    if (!figure.message.isEmpty()) return out + ": nothing to draw: " + figure.message.toStdString();
    if (const std::string mixed = request->stringOr("mixed");
        !mixed.empty()) // --allow-mixed: said in the figure
        figure.title =
            QStringLiteral("Mixed results, %1 differ: %2").arg(QString::fromStdString(mixed), figure.title);
    FigureStyle style;
    style.widthMm = request->numberOr("width_mm", 88.0);
    style.heightMm = request->numberOr("height_mm", 66.0);
    // As the GUI's export: taller where every label needs it, the transfer matrix as tall as its rows.
    const double needed = populationFigureHeightMm(figure, style);
    style.heightMm =
        selection.view == PopulationView::Transfer && needed > 0 ? needed : std::max(style.heightMm, needed);
    // Models left out are said on stderr (compare's text and JSON list them too), never inside the figure.
    if (!figure.modelsWithoutValues.isEmpty())
        std::fprintf(stderr, "%s: not in the figure (no value): %s\n", out.c_str(),
                     figure.modelsWithoutValues.join(QStringLiteral(", ")).toUtf8().constData());
    const QString error = exportFigure(populationFigure(figure), QString::fromStdString(out), style);
    return error.toStdString();
}

} // namespace

// Returns 0 and writes the figure, or 1 with a one-line message (naming the file) in `error`.
extern "C" __attribute__((visibility("default"))) int
alignscope_render_population_figure(const char* request, char* error, size_t size)
{
    std::unique_ptr<QGuiApplication> application;
    static int argc = 1;
    static char name[] = "alignscope-cli";
    static char* argv[] = {name, nullptr};
    if (!QGuiApplication::instance()) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
        application = std::make_unique<QGuiApplication>(argc, argv);
    }
    figureFontFamily(); // the bundled font, before any layout
    std::string message;
    try {
        message = render(request ? request : "");
    } catch (const std::exception& exception) {
        message = std::string("figure: ") + exception.what();
    }
    if (message.empty()) return 0;
    std::strncpy(error, message.c_str(), size - 1);
    error[size - 1] = '\0';
    return 1;
}
