#pragma once
// Runs AlignScope's model exporter (models_export.py) in a Python child process for `models list/export` and
// the batch's models named by source; the exported file reaches its target only through the core's atomic
// write path (installExportedModel).

#include "alignscope/exported_model.h"
#include "alignscope/json_reader.h"
#include "alignscope/json_writer.h"
#include "alignscope/result.h"

#include <functional>
#include <string>
#include <vector>

namespace alignscope::cli {

// A step's progress: fraction in [0, 1] and what runs ("downloading ResNet18_Weights.IMAGENET1K_V1").
using ProgressCallback = std::function<void(double fraction, const std::string& stage)>;

// What the exporter is asked to write: a model named "torchvision:NAME" or "python:FILE.py[:FUNCTION]".
struct ModelExportRequest
{
    std::string spec;
    std::string weights = "DEFAULT"; // DEFAULT | ENUM_NAME | FILE.pth | none
    std::vector<std::string> layers;
    std::string out;
    long long seed = -1;       // for --weights none: the initialisation's seed (-1: torch's default)
    ProgressCallback progress; // the weights' download, when torch's cache lacks them
};

// The catalogue of the installed torchvision as the exporter prints it ({"torchvision_version", "models"}).
Result<JsonValue> listExportableModels(const std::string& source);

// Exports into a private temporary folder, then checks and installs the file at request.out.
Result<ExportedModelManifest> exportModel(const ModelExportRequest& request);

// "torchvision:NAME" or "python:FILE.py[:FUNCTION]" (a model by name rather than a file).
bool isModelName(const std::string& model);

// The exported file for `request` (its `out` ignored) in `cacheFolder`/models, exported there first when it
// is not: keyed by source, name, weights (a weights file or python: file by its SHA-256; DEFAULT and enum
// names by the enum, file and torchvision version they resolve to), seed and layers, so a batch exports each
// model once. `exported` tells whether this call exported it.
Result<std::string> cachedModelExport(const ModelExportRequest& request, const std::string& cacheFolder,
                                      bool* exported = nullptr);

// Writes a parsed JSON value into a writer (to embed a model's manifest in a command's JSON).
void writeJsonValue(JsonWriter& json, const JsonValue& value);

} // namespace alignscope::cli
