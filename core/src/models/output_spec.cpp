#include "alignscope/torchscript_model.h"

namespace alignscope {

std::string OutputSpec::describe() const
{
    return "method=" + method + " output=" + output + " pool=" + poolingName(pooling);
}

const char* poolingName(SpatialPooling pooling)
{
    return pooling == SpatialPooling::Average ? "avg" : "flatten";
}

Result<SpatialPooling> parsePooling(const std::string& name)
{
    if (name == "avg") return SpatialPooling::Average;
    if (name == "flatten") return SpatialPooling::Flatten;
    return makeError("", "", "unknown pooling '" + name + "' (avg, flatten)");
}

} // namespace alignscope
