#pragma once
// Batch manifests: models × datasets × analyses expanded into jobs, each one alignscope-cli invocation.
//
// {
//   "models":   [{"name": "vice", "features": "vice.npy", "rows": "sorted"},
//                {"name": "cnn", "torchscript": "cnn.pt", "images": "images/", "output": "0", "preset":
//                "imagenet"},
//                {"name": "r50", "model": "torchvision:resnet50", "weights": "DEFAULT", "layers": "layer3",
//                 "images": "images/"}],
//   "datasets": [{"name": "things", "objects": "concepts.tsv", "triplets": "test_10.txt",
//                 "concepts": "vice.npy", "concept_rows": "sorted"},
//                {"name": "ratings", "objects": "concepts.tsv", "rdm": "ratings.npy", "rdm_kind":
//                "similarity",
//                 "stimuli": "ratings.rows.txt"}],
//   "analyses": [{"type": "ooo", "similarity": "cosine"}, {"type": "rsa", "rdm_method": "correlation",
//                 "compare": "spearman"}, {"type": "probe", "lambda": 0.1, "folds": 3}]
// }
// Relative paths are resolved against the manifest's folder. ooo and probe run on datasets with triplets,
// rsa on datasets with an rdm. TorchScript models and models by name (exported once into the feature cache
// folder, with their own preprocessing; see model_exporter.h) are extracted first (stage "extract") into
// OUT/features.

#include "alignscope/result.h"

#include "alignscope/json_reader.h"

#include <string>
#include <vector>

namespace alignscope::cli {

struct BatchJob
{
    std::string name;  // unique, file-system safe: "ooo-cosine.vice.things"
    std::string stage; // "extract" or "analyse"
    std::string analysis, model, dataset, variant;
    std::vector<std::string> arguments; // alignscope-cli arguments
};

// A model's "meta" object (family, parameters, training data, ...), under the model's name in the jobs.
struct ModelMeta
{
    std::string model;
    JsonValue cells; // an object of text, numbers, booleans or nulls
};

// Jobs in a fixed order (extract jobs first, then analyses by dataset, model, analysis); the models' "meta"
// objects go to `modelMeta` (batch.json and merged.json carry them to `compare` and the Compare page).
Result<std::vector<BatchJob>> expandManifest(const std::string& manifestPath, const std::string& outputFolder,
                                             std::vector<ModelMeta>* modelMeta = nullptr);

} // namespace alignscope::cli
