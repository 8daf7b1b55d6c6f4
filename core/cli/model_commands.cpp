// alignscope-cli extract / inspect.
#include "arguments.h"
#include "commands.h"

#include "alignscope/feature_cache.h"
#include "alignscope/json_writer.h"
#include "alignscope/version.h"

#include <iomanip>
#include <sstream>

namespace alignscope::cli {

namespace {

const char* const kExtractUsage = R"(usage: alignscope-cli extract --model FILE.pt --images DIR|LIST --out FILE.npy [--method NAME]
    [--output INDEX|KEY|all] [--pool avg|flatten] [--preset imagenet|clip|none] [--resize N] [--crop N]
    [--interpolation bilinear|bicubic] [--mean a,b,c] [--std a,b,c] [--batch-size N] [--device auto|cpu|cuda]
    [--half] [--skip-broken] [--cache DIR | --no-cache] [--threads N] [--json]
writes FILE.npy (n × p float32) and FILE.rows.txt (image file stems, same order); with --output all,
one FILE-stem.<output>.npy per tensor the model returns.
)";

Result<std::array<float, 3>> parseTriple(const std::string& text, const std::string& option)
{
    std::array<float, 3> values{};
    std::stringstream stream(text);
    std::string item;
    int count = 0;
    while (std::getline(stream, item, ',')) {
        char* end = nullptr;
        const double value = std::strtod(item.c_str(), &end);
        if (item.empty() || *end != '\0' || count >= 3) return makeError("", "", option + " needs three comma-separated numbers");
        values[size_t(count++)] = float(value);
    }
    if (count != 3) return makeError("", "", option + " needs three comma-separated numbers");
    return values;
}

Result<int> parseSize(const std::string& text, const std::string& option, int minimum)
{
    char* end = nullptr;
    const long value = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || value < minimum || value > 16384)
        return makeError("", "", option + " must be an integer from " + std::to_string(minimum) + " to 16384");
    return int(value);
}

Result<ExtractionRequest> requestFromArguments(const Arguments& a)
{
    ExtractionRequest request;
    request.modelPath = a.value("model");
    auto images = listImages(a.value("images"));
    if (!images) return images.error();
    request.imagePaths = std::move(images).value();
    request.output.method = a.value("method", "forward");
    request.output.output = a.value("output");
    auto pooling = parsePooling(a.value("pool", "avg"));
    if (!pooling) return pooling.error();
    request.output.pooling = *pooling;
    auto preset = preprocessingPreset(a.value("preset", "imagenet"));
    if (!preset) return preset.error();
    request.preprocessing = *preset;
    if (a.has("resize")) {
        auto size = parseSize(a.value("resize"), "--resize", 0);
        if (!size) return size.error();
        request.preprocessing.resize = *size;
    }
    if (a.has("crop")) {
        auto size = parseSize(a.value("crop"), "--crop", 0);
        if (!size) return size.error();
        request.preprocessing.crop = *size;
    }
    if (a.has("interpolation")) {
        auto filter = parseResizeFilter(a.value("interpolation"));
        if (!filter) return filter.error();
        request.preprocessing.filter = *filter;
    }
    for (const char* option : {"mean", "std"}) {
        if (!a.has(option)) continue;
        auto triple = parseTriple(a.value(option), std::string("--") + option);
        if (!triple) return triple.error();
        (std::string(option) == "mean" ? request.preprocessing.mean : request.preprocessing.std) = *triple;
    }
    for (float s : request.preprocessing.std)
        if (!(s > 0.f)) return makeError("", "", "--std values must be positive");
    auto batch = parseSize(a.value("batch-size", "32"), "--batch-size", 1);
    if (!batch) return batch.error();
    request.batchSize = std::min(*batch, 4096);
    auto device = parseComputeDevice(a.value("device", "auto"));
    if (!device) return device.error();
    request.device = *device;
    request.half = a.has("half");
    request.onBrokenImage = a.has("skip-broken") ? BrokenImagePolicy::Skip : BrokenImagePolicy::Fail;
    return request;
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

} // namespace

