// alignscope-cli probe / transform.
#include "alignscope/json_writer.h"
#include "alignscope/number_text.h"
#include "arguments.h"
#include "commands.h"

#include "alignscope/datasets.h"
#include "alignscope/file_io.h"
#include "alignscope/load.h"
#include "alignscope/metric_key.h"
#include "alignscope/npy.h"
#include "alignscope/probe.h"
#include "alignscope/result_json.h"
#include "alignscope/version.h"

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <sstream>

namespace alignscope::cli {

namespace {

Result<std::vector<double>> parseList(const std::string& text)
{
    std::vector<double> values;
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, ',')) {
        const std::optional<double> value = parseFiniteNumber(item);
        if (!value || !(*value >= 0))
            return makeError("", "", "--lambda-grid: not a finite non-negative number: '" + item + "'");
        values.push_back(*value);
    }
    if (values.empty()) return makeError("", "", "empty λ list");
    return values;
}

} // namespace

int runProbe(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    CLI::App app = makeApp(
        "probe", "Learn a human-aligned linear transform from triplets (cross-validated over objects).");
    std::string objectsPath, tripletsPath, featuresPath, featureRows, lambdaGrid,
        optimizer = "lbfgs", deviceName = "auto", transformPath, modelName;
    double lambda = 0.1;
    int threads = 0;
    bool json = false;
    ProbeOptions options;
    app.add_option("--objects", objectsPath, "object table")->required();
    app.add_option("--triplets", tripletsPath, "training triplets")->required();
    app.add_option("--features", featuresPath, "model features")->required();
    app.add_option("--feature-rows", featureRows, "row IDs of the features: FILE, canonical or sorted");
    app.add_option("--name", modelName, "the model's name in the result (default: the file's stem)");
    addInteger(app, "--folds", options.folds, 2, 100, "cross-validation folds over disjoint object sets");
    auto* single = addReal(app, "--lambda", lambda, 0, 1e12, "Frobenius penalty");
    auto* grid = app.add_option("--lambda-grid", lambdaGrid,
                                "penalties to choose from by cross-validation: L1,L2,...");
    single->excludes(grid);
    app.add_flag("--bias", options.bias, "learn a bias too");
    app.add_option("--optimizer", optimizer, "optimiser")
        ->capture_default_str()
        ->check(CLI::IsMember({"lbfgs", "adam"}));
    addInteger(app, "--epochs", options.epochs, 1, 1000000, "epochs");
    addInteger(app, "--batch-size", options.batchSize, 1, 1 << 24, "triplets per batch (adam)");
    addReal(app, "--lr", options.learningRate, 0, 1e3, "learning rate", true);
    addSeed(app, options.seed);
    app.add_option("--device", deviceName, "compute device (auto: CUDA when present)")
        ->capture_default_str()
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    app.add_option("--save-transform", transformPath, "write the learned transform (.npz)");
    app.add_flag("--json", json, "print JSON");
    addThreads(app, threads);
    if (auto exit = parseArguments(app, args, out, err)) return *exit;
    configureComputeThreads(threads);
    auto objects = loadObjects(objectsPath);
    if (!objects) return fail(err, objects.error());
    auto triplets = loadTriplets(tripletsPath, objects->size());
    if (!triplets) return fail(err, triplets.error());
    std::optional<RowIdentity> identity;
    if (!featureRows.empty()) {
        auto parsedIdentity = rowIdentityFromArgument(featureRows);
        if (!parsedIdentity) return fail(err, parsedIdentity.error());
        identity = std::move(parsedIdentity).value();
    }
    auto features = loadFeatures(featuresPath, *objects, identity);
    if (!features) return fail(err, features.error());
    if (single->count()) options.lambdas = {lambda};
    if (!lambdaGrid.empty()) {
        auto lambdas = parseList(lambdaGrid);
        if (!lambdas) return fail(err, lambdas.error());
        options.lambdas = std::move(lambdas).value();
    }
    options.optimizer = optimizer == "adam" ? ProbeOptimizer::Adam : ProbeOptimizer::Lbfgs;
    options.device = *parseComputeDevice(deviceName);

    auto result = runProbe(*features, *triplets, options);
    if (!result) return fail(err, result.error());
    if (!transformPath.empty()) {
        auto status = saveTransform(transformPath, result->transform);
        if (!status) return fail(err, status.error());
    }
    if (!json) {
        out << std::fixed << std::setprecision(4) << "zero-shot accuracy " << result->zeroShotAccuracy
            << ", probed (cross-validated) " << result->cvAccuracy << " ± " << result->cvAccuracySd
            << ", λ = " << result->lambda << ", " << std::setprecision(1) << result->seconds << " s on "
            << result->device << "\n";
        return 0;
    }
    JsonWriter writer;
    writer.beginObject();
    // The model's name, as compare and the figures show it: chosen, else the file's stem.
    writer.key("name").value(modelName.empty()
                                 ? std::filesystem::path(splitKeySpec(featuresPath).first).stem().string()
                                 : modelName);
    // What makes probe results comparable (the Transfer view refuses to pool results that differ): the
    // triplets as used, and the choice rule, the dot product of standardized features.
    writeResultFingerprint(writer, tripletsFingerprint(*objects, *triplets), objects->size(),
                           triplets->size(), "dot (standardized features)");
    writer.key(metricKindName(MetricKind::ZeroShotAccuracy))
        .value(result->zeroShotAccuracy)
        .key(metricKindName(MetricKind::CvAccuracy))
        .value(result->cvAccuracy)
        .key(metricKindName(MetricKind::CvAccuracySd))
        .value(result->cvAccuracySd)
        .key(metricKindName(MetricKind::ProbeLambda))
        .value(result->lambda)
        .key("folds")
        .beginArray();
    for (const auto& fold : result->folds)
        writer.beginObject()
            .key("fold")
            .value(fold.fold)
            .key("n_train_triplets")
            .value(fold.trainTriplets)
            .key("n_test_triplets")
            .value(fold.testTriplets)
            .key("zero_shot")
            .value(fold.zeroShot)
            .key("probed")
            .value(fold.probed)
            .key("test_loss")
            .value(fold.testLoss)
            .endObject();
    writer.endArray().key("seconds").value(result->seconds).key("device").value(result->device).endObject();
    out << writer.text() << "\n";
    return 0;
}

