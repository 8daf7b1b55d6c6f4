#pragma once
// Models exported by name (alignscope-cli models export, alignscope.models.export): a TorchScript file that
// carries, as the extra file "alignscope.json", its preprocessing, its named outputs and its metadata. Read
// here without LibTorch (a TorchScript file is a zip archive), so commands know a model's settings before
// they load it.

#include "alignscope/image_preprocessing.h"
#include "alignscope/json_reader.h"
#include "alignscope/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace alignscope {

// One tensor the exported model returns under `name` in its result dict.
struct ExportedOutput
{
    std::string name;      // "penultimate", "logits", or a layer (a submodule or torch.fx node name)
    std::string node;      // where in the model it comes from
    std::string reduction; // "none", "class token", "token mean", "spatial (pooled by extract --pool)"
    std::vector<std::int64_t> shape; // per image
};

struct ExportedModelManifest
{
    bool present = false; // false: a plain TorchScript file without AlignScope's extra file
    std::string source;   // "torchvision" | "python"
    std::string name;
    std::string spec;          // as given to export: "torchvision:resnet50", "python:FILE.py:FUNCTION"
    std::string weights;       // "ResNet50_Weights.IMAGENET1K_V2", "none", "file:/abs/path.pth"
    std::string weightsSha256; // of a weights file; torchvision's file name (which carries its hash); "none"
    std::vector<std::string> layers;
    Preprocessing preprocessing;
    std::string preprocessingFrom; // whose transforms they are
    std::vector<ExportedOutput> outputs;
    JsonValue metadata; // object: family, parameters, imagenet1k_top1/top5, recipe, training_data, objective
    JsonValue document; // the whole extra file
};

inline constexpr const char* kExportedModelExtraFile = "alignscope.json";

// The manifest of a TorchScript file; `present` is false when the file has none. Errors (not a TorchScript
// archive, an unreadable or invalid manifest) name the file and the reason.
Result<ExportedModelManifest> readExportedModelManifest(const std::string& path);

// Checks that `temporary` (written by the exporter) is a TorchScript file with a valid manifest, then writes
// it to `target` through the atomic write path (AtomicFileWriter) and removes `temporary`. On any error the
// target is left as it was.
Result<ExportedModelManifest> installExportedModel(const std::string& temporary, const std::string& target);

} // namespace alignscope