int runExtract(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    auto parsed = Arguments::parse(args,
                                   {"model", "images", "out", "method", "output", "pool", "preset", "resize", "crop", "interpolation",
                                    "mean", "std", "batch-size", "device", "cache", "threads"},
                                   {"half", "json", "help", "skip-broken", "no-cache", "quiet"});
    if (auto exit = usageExit(parsed, "extract", kExtractUsage, out, err,
                              [](const Arguments& a) { return a.has("model") && a.has("images") && a.has("out"); }))
        return *exit;
    const Arguments& a = *parsed;
    configureComputeThreads(std::atoi(a.value("threads", "0").c_str()));
    auto request = requestFromArguments(a);
    if (!request) return fail(err, request.error());
    const std::string cacheFolder = a.has("no-cache") ? std::string() : a.value("cache", defaultFeatureCacheFolder());
    TaskContext context;
    context.progress = stderrProgress(err, a.has("quiet") || a.has("json"));
    std::string cacheWarning;
    auto result = extractFeaturesCached(*request, cacheFolder, context, &cacheWarning);
    if (!result) return fail(err, result.error());
    if (!cacheWarning.empty()) err << "warning: " << cacheWarning << "\n";
    for (const SkippedImage& skipped : result->skipped) err << "skipped " << skipped.path << ": " << skipped.reason << "\n";
    auto written = writeExtractedFeatures(a.value("out"), *result);
    if (!written) return fail(err, written.error());
    if (!a.has("json")) {
        for (size_t i = 0; i < written->size(); ++i)
            out << "wrote " << result->outputs[i].rows << "×" << result->outputs[i].cols << " features"
                << (result->outputs[i].selector.empty() ? "" : " (output " + result->outputs[i].selector + ")") << " to " << (*written)[i]
                << "\n";
        out << std::fixed << std::setprecision(2) << (result->fromCache ? "from the cache" : "extracted in " + std::to_string(result->seconds) + " s")
            << " on " << result->device << "; " << result->skipped.size() << " images skipped\n";
        return 0;
    }
    JsonWriter json;
    json.beginObject().key("rows").value(result->rowIds.size()).key("outputs").beginArray();
    for (size_t i = 0; i < written->size(); ++i)
        json.beginObject()
            .key("selector").value(result->outputs[i].selector)
            .key("cols").value(result->outputs[i].cols)
            .key("file").value((*written)[i])
            .endObject();
    json.endArray().key("skipped").beginArray();
    for (const SkippedImage& skipped : result->skipped) json.beginObject().key("path").value(skipped.path).key("reason").value(skipped.reason).endObject();
    json.endArray()
        .key("from_cache").value(result->fromCache)
        .key("device").value(result->device)
        .key("seconds").value(result->seconds)
        .endObject();
    out << json.text() << "\n";
    return 0;
}

int runInspect(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    auto parsed = Arguments::parse(args, {"model", "method", "probe-size"}, {"json", "help"});
    const char* usage = "usage: alignscope-cli inspect --model FILE.pt [--method NAME] [--probe-size N (0: no probe forward)] [--json]\n";
    if (auto exit = usageExit(parsed, "inspect", usage, out, err, [](const Arguments& a) { return a.has("model"); })) return *exit;
    configureComputeThreads(0);
    auto info = inspectModel(parsed->value("model"), parsed->value("method", "forward"), std::atoi(parsed->value("probe-size", "224").c_str()));
    if (!info) return fail(err, info.error());
    auto shapeText = [](const std::vector<std::int64_t>& shape) {
        std::string text = "[";
        for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
        return text + "]";
    };
    if (!parsed->has("json")) {
        out << info->path << "\n  sha256 " << info->sha256 << "\n  " << info->parameterCount << " parameters, " << info->bufferCount
            << " buffer values, " << info->fileBytes << " bytes\n  methods:\n";
        for (const ModelMethod& method : info->methods) out << "    " << method.schema << "\n";
        out << "  submodules:\n";
        for (const std::string& child : info->submodules) out << "    " << child << "\n";
        if (info->probeSize > 0) {
            out << "  outputs for a 1×3×" << info->probeSize << "×" << info->probeSize << " input:\n";
            if (!info->probeError.empty()) out << "    (forward failed: " << info->probeError << ")\n";
            for (const ModelOutput& output : info->probeOutputs)
                out << "    " << (output.selector.empty() ? "(tensor)" : output.selector) << " " << shapeText(output.shape) << "\n";
        }
        return 0;
    }
    JsonWriter json;
    json.beginObject()
        .key("path").value(info->path)
        .key("sha256").value(info->sha256)
        .key("file_bytes").value(info->fileBytes)
        .key("parameters").value(info->parameterCount)
        .key("buffer_values").value(info->bufferCount)
        .key("methods").beginArray();
    for (const ModelMethod& method : info->methods) json.beginObject().key("name").value(method.name).key("schema").value(method.schema).endObject();
    json.endArray().key("submodules").stringArray(info->submodules).key("probe_size").value(info->probeSize).key("outputs").beginArray();
    for (const ModelOutput& output : info->probeOutputs) {
        json.beginObject().key("selector").value(output.selector).key("shape").beginArray();
        for (std::int64_t d : output.shape) json.value(d);
        json.endArray().endObject();
    }
    json.endArray();
    if (!info->probeError.empty()) json.key("probe_error").value(info->probeError);
    json.endObject();
    out << json.text() << "\n";
    return 0;
}

} // namespace alignscope::cli
