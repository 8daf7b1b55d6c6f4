#pragma once
// TorchScript models (torch.jit.save files): what they contain and which output becomes features.

#include "alignscope/result.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace alignscope {

enum class SpatialPooling
{
    Average,
    Flatten
};

// Which tensor of a model becomes the features: a method, then an element of its result.
struct OutputSpec
{
    std::string method = "forward";
    // Empty: the result itself must be a tensor (or a 1-tuple). A number indexes a tuple or list, other text
    // is a dict key; "all" extracts every tensor of the result in one pass (a layer sweep).
    std::string output;
    // 4-D outputs (N×C×H×W) are averaged over H, W or flattened; 3-D outputs (N×T×D tokens) likewise over T.
    SpatialPooling pooling = SpatialPooling::Average;

    std::string describe() const; // "method=forward output=0 pool=avg"
};

Result<SpatialPooling> parsePooling(const std::string& name); // "avg" | "flatten"
const char* poolingName(SpatialPooling pooling);

struct ModelMethod
{
    std::string name;
    std::string schema; // e.g. "forward(__torch__.Net self, Tensor x) -> Tensor"
};

// One tensor the probe forward produced: its selector (as OutputSpec::output takes it) and shape.
struct ModelOutput
{
    std::string selector;
    std::vector<std::int64_t> shape;
};

struct ModelInfo
{
    std::string path;
    std::string sha256;
    std::int64_t fileBytes = 0;
    std::int64_t parameterCount = 0;
    std::int64_t bufferCount = 0;
    std::vector<ModelMethod> methods;
    std::vector<std::string> submodules; // direct children, "name: Type"
    // A forward of a zero image (1×3×probeSize×probeSize) tells what the chosen method returns.
    int probeSize = 0;
    std::vector<ModelOutput> probeOutputs;
    std::string probeError; // why the probe forward failed (e.g. the model expects another input)
};

// Loads the model on the CPU and describes it; probeSize 0 skips the probe forward.
Result<ModelInfo> inspectModel(const std::string& path, const std::string& probeMethod = "forward",
                               int probeSize = 224);

// A time limit on each call into a model (a probe forward, one batch of an extraction). A TorchScript call
// cannot be interrupted, so when one runs longer than `seconds` the process ends: `onExpiry` gets a one-line
// message naming the model and the limit and must not return (the CLI prints it and exits with code 124). 0
// seconds: no limit (the default). Meant for processes that run models on their own, such as the CLI's
// extract and inspect.
void setModelCallTimeout(double seconds, std::function<void(const std::string&)> onExpiry);

} // namespace alignscope
