// alignscope-cli probe / transform.
#include "arguments.h"
#include "commands.h"
#include "alignscope/json_writer.h"

#include "alignscope/datasets.h"
#include "alignscope/file_io.h"
#include "alignscope/npy.h"
#include "alignscope/probe.h"
#include "alignscope/version.h"

#include <iomanip>
#include <sstream>

namespace alignscope::cli {

namespace {

const char* const kProbeUsage = R"(usage: alignscope-cli probe --objects FILE --triplets FILE --features FILE [--feature-rows FILE|canonical|sorted]
    [--folds 3] [--lambda L | --lambda-grid L1,L2,...] [--bias] [--optimizer lbfgs|adam]
    [--epochs N] [--batch-size 256] [--lr 1e-3] [--seed 42] [--device auto|cpu|cuda]
    [--save-transform FILE.npz] [--json]
)";

Result<std::vector<double>> parseList(const std::string& text)
{
    std::vector<double> values;
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, ',')) {
        char* end = nullptr;
        const double value = std::strtod(item.c_str(), &end);
        if (item.empty() || *end != '\0' || !(value >= 0)) return makeError("", "", "not a non-negative number: '" + item + "'");
        values.push_back(value);
    }
    if (values.empty()) return makeError("", "", "empty λ list");
    return values;
}

} // namespace

int runProbe(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    auto parsed = Arguments::parse(args,
                                   {"objects", "triplets", "features", "feature-rows", "folds", "lambda", "lambda-grid", "optimizer",
                                    "epochs", "batch-size", "lr", "seed", "device", "save-transform", "threads"},
                                   {"bias", "json", "help"});
    if (auto exit = usageExit(parsed, "probe", kProbeUsage, out, err,
                              [](const Arguments& a) { return a.has("objects") && a.has("triplets") && a.has("features"); }))
        return *exit;
    const Arguments& a = *parsed;
    configureComputeThreads(std::atoi(a.value("threads", "0").c_str()));
    auto objects = loadObjects(a.value("objects"));
    if (!objects) return fail(err, objects.error());
    auto triplets = loadTriplets(a.value("triplets"), objects->size());
    if (!triplets) return fail(err, triplets.error());
    std::optional<RowIdentity> identity;
    if (a.has("feature-rows")) {
        auto parsedIdentity = rowIdentityFromArgument(a.value("feature-rows"));
        if (!parsedIdentity) return fail(err, parsedIdentity.error());
        identity = std::move(parsedIdentity).value();
    }
    auto features = loadFeatures(a.value("features"), *objects, identity);
    if (!features) return fail(err, features.error());

    ProbeOptions options;
    options.folds = std::atoi(a.value("folds", "3").c_str());
    if (a.has("lambda") && a.has("lambda-grid")) return fail(err, makeError("", "", "give --lambda or --lambda-grid, not both"));
    if (a.has("lambda") || a.has("lambda-grid")) {
        auto lambdas = parseList(a.has("lambda") ? a.value("lambda") : a.value("lambda-grid"));
        if (!lambdas) return fail(err, lambdas.error());
        options.lambdas = std::move(lambdas).value();
    }
    options.bias = a.has("bias");
    const std::string optimizer = a.value("optimizer", "lbfgs");
    if (optimizer != "lbfgs" && optimizer != "adam") return fail(err, makeError("", "", "--optimizer must be lbfgs or adam"));
    options.optimizer = optimizer == "adam" ? ProbeOptimizer::Adam : ProbeOptimizer::Lbfgs;
    options.epochs = std::atoi(a.value("epochs", "100").c_str());
    options.batchSize = std::atoi(a.value("batch-size", "256").c_str());
    options.learningRate = std::atof(a.value("lr", "1e-3").c_str());
    options.seed = std::strtoull(a.value("seed", "42").c_str(), nullptr, 10);
    auto device = parseComputeDevice(a.value("device", "auto"));
    if (!device) return fail(err, device.error());
    options.device = *device;
    if (options.folds < 2 || options.epochs < 1 || options.batchSize < 1 || !(options.learningRate > 0))
        return fail(err, makeError("", "", "--folds must be >= 2; --epochs, --batch-size and --lr positive"));

    auto result = runProbe(*features, *triplets, options);
    if (!result) return fail(err, result.error());
    if (a.has("save-transform")) {
        auto status = saveTransform(a.value("save-transform"), result->transform);
        if (!status) return fail(err, status.error());
    }
    if (!a.has("json")) {
        out << std::fixed << std::setprecision(4) << "zero-shot accuracy " << result->zeroShotAccuracy << ", probed (cross-validated) "
            << result->cvAccuracy << " ± " << result->cvAccuracySd << ", λ = " << result->lambda << ", " << std::setprecision(1)
            << result->seconds << " s on " << result->device << "\n";
        return 0;
    }
    JsonWriter json;
    json.beginObject()
        .key("zero_shot_accuracy").value(result->zeroShotAccuracy)
        .key("cv_accuracy").value(result->cvAccuracy)
        .key("cv_accuracy_sd").value(result->cvAccuracySd)
        .key("lambda").value(result->lambda)
        .key("folds").beginArray();
    for (const auto& fold : result->folds)
        json.beginObject()
            .key("fold").value(fold.fold)
            .key("n_train_triplets").value(fold.trainTriplets)
            .key("n_test_triplets").value(fold.testTriplets)
            .key("zero_shot").value(fold.zeroShot)
            .key("probed").value(fold.probed)
            .key("test_loss").value(fold.testLoss)
            .endObject();
    json.endArray().key("seconds").value(result->seconds).key("device").value(result->device).endObject();
    out << json.text() << "\n";
    return 0;
}

int runTransform(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    auto parsed = Arguments::parse(args, {"transform", "features", "out"}, {"help"});
    const char* usage = "usage: alignscope-cli transform --transform FILE.npz --features FILE --out FILE.npy\n";
    if (auto exit = usageExit(parsed, "transform", usage, out, err,
                              [](const Arguments& a) { return a.has("transform") && a.has("features") && a.has("out"); }))
        return *exit;
    auto transform = loadTransform(parsed->value("transform"));
    if (!transform) return fail(err, transform.error());
    const auto [path, key] = splitKeySpec(parsed->value("features"));
    auto loaded = loadMatrix(path, key);
    if (!loaded) return fail(err, loaded.error());
    if (loaded->array.shape.size() != 2) return fail(err, makeError(path, "", "expected a 2-D feature matrix"));
    FeatureMatrix features;
    features.rows = loaded->array.rows();
    features.cols = loaded->array.cols();
    features.values = loaded->array.toFloat32();
    features.origin = path;
    auto transformed = applyTransform(*transform, features);
    if (!transformed) return fail(err, transformed.error());
    const std::string target = parsed->value("out");
    auto status = writeNpy(target, makeFloat32Array({transformed->rows, transformed->cols}, transformed->values));
    if (!status) return fail(err, status.error());
    if (!loaded->rowIds.empty()) { // keep the rows named
        std::string ids;
        for (const auto& id : loaded->rowIds) ids += id + "\n";
        if (auto written = writeFileAtomically(rowsSidecarPath(target), ids); !written) return fail(err, written.error());
    }
    out << "wrote " << transformed->rows << "×" << transformed->cols << " transformed features to " << target << "\n";
    return 0;
}

} // namespace alignscope::cli
