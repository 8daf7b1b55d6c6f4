// alignscope-cli extract / inspect.
#include "arguments.h"
#include "commands.h"
#include "model_exporter.h"

#include "alignscope/exported_model.h"
#include "alignscope/feature_cache.h"
#include "alignscope/json_writer.h"
#include "alignscope/model_metadata.h"
#include "alignscope/number_text.h"
#include "alignscope/version.h"

#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <sstream>

namespace alignscope::cli {

namespace {

Result<std::array<float, 3>> parseTriple(const std::string& text, const std::string& option)
{
    std::array<float, 3> values{};
    std::stringstream stream(text);
    std::string item;
    int count = 0;
    while (std::getline(stream, item, ',')) {
        const std::optional<double> value = parseFiniteNumber(item);
        if (item.empty() || count >= 3)
            return makeError("", "", option + " needs three comma-separated numbers");
        if (!value) return makeError("", "", option + ": '" + item + "' is not a finite number");
        values[size_t(count++)] = float(*value);
    }
    if (count != 3) return makeError("", "", option + " needs three comma-separated numbers");
    return values;
}

struct ExtractArguments
{
    std::string model, images, out, method = "forward", output, pool = "avg", preset = "imagenet",
                                    interpolation, mean, std;
    std::string device = "auto", cache, weights = "DEFAULT", layers;
    long long seed = -1;
    int resize = -1, crop = -1, batchSize = 32, threads = 0;
    double timeout = 600;
    bool half = false, json = false, skipBroken = false, noCache = false, quiet = false, verifyCache = false,
         progressJson = false, presetGiven = false;
};

// An exported model's file says how its images are prepared and which outputs it has; a --preset that says
// otherwise is a mistake, not a choice (single values may still be overridden with --resize, --crop, ...).
Status applyModelManifest(const ExportedModelManifest& manifest, const ExtractArguments& a,
                          ExtractionRequest& request)
{
    if (a.presetGiven) {
        auto preset = preprocessingPreset(a.preset);
        if (!preset) return preset.error();
        if (preset->describe() != manifest.preprocessing.describe())
            return makeError(a.model, "",
                             "--preset " + a.preset + " (" + preset->describe() +
                                 ") disagrees with the model file's preprocessing (" +
                                 manifest.preprocessing.describe() + ", from " + manifest.preprocessingFrom +
                                 "); leave --preset out");
    }
    request.preprocessing = manifest.preprocessing;
    if (a.output.empty()) request.output.output = manifest.outputs.front().name;
    return okStatus();
}

Result<ExtractionRequest> requestFromArguments(const ExtractArguments& a)
{
    ExtractionRequest request;
    request.modelPath = a.model;
    auto images = listImages(a.images);
    if (!images) return images.error();
    request.imagePaths = std::move(images).value();
    request.output.method = a.method;
    request.output.output = a.output;
    auto pooling = parsePooling(a.pool);
    if (!pooling) return pooling.error();
    request.output.pooling = *pooling;
    auto preset = preprocessingPreset(a.preset);
    if (!preset) return preset.error();
    request.preprocessing = *preset;
    auto manifest = readExportedModelManifest(a.model);
    if (!manifest) return manifest.error();
    if (manifest->present)
        if (auto applied = applyModelManifest(*manifest, a, request); !applied) return applied.error();
    if (a.resize >= 0) request.preprocessing.resize = a.resize;
    if (a.crop >= 0) request.preprocessing.crop = a.crop;
    if (!a.interpolation.empty()) {
        auto filter = parseResizeFilter(a.interpolation);
        if (!filter) return filter.error();
        request.preprocessing.filter = *filter;
    }
    for (const auto& [option, text] :
         {std::pair<std::string, std::string>{"--mean", a.mean}, {"--std", a.std}}) {
        if (text.empty()) continue;
        auto triple = parseTriple(text, option);
        if (!triple) return triple.error();
        (option == "--mean" ? request.preprocessing.mean : request.preprocessing.std) = *triple;
    }
    for (float s : request.preprocessing.std)
        if (!(s > 0.f)) return makeError("", "", "--std values must be positive");
    request.batchSize = a.batchSize;
    request.device = *parseComputeDevice(a.device);
    request.half = a.half;
    request.onBrokenImage = a.skipBroken ? BrokenImagePolicy::Skip : BrokenImagePolicy::Fail;
    return request;
}

// A model call past the limit cannot be interrupted: say so and end the process (exit code 124, as
// timeout(1)).
void limitModelCalls(double seconds, std::ostream& err)
{
    setModelCallTimeout(seconds, [&err](const std::string& message) {
        err << message << std::endl;
        std::_Exit(124);
    });
}

// Progress on stderr: one line per 10%, so logs of batch jobs stay readable.
ProgressSink stderrProgress(std::ostream& err, bool quiet)
{
    auto lastDecile = std::make_shared<int>(-1);
    return [&err, quiet, lastDecile](double fraction, const std::string& stage) {
        const int decile = int(fraction * 10.0);
        if (quiet || decile == *lastDecile) return;
        *lastDecile = decile;
        err << stage << ": " << decile * 10 << "%\n";
    };
}

// Progress for a parent process (the GUI runs models in a child): one JSON object per line on stderr,
// {"progress": fraction, "stage": text}, at most one per 0.5% or change of stage.
ProgressSink jsonProgress(std::ostream& err)
{
    struct Last
    {
        double fraction = -1;
        std::string stage;
    };
    auto last = std::make_shared<Last>();
    return [&err, last](double fraction, const std::string& stage) {
        if (stage == last->stage && fraction < last->fraction + 0.005 && fraction < 1) return;
        last->fraction = fraction;
        last->stage = stage;
        JsonWriter line;
        line.beginObject().key("progress").value(fraction).key("stage").value(stage).endObject();
        err << line.text() << std::endl; // flushed: the parent shows it now
    };
}

// A model by name becomes its exported file in the cache (exported now when it is not there yet).
Result<std::string> modelFileFor(const ExtractArguments& a, const std::string& cacheFolder, std::ostream& err)
{
    ModelExportRequest request;
    request.spec = a.model;
    request.weights = a.model.rfind("python:", 0) == 0 && a.weights == "DEFAULT" ? "none" : a.weights;
    request.seed = a.seed;
    request.progress = a.progressJson ? jsonProgress(err) : stderrProgress(err, a.quiet || a.json);
    std::stringstream stream(a.layers);
    for (std::string layer; std::getline(stream, layer, ',');)
        if (!layer.empty()) request.layers.push_back(layer);
    bool exported = false;
    auto file = cachedModelExport(request, cacheFolder, &exported);
    if (file && exported && !a.quiet && !a.json) err << "exported " << a.model << " to " << *file << "\n";
    return file;
}

} // namespace

int runExtract(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    CLI::App app = makeApp("extract", "Features of a TorchScript model for a folder or list of images.\n"
                                      "Writes FILE.npy (n × p float32) and FILE.rows.txt (image file stems, "
                                      "same order); with --output all,\n"
                                      "one FILE-stem.<output>.npy per tensor the model returns.");
    ExtractArguments a;
    app.add_option(
           "--model", a.model,
           "TorchScript model (.pt), or a model by name (torchvision:NAME, python:FILE.py[:FUNCTION]) "
           "exported once into the cache")
        ->required();
    app.add_option("--images", a.images, "folder of images, or a text file listing them")->required();
    app.add_option("--out", a.out, "output .npy")->required();
    app.add_option("--weights", a.weights, "a model by name: its weights (as models export --weights)")
        ->capture_default_str();
    app.add_option("--layers", a.layers, "a model by name: extra outputs (as models export --layers)");
    app.add_option("--seed", a.seed, "a model by name with --weights none: the initialisation's seed")
        ->check(CLI::Range(0LL, 4294967295LL));
    app.add_option("--method", a.method, "method to call")->capture_default_str();
    app.add_option("--output", a.output,
                   "which output: INDEX, KEY, or all (an exported model: its first, penultimate)");
    app.add_option("--pool", a.pool, "pooling of spatial or token outputs")
        ->capture_default_str()
        ->check(CLI::IsMember({"avg", "flatten"}));
    app.add_option("--preset", a.preset, "preprocessing preset (an exported model: its own preprocessing)")
        ->capture_default_str()
        ->check(CLI::IsMember({"imagenet", "clip", "none"}));
    addInteger(app, "--resize", a.resize, 0, 16384, "resize the shorter side to N (0: no resize)");
    addInteger(app, "--crop", a.crop, 0, 16384, "centre crop N×N (0: no crop)");
    app.add_option("--interpolation", a.interpolation, "resize filter")
        ->check(CLI::IsMember({"bilinear", "bicubic"}));
    app.add_option("--mean", a.mean, "normalisation mean a,b,c");
    app.add_option("--std", a.std, "normalisation standard deviation a,b,c");
    addInteger(app, "--batch-size", a.batchSize, 1, 4096, "images per forward pass");
    app.add_option("--device", a.device, "compute device (auto: CUDA when present)")
        ->capture_default_str()
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    app.add_flag("--half", a.half, "float16 on CUDA");
    app.add_flag("--skip-broken", a.skipBroken,
                 "skip images that cannot be decoded (listed) instead of failing");
    auto* cache = app.add_option("--cache", a.cache, "feature cache folder");
    auto* noCache = app.add_flag("--no-cache", a.noCache, "do not use the feature cache");
    noCache->excludes(cache);
    app.add_flag("--verify-cache", a.verifyCache,
                 "reuse cached features only if every image's content (SHA-256) is unchanged; the default "
                 "key trusts sizes and "
                 "modification times")
        ->excludes(noCache);
    addReal(app, "--timeout", a.timeout, 0, 1e7,
            "seconds one batch's forward pass may take before the run fails (0: no limit)");
    app.add_flag("--json", a.json, "print JSON");
    app.add_flag("--quiet", a.quiet, "no progress lines");
    app.add_flag(
        "--progress-json", a.progressJson,
        "progress as JSON lines on stderr ({\"progress\": 0.42, \"stage\": ...}), for a parent process");
    addThreads(app, a.threads);
    if (auto exit = parseArguments(app, args, out, err)) return *exit;
    a.presetGiven = app.count("--preset") > 0;
    configureComputeThreads(a.threads);
    limitModelCalls(a.timeout, err);
    const std::string cacheFolder = a.noCache         ? std::string()
                                    : a.cache.empty() ? defaultFeatureCacheFolder()
                                                      : a.cache;
    if (isModelName(a.model)) {
        // Exports are shared by every run (ALIGNSCOPE_CACHE_DIR), whatever feature cache this one uses.
        if (auto file = modelFileFor(a, defaultFeatureCacheFolder(), err))
            a.model = *file;
        else
            return fail(err, file.error());
    } else if (app.count("--weights") || app.count("--layers") || app.count("--seed")) {
        return fail(err, makeError(a.model, "",
                                   "--weights, --layers and --seed are for a model by name "
                                   "(torchvision:NAME, python:FILE.py)"));
    }
    auto request = requestFromArguments(a);
    if (!request) return fail(err, request.error());
    TaskContext context;
    context.progress = a.progressJson ? jsonProgress(err) : stderrProgress(err, a.quiet || a.json);
    if (a.progressJson)
        context.report(0, "loading the model"); // the parent knows it runs before a batch ends
    std::string cacheWarning;
    auto result = extractFeaturesCached(*request, cacheFolder, context, &cacheWarning, a.verifyCache);
    if (!result) return fail(err, result.error());
    if (!cacheWarning.empty()) err << "warning: " << cacheWarning << "\n";
    for (const SkippedImage& skipped : result->skipped)
        err << "skipped " << skipped.path << ": " << skipped.reason << "\n";
    auto written = writeExtractedFeatures(a.out, *result);
    if (!written) return fail(err, written.error());
    if (!a.json) {
        for (size_t i = 0; i < written->size(); ++i)
            out << "wrote " << result->outputs[i].rows << "×" << result->outputs[i].cols << " features"
                << (result->outputs[i].selector.empty() ? ""
                                                        : " (output " + result->outputs[i].selector + ")")
                << " to " << (*written)[i] << "\n";
        out << std::fixed << std::setprecision(2)
            << (result->fromCache ? "from the cache"
                                  : "extracted in " + std::to_string(result->seconds) + " s")
            << " on " << result->device << "; " << result->skipped.size() << " images skipped\n";
        return 0;
    }
    JsonWriter json;
    json.beginObject().key("rows").value(result->rowIds.size()).key("outputs").beginArray();
    for (size_t i = 0; i < written->size(); ++i)
        json.beginObject()
            .key("selector")
            .value(result->outputs[i].selector)
            .key("cols")
            .value(result->outputs[i].cols)
            .key("file")
            .value((*written)[i])
            .endObject();
    json.endArray().key("skipped").beginArray();
    for (const SkippedImage& skipped : result->skipped)
        json.beginObject().key("path").value(skipped.path).key("reason").value(skipped.reason).endObject();
    json.endArray()
        .key("from_cache")
        .value(result->fromCache)
        .key("device")
        .value(result->device)
        .key("seconds")
        .value(result->seconds)
        .key("model_sha256")
        .value(result->modelSha256)
        .key("cache_key")
        .value(result->cacheKey)
        .key("model_file") // a model by name: its exported file, whose manifest carries the metadata
        .value(a.model)
        .endObject();
    out << json.text() << "\n";
    return 0;
}

int runInspect(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    CLI::App app = makeApp("inspect", "Methods, submodules, parameters and outputs of a TorchScript model.");
    std::string model, method = "forward";
    int probeSize = 224;
    double timeout = 600;
    bool jsonOutput = false;
    app.add_option("--model", model, "TorchScript model (.pt)")->required();
    app.add_option("--method", method, "method whose outputs are probed")->capture_default_str();
    addInteger(app, "--probe-size", probeSize, 0, 4096,
               "side of the zero image of the probe forward (0: no probe forward)");
    addReal(app, "--timeout", timeout, 0, 1e7, "seconds the probe forward may take (0: no limit)");
    app.add_flag("--json", jsonOutput, "print JSON");
    if (auto exit = parseArguments(app, args, out, err)) return *exit;
    configureComputeThreads(0);
    limitModelCalls(timeout, err);
    auto manifest = readExportedModelManifest(model);
    if (!manifest) return fail(err, manifest.error());
    auto info = inspectModel(model, method, probeSize);
    if (!info) return fail(err, info.error());
    auto shapeText = [](const std::vector<std::int64_t>& shape) {
        std::string text = "[";
        for (size_t i = 0; i < shape.size(); ++i)
            text += (i ? ", " : "") + std::to_string(shape[i]);
        return text + "]";
    };
    if (!jsonOutput) {
        out << info->path << "\n  sha256 " << info->sha256 << "\n  " << info->parameterCount
            << " parameters, " << info->bufferCount << " buffer values, " << info->fileBytes
            << " bytes\n  methods:\n";
        for (const ModelMethod& method : info->methods)
            out << "    " << method.schema << "\n";
        out << "  submodules:\n";
        for (const std::string& child : info->submodules)
            out << "    " << child << "\n";
        if (manifest->present) {
            out << "  exported as " << manifest->spec << " (weights " << manifest->weights
                << ")\n  preprocessing: " << manifest->preprocessing.describe() << " (from "
                << manifest->preprocessingFrom << ")\n  named outputs:";
            for (const ExportedOutput& output : manifest->outputs)
                out << " " << output.name;
            out << "\n  metadata:";
            for (const auto& [key, value] : manifest->metadata.object)
                out << " " << key << "="
                    << (value.isString()   ? value.string
                        : value.isNumber() ? numberText(value.number)
                                           : std::string("null"));
            out << "\n";
        }
        if (info->probeSize > 0) {
            out << "  outputs for a 1×3×" << info->probeSize << "×" << info->probeSize << " input:\n";
            if (!info->probeError.empty()) out << "    (forward failed: " << info->probeError << ")\n";
            for (const ModelOutput& output : info->probeOutputs)
                out << "    " << (output.selector.empty() ? "(tensor)" : output.selector) << " "
                    << shapeText(output.shape) << "\n";
        }
        return 0;
    }
    JsonWriter json;
    json.beginObject()
        .key("path")
        .value(info->path)
        .key("sha256")
        .value(info->sha256)
        .key("file_bytes")
        .value(info->fileBytes)
        .key("parameters")
        .value(info->parameterCount)
        .key("buffer_values")
        .value(info->bufferCount)
        .key("methods")
        .beginArray();
    for (const ModelMethod& method : info->methods)
        json.beginObject().key("name").value(method.name).key("schema").value(method.schema).endObject();
    json.endArray()
        .key("submodules")
        .stringArray(info->submodules)
        .key("probe_size")
        .value(info->probeSize)
        .key("outputs")
        .beginArray();
    for (const ModelOutput& output : info->probeOutputs) {
        json.beginObject().key("selector").value(output.selector).key("shape").beginArray();
        for (std::int64_t d : output.shape)
            json.value(d);
        json.endArray().endObject();
    }
    json.endArray();
    if (!info->probeError.empty()) json.key("probe_error").value(info->probeError);
    // The exported model's manifest as written (preprocessing, outputs, metadata); null for other files.
    json.key("alignscope");
    if (manifest->present)
        writeJsonValue(json, manifest->document);
    else
        json.null();
    json.endObject();
    out << json.text() << "\n";
    return 0;
}

} // namespace alignscope::cli
