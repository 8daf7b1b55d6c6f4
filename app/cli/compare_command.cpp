// alignscope-cli compare: statistics over a population of models, from their results and a metadata table.
#include "alignscope/file_io.h"
#include "arguments.h"
#include "commands.h"

#include "alignscope/json_writer.h"
#include "alignscope/metric_key.h"
#include "alignscope/model_metadata.h"
#include "alignscope/model_population.h"
#include "alignscope/population_stats.h"

#include <cmath>
#include <cstdlib>
#include <dlfcn.h>
#include <filesystem>
#include <iomanip>
#include <sstream>
#include <unistd.h>

namespace alignscope::cli {

namespace {

// Renders the figure through the GUI's paint routine in alignscope_figures.so (beside the program, in
// ../lib/alignscope, or the build tree's), loaded only now: no other command starts Qt.
Status renderFigure(const std::string& request, const std::string& out)
{
    std::vector<std::string> candidates;
    if (const char* forced = std::getenv("ALIGNSCOPE_FIGURES_MODULE"); forced && *forced)
        candidates.push_back(forced);
    const std::string exe = executableFolder();
    candidates.push_back(exe + "/alignscope_figures.so");
    candidates.push_back(exe + "/../lib/alignscope/alignscope_figures.so");
#ifdef ALIGNSCOPE_FIGURES_MODULE_BUILD_PATH
    candidates.push_back(ALIGNSCOPE_FIGURES_MODULE_BUILD_PATH);
#endif
    std::string reasons;
    for (const std::string& path : candidates) {
        if (::access(path.c_str(), R_OK) != 0) continue;
        void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            const char* why = ::dlerror();
            reasons += "; " + path + ": " + (why ? why : "cannot be loaded");
            continue;
        }
        using Render = int (*)(const char*, char*, size_t);
        auto render = reinterpret_cast<Render>(::dlsym(handle, "alignscope_render_population_figure"));
        if (!render) {
            reasons += "; " + path + ": not an AlignScope figures module";
            continue;
        }
        char error[1024] = {0};
        if (render(request.c_str(), error, sizeof error) != 0)
            return makeError("", "", error); // the module's messages name the file already
        return okStatus();
    }
    return makeError(out, "",
                     "figures need alignscope_figures.so (built with the GUI, Qt 6), which was not found" +
                         reasons);
}

void writeInterval(JsonWriter& json, const std::optional<Interval>& interval)
{
    if (!interval) {
        json.null();
        return;
    }
    json.beginArray().value(interval->low).value(interval->high).endArray();
}

void writeCorrelation(JsonWriter& json, const CorrelationStatistic& statistic)
{
    json.beginObject().key("r").value(statistic.r).key("ci95");
    writeInterval(json, statistic.ci95);
    json.key("p_value");
    if (statistic.pValue)
        json.value(*statistic.pValue);
    else
        json.null();
    json.key("n_models").value(statistic.models);
    if (!statistic.note.empty()) json.key("note").value(statistic.note);
    json.endObject();
}

} // namespace