int runTransform(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    CLI::App app = makeApp("transform", "Apply a saved transform to features.");
    std::string transformPath, featuresSpec, target;
    app.add_option("--transform", transformPath, "transform (.npz from probe --save-transform)")->required();
    app.add_option("--features", featuresSpec, "features to transform")->required();
    app.add_option("--out", target, "output .npy (rows keep their IDs in a .rows.txt sidecar)")->required();
    if (auto exit = parseArguments(app, args, out, err)) return *exit;
    auto transform = loadTransform(transformPath);
    if (!transform) return fail(err, transform.error());
    auto input = load({featuresSpec, InputRole::Features, std::nullopt, {}});
    if (!input) return fail(err, input.error());
    const LoadedMatrix* loaded = &input->matrix;
    FeatureMatrix features;
    features.rows = loaded->array.rows();
    features.cols = loaded->array.cols();
    features.values = loaded->array.toFeatureFloat32();
    features.origin = input->path;
    auto transformed = applyTransform(*transform, features);
    if (!transformed) return fail(err, transformed.error());
    auto status =
        writeNpy(target, makeFloat32Array({transformed->rows, transformed->cols}, transformed->values));
    if (!status) return fail(err, status.error());
    if (!loaded->rowIds.empty()) { // keep the rows named
        std::string ids;
        for (const auto& id : loaded->rowIds)
            ids += id + "\n";
        if (auto written = writeFileAtomically(rowsSidecarPath(target), ids); !written)
            return fail(err, written.error());
    }
    out << "wrote " << transformed->rows << "×" << transformed->cols << " transformed features to " << target
        << "\n";
    return 0;
}

} // namespace alignscope::cli
