// alignscope-cli models list / export: models by name, exported with their own preprocessing and metadata.
#include "arguments.h"
#include "commands.h"
#include "model_exporter.h"

#include "alignscope/report_tables.h"

#include <iomanip>
#include <memory>
#include <sstream>

namespace alignscope::cli {

namespace {

const char* const kModelsUsage = R"(usage: alignscope-cli models list [--source torchvision] [--json]
       alignscope-cli models export torchvision:NAME [--weights DEFAULT|ENUM_NAME|FILE.pth|none]
                                    [--layers NODE,...] --out MODEL.pt [--json]
       alignscope-cli models export python:FILE.py[:FUNCTION] --out MODEL.pt [--json]
)";

std::string cellText(const JsonValue* value, int precision)
{
    if (!value || !value->isNumber()) return "-";
    return fixedText(value->number, precision);
}

int runList(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    CLI::App app =
        makeApp("models list", "Every classification architecture the installed torchvision offers, with its "
                               "weights and their metadata.");
    std::string source = "torchvision";
    bool json = false;
    app.add_option("--source", source, "catalogue")
        ->capture_default_str()
        ->check(CLI::IsMember({"torchvision"}));
    app.add_flag("--json", json, "print JSON");
    if (auto exit = parseArguments(app, args, out, err)) return *exit;
    auto catalogue = listExportableModels(source);
    if (!catalogue) return fail(err, catalogue.error());
    if (json) {
        JsonWriter writer;
        writeJsonValue(writer, *catalogue);
        out << writer.text() << "\n";
        return 0;
    }
    const JsonValue* models = catalogue->find("models");
    if (!models || !models->isArray())
        return fail(err, makeError("", "", "the exporter's catalogue has no models"));
    out << std::left << std::setw(24) << "name" << std::setw(14) << "family" << std::setw(10) << "params (M)"
        << std::setw(8) << " top-1"
        << "  weights (training data, objective)\n";
    for (const JsonValue& model : models->array) {
        const JsonValue* variants = model.find("weights");
        const size_t count = variants && variants->isArray() ? variants->array.size() : 0;
        for (size_t i = 0; i < std::max<size_t>(count, 1); ++i) {
            const JsonValue* weights = count ? &variants->array[i] : nullptr;
            const JsonValue* parameters = weights ? weights->find("parameters") : nullptr;
            out << std::left << std::setw(24) << (i ? "" : model.stringOr("name")) << std::setw(14)
                << (i ? "" : model.stringOr("family")) << std::right << std::setw(10)
                << (parameters && parameters->isNumber() ? fixedText(parameters->number / 1e6, 1) : "-")
                << std::setw(8) << cellText(weights ? weights->find("imagenet1k_top1") : nullptr, 2) << "  "
                << (weights ? weights->stringOr("enum") + " (" + weights->stringOr("training_data") + ", " +
                                  weights->stringOr("objective") + ")"
                            : std::string("(no weights)"))
                << std::left << "\n";
        }
    }
    out << models->array.size() << " models (torchvision " << catalogue->stringOr("torchvision_version")
        << ")\n";
    return 0;
}

std::string shapeText(const std::vector<std::int64_t>& shape)
{
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

int runExport(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    CLI::App app =
        makeApp("models export",
                "One TorchScript file from a model's name, carrying its preprocessing, named outputs "
                "(penultimate, logits, --layers) and metadata for extract, inspect and compare.");
    ModelExportRequest request;
    std::string layers;
    bool json = false;
    app.add_option("model", request.spec, "torchvision:NAME or python:FILE.py[:FUNCTION]")->required();
    app.add_option(
           "--weights", request.weights,
           "torchvision weights: DEFAULT, an enum name (IMAGENET1K_V1), a state-dict FILE.pth or none")
        ->capture_default_str();
    app.add_option("--layers", layers,
                   "extra outputs: submodule or torchvision feature_extraction node names, comma-separated");
    app.add_option("--out", request.out, "TorchScript file to write")->required();
    app.add_option("--seed", request.seed, "seed of the initialisation with --weights none")
        ->check(CLI::Range(0LL, 4294967295LL));
    app.add_flag("--json", json, "print the model's manifest as JSON");
    if (auto exit = parseArguments(app, args, out, err)) return *exit;
    if (request.spec.rfind("python:", 0) == 0 && !app.count("--weights")) request.weights = "none";
    std::stringstream stream(layers);
    for (std::string layer; std::getline(stream, layer, ',');)
        if (!layer.empty()) request.layers.push_back(layer);
    auto lastDecile = std::make_shared<int>(-1);
    request.progress = [&err, lastDecile](double fraction, const std::string& stage) {
        const int decile = int(fraction * 10.0); // one line per 10%: readable on a terminal and in logs
        if (decile == *lastDecile) return;
        *lastDecile = decile;
        err << stage << ": " << decile * 10 << "%" << std::endl;
    };
    auto manifest = exportModel(request);
    if (!manifest) return fail(err, manifest.error());
    if (json) {
        JsonWriter writer;
        writer.beginObject().key("file").value(request.out).key("manifest");
        writeJsonValue(writer, manifest->document);
        writer.endObject();
        out << writer.text() << "\n";
        return 0;
    }
    const Preprocessing& p = manifest->preprocessing;
    out << "wrote " << request.out << ": " << manifest->spec << " (weights " << manifest->weights << ")\n"
        << "  preprocessing: resize " << p.resize << ", crop " << p.crop << ", " << resizeFilterName(p.filter)
        << " (from " << manifest->preprocessingFrom << ")\n  outputs:";
    for (const ExportedOutput& output : manifest->outputs)
        out << " " << output.name << " " << shapeText(output.shape)
            << (output.reduction == "none" ? "" : " (" + output.reduction + ")");
    out << "\n";
    return 0;
}

} // namespace

int runModels(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        (args.empty() ? err : out) << kModelsUsage;
        return args.empty() ? 2 : 0;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "list") return runList(rest, out, err);
    if (args[0] == "export") return runExport(rest, out, err);
    err << "alignscope-cli models: unknown subcommand '" << args[0] << "'\n" << kModelsUsage;
    return 2;
}

} // namespace alignscope::cli