int runCompare(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    CLI::App app = makeApp("compare", "Statistics over a population of models: a result against a metadata "
                                      "column or another result.");
    std::vector<std::string> resultPaths;
    std::string metaPath, metric, byColumn, xName;
    int bootstrap = 1000, permutations = 10000;
    std::uint64_t seed = 0;
    bool jsonOutput = false, logX = false, allowMixed = false;
    std::string figurePath, view = "scatter", conceptValues = "accuracy", modelOrder;
    double widthMm = 88, heightMm = 66;
    app.add_option("--results", resultPaths, "'ooo --json' outputs or merged batch results (merged.json)")
        ->required();
    app.add_option(
        "--meta", metaPath,
        "model table: CSV, TSV or JSON, one row per model (default: the \"meta\" of merged results)");
    app.add_option("--metric", metric,
                   "the result compared: " + std::string(metricKindName(MetricKind::Accuracy)) + ", " +
                       metricName(MetricKey::conceptAccuracy("LABEL")) + ", " +
                       metricName(MetricKey::of(MetricKind::RsaJobR, "DATASET", "VARIANT")) + ", ...")
        ->required();
    app.add_option("--by", byColumn, "a categorical metadata column: share of variance explained, groups");
    app.add_option("--x", xName, "a numeric metadata column or another metric: Pearson and Spearman");
    addInteger(app, "--bootstrap", bootstrap, 0, 1000000, "bootstrap replicates over models");
    addInteger(app, "--permutations", permutations, 0, 10000000, "permutations for the p-values");
    addSeed(app, seed);
    app.add_flag("--json", jsonOutput, "print JSON");
    app.add_flag("--allow-mixed", allowMixed,
                 "pool results whose triplets, objects or similarity differ (refused otherwise); the output "
                 "and the figure say so");
    app.add_option(
        "--figure", figurePath,
        "also draw the plot the Compare page shows into OUT.png, OUT.svg or OUT.pdf (needs the GUI's "
        "figure module)");
    app.add_option("--view", view,
                   "the figure's view: scatter (--x), by-factor (--by), concepts, or transfer (probe jobs)")
        ->check(CLI::IsMember({"scatter", "by-factor", "concepts", "transfer"}));
    app.add_flag("--log-x", logX, "log scale for --x (parameter counts)");
    app.add_option(
        "--model-order", modelOrder,
        "concepts view: the models' order, 'cluster' or a numeric column (default: grouped by --by)");
    app.add_option("--concept-values", conceptValues, "concepts view: accuracy or difference (from the mean)")
        ->check(CLI::IsMember({"accuracy", "difference"}));
    addReal(app, "--width-mm", widthMm, 20, 600, "figure width in mm (88: one column, 180: two)");
    addReal(app, "--height-mm", heightMm, 20, 600, "figure height in mm");
    if (auto exit = parseArguments(app, args, out, err)) return *exit;
    if (!figurePath.empty()) {
        const std::string suffix = std::filesystem::path(figurePath).extension().string();
        if (suffix != ".png" && suffix != ".svg" && suffix != ".pdf")
            return fail(err, makeError(figurePath, "", "--figure must end in .png, .svg or .pdf"));
    }

    auto inputs = loadPopulationInputs(resultPaths, metaPath);
    if (!inputs) return fail(err, inputs.error());
    const ModelPopulation& population = inputs->population;
    // --metric is read by the table that names every result, and found by the name it prints.
    if (const auto key = parseMetricKey(metric); key)
        metric = metricName(*key);
    else
        return fail(err, makeError(resultPaths.front(), "",
                                   "no model has the metric '" + metric + "' (" + key.error().reason +
                                       "); the metrics present: " + population.metricList()));
    const bool hasTable = bool(inputs->metadata);
    const ModelMetadata metadata = hasTable ? *inputs->metadata : ModelMetadata();
    const std::string tableOrigin = inputs->metadataOrigin;
    MetadataMatch match;
    if (hasTable) {
        match = matchModelsToMetadata(metadata, population.models);
        for (const std::string& name : match.unmatchedModels)
            err << "warning: " << tableOrigin << ": no row for model '" << name << "'\n";
    } else {
        match.rowForModel.assign(population.models.size(), -1);
    }
    for (const std::string& entry : population.leftOut)
        err << "warning: left out: " << entry << "\n";
    if (!byColumn.empty() && !hasTable)
        return fail(err,
                    makeError("", "", "--by needs --meta (or merged results whose manifest gave \"meta\")"));
    // Results pooled from different triplets, objects or similarities are refused unless --allow-mixed.
    const PoolingCheck pooling = population.checkPooling(
        metricsRead(population, metric, xName, view == "concepts", view == "transfer"));
    for (const std::string& file : pooling.unfingerprinted)
        err << "warning: " << file
            << ": results without a fingerprint (written before fingerprints, or an analysis that writes "
               "none): not checked for the same triplets and similarity\n";
    if (pooling.mixedResults() && !allowMixed) {
        std::string reasons;
        for (const std::string& reason : pooling.mixed)
            reasons += (reasons.empty() ? "" : "; ") + reason;
        return fail(err, makeError("", "", reasons + " (pass --allow-mixed to pool them anyway)"));
    }
    for (const std::string& reason : pooling.mixed)
        err << "warning: mixed results (--allow-mixed): " << reason << "\n";
    auto metaColumn = [&](const std::string& name) -> Result<const MetadataColumn*> {
        const MetadataColumn* column = metadata.column(name);
        if (!column) return makeError(tableOrigin, "", "no column '" + name + "'");
        return column;
    };
    // The value of `metric` (or a metadata column) per model; NaN where there is none.
    auto valuesOf = [&](const std::string& name, bool fromMetadata) {
        return fromMetadata ? metadataNumbers(metadata, match, name) : population.column(name);
    };
    const std::vector<double> y = valuesOf(metric, false);
    std::vector<std::string> missing;
    for (size_t m = 0; m < y.size(); ++m)
        if (std::isnan(y[m])) missing.push_back(population.models[m]);
    if (missing.size() == y.size())
        return fail(err, makeError(resultPaths.front(), "",
                                   "no model has the metric '" + metric +
                                       "'; the metrics present: " + population.metricList()));
    const PopulationOptions options{bootstrap, permutations, seed};

    JsonWriter json;
    json.beginObject().key("metric").value(metric).key("models").beginArray();
    for (size_t m = 0; m < y.size(); ++m) {
        json.beginObject().key("name").value(population.models[m]).key("value").value(y[m]);
        if (hasTable) json.key("matched").value(match.rowForModel[m] >= 0);
        json.endObject();
    }
    json.endArray().key("models_without_metric").beginArray();
    for (const std::string& name : missing)
        json.value(name);
    json.endArray().key("left_out").beginArray();
    for (const std::string& entry : population.leftOut)
        json.value(entry);
    json.endArray().key("unmatched_models").beginArray();
    for (const std::string& name : match.unmatchedModels)
        json.value(name);
    json.endArray().key("unused_meta_rows").beginArray();
    for (const std::string& name : match.unusedRows)
        json.value(name);
    json.endArray();
    if (hasTable) json.key("meta").value(tableOrigin).key("meta_name_column").value(metadata.nameColumn);
    json.key("mixed_results").beginArray();
    for (const std::string& reason : pooling.mixed)
        json.value(reason);
    json.endArray().key("results_without_fingerprint").beginArray();
    for (const std::string& file : pooling.unfingerprinted)
        json.value(file);
    json.endArray();
    std::ostringstream text;
    const size_t withMetric = y.size() - missing.size();
    text << "metric: " << metric << " (" << withMetric << " of " << y.size() << " models have it";
    if (!missing.empty()) {
        text << "; without it:";
        for (size_t i = 0; i < missing.size(); ++i)
            text << (i ? ", " : " ") << missing[i];
    }
    text << ")\n";
    if (hasTable)
        text << "model table: " << tableOrigin << " (names from column '" << metadata.nameColumn << "')\n";
    for (const std::string& reason : pooling.mixed)
        text << "WARNING, mixed results pooled (--allow-mixed): " << reason << "\n";
    for (const std::string& entry : population.leftOut)
        text << "left out: " << entry << "\n";
    // The models a statistic used, and why the others with the metric were not.
    auto describeUse = [&](size_t used, const std::vector<std::string>& dropped) {
        std::string line = std::to_string(used) + " of " + std::to_string(withMetric) + " models used";
        for (size_t i = 0; i < dropped.size(); ++i)
            line += (i ? "; " : "; left out: ") + dropped[i];
        return line;
    };
    if (!xName.empty()) {
        const bool fromMetadata = hasTable && metadata.column(xName);
        if (fromMetadata && !metadata.column(xName)->numeric) {
            const std::string& why = metadata.column(xName)->notNumeric;
            return fail(err, makeError(tableOrigin, "column '" + xName + "'",
                                       why.empty() ? "not numeric: use --by for it" : "not numeric: " + why));
        }
        std::vector<double> x = valuesOf(xName, fromMetadata);
        std::vector<std::string> dropped;
        for (size_t m = 0; m < y.size(); ++m) {
            if (std::isnan(y[m])) continue;
            if (std::isnan(x[m]))
                dropped.push_back(population.models[m] + " (no " + xName + ")");
            else if (logX && fromMetadata && !(x[m] > 0))
                dropped.push_back(population.models[m] + " (" + xName + " " + numberText(x[m]) +
                                  " is not positive: log scale)");
        }
        if (logX && fromMetadata) // the correlations of the axis drawn (the Compare page does the same)
            for (double& value : x)
                value = value > 0 ? std::log10(value) : std::nan("");
        std::vector<double> xs, ys;
        for (size_t m = 0; m < y.size(); ++m)
            if (!std::isnan(x[m]) && !std::isnan(y[m])) xs.push_back(x[m]), ys.push_back(y[m]);
        if (xs.empty())
            return fail(err, makeError(fromMetadata ? tableOrigin : resultPaths.front(), "",
                                       "no model has both '" + xName + "' and '" + metric + "'"));
        auto pearson = pearsonOverModels(xs, ys, options);
        auto spearman = spearmanOverModels(xs, ys, options);
        if (!pearson) return fail(err, pearson.error());
        if (!spearman) return fail(err, spearman.error());
        json.key("x").beginObject().key("name").value(xName).key("kind").value(fromMetadata ? "metadata"
                                                                                            : "result");
        if (fromMetadata) json.key("log_scale_suggested").value(metadata.column(xName)->logScaleSuggested);
        json.key("log_x").value(logX && fromMetadata);
        json.key("n_models").value(xs.size()).key("left_out").beginArray();
        for (const std::string& entry : dropped)
            json.value(entry);
        json.endArray();
        json.key("pearson");
        writeCorrelation(json, *pearson);
        json.key("spearman");
        writeCorrelation(json, *spearman);
        json.endObject();
        text << std::fixed << std::setprecision(4) << "against " << xName << " ("
             << describeUse(xs.size(), dropped) << "): Pearson r " << pearson->r << ", Spearman rho "
             << spearman->r;
        if (pearson->pValue)
            text << " (permutation p " << *pearson->pValue << ", " << *spearman->pValue << ")";
        if (!pearson->note.empty()) text << " (" << pearson->note << ")";
        text << "\n";
    }
    if (!byColumn.empty()) {
        auto column = metaColumn(byColumn);
        if (!column) return fail(err, column.error());
        const std::vector<std::string> modelLevels = metadataLevels(metadata, match, byColumn);
        std::vector<double> values;
        std::vector<std::string> levels, dropped;
        for (size_t m = 0; m < y.size(); ++m) {
            if (std::isnan(y[m])) continue;
            if (match.rowForModel[m] < 0) {
                dropped.push_back(population.models[m] + " (no row in the model table)");
                continue;
            }
            if (isMissingCell(modelLevels[m])) {
                dropped.push_back(population.models[m] + " (no " + byColumn + ")");
                continue;
            }
            values.push_back(y[m]);
            levels.push_back(modelLevels[m]);
        }
        auto factor = factorOverModels(values, levels, options);
        if (!factor) return fail(err, factor.error());
        json.key("by")
            .beginObject()
            .key("column")
            .value(byColumn)
            .key("eta_squared")
            .value(factor->etaSquared);
        json.key("p_value");
        if (factor->pValue)
            json.value(*factor->pValue);
        else
            json.null();
        json.key("n_models").value(factor->models).key("left_out").beginArray();
        for (const std::string& entry : dropped)
            json.value(entry);
        json.endArray().key("groups").beginArray();
        for (const GroupSummary& group : factor->groups) {
            json.beginObject().key("level").value(group.level).key("n_models").value(group.models);
            json.key("mean").value(group.mean).key("ci95");
            writeInterval(json, group.ci95);
            json.endObject();
        }
        json.endArray().key("pairs").beginArray();
        for (const GroupDifference& pair : factor->pairs)
            json.beginObject()
                .key("a")
                .value(pair.a)
                .key("b")
                .value(pair.b)
                .key("difference")
                .value(pair.difference)
                .key("p_value")
                .value(pair.pValue)
                .key("p_holm")
                .value(pair.pHolm)
                .endObject();
        json.endArray();
        if (!factor->note.empty()) json.key("note").value(factor->note);
        json.endObject();
        text << std::fixed << std::setprecision(4) << "by " << byColumn << " ("
             << describeUse(size_t(factor->models), dropped) << "): eta squared " << factor->etaSquared;
        if (factor->pValue) text << " (permutation p " << *factor->pValue << ")";
        if (!factor->note.empty()) text << " (" << factor->note << ")";
        text << "\n";
        for (const GroupSummary& group : factor->groups)
            text << "  " << group.level << ": mean " << group.mean << " (" << group.models << " models)\n";
    }
    json.key("bootstrap")
        .value(bootstrap)
        .key("permutations")
        .value(permutations)
        .key("seed")
        .value(std::int64_t(seed));
    json.endObject();
    if (!figurePath.empty()) {
        JsonWriter request;
        request.beginObject().key("results").beginArray();
        for (const std::string& path : resultPaths)
            request.value(path);
        request.endArray()
            .key("meta")
            .value(metaPath) // empty: the merged results' own "meta"
            .key("mixed")
            .value(pooling.differing)
            .key("metric")
            .value(metric)
            .key("x")
            .value(xName)
            .key("by")
            .value(byColumn)
            .key("view")
            .value(view)
            .key("log_x")
            .value(logX ? "true" : "false")
            .key("model_order")
            .value(modelOrder)
            .key("concept_values")
            .value(conceptValues == "difference" ? "difference" : "raw")
            .key("width_mm")
            .value(widthMm)
            .key("height_mm")
            .value(heightMm)
            .key("out")
            .value(figurePath)
            .endObject();
        if (auto drawn = renderFigure(request.text(), figurePath); !drawn) return fail(err, drawn.error());
        text << "figure: " << figurePath << "\n";
    }
    out << (jsonOutput ? json.text() + "\n" : text.str());
    return 0;
}

} // namespace alignscope::cli
