#include "alignscope/load.h"

#include "alignscope/text_matrix.h"
#include "input_checks.h"

#include <sys/stat.h>
#include <tuple>

namespace alignscope {

namespace {

bool exists(const std::string& path)
{
    struct stat info
    {
    };
    return ::stat(path.c_str(), &info) == 0;
}

Status checkShape(const LoadedInput& input, InputRole role)
{
    const NdArray& array = input.matrix.array;
    const std::string& key = input.matrix.key;
    switch (role) {
    case InputRole::Matrix:
        if (array.shape.size() == 1 || array.shape.size() == 2) return okStatus();
        return makeError(input.path, key, "a " + array.shapeString() + " array; expected 1-D or 2-D");
    case InputRole::Features:
    case InputRole::ConceptSpace:
        if (array.shape.size() == 2) return okStatus();
        return makeError(input.path, key, "expected a 2-D matrix, found shape " + array.shapeString());
    case InputRole::Triplets:
        if (array.shape.size() == 2 && (array.cols() == 3 || array.cols() == 4)) return okStatus();
        return makeError(input.path, "", tripletShapeError(array.shapeString()));
    case InputRole::Any:
    case InputRole::SimilarityMatrix:
        break;
    }
    return okStatus();
}

// Names the rows: the request's row-ID file or policy, else the IDs in the file, else the sidecar. IDs name
// one row each; a count that differs is an error wherever they came from.
Status nameRows(LoadedInput& input, const LoadRequest& request)
{
    LoadedMatrix& matrix = input.matrix;
    if (request.role == InputRole::Triplets) {
        matrix.rowIds.clear();
        matrix.rowIdOrigin.clear();
        return okStatus();
    }
    if (request.rows) {
        if (!matrix.rowIds.empty())
            input.notes.push_back("row IDs of " + matrix.rowIdOrigin + " replaced by " +
                                  request.rows->origin);
        matrix.rowIds.clear();
        matrix.rowIdOrigin.clear();
        if (request.rows->policy != RowIdentity::Policy::Ids) {
            input.policy = request.rows->policy;
            return okStatus();
        }
        matrix.rowIds = request.rows->ids;
        matrix.rowIdOrigin = request.rows->origin;
    } else if (matrix.rowIds.empty()) {
        const std::string sidecar = rowsSidecarPath(input.path);
        if (!exists(sidecar)) return okStatus();
        auto ids = readIdList(sidecar);
        if (!ids) return ids.error(); // a sidecar that cannot be read is never passed over in silence
        matrix.rowIds = std::move(ids).value();
        matrix.rowIdOrigin = sidecar;
    }
    if (request.role == InputRole::SimilarityMatrix || matrix.rowIds.empty()) return okStatus();
    const std::int64_t rows = matrix.array.rows();
    if (std::int64_t(matrix.rowIds.size()) != rows)
        return makeError(input.path, "",
                         std::to_string(rows) + " rows but " + std::to_string(matrix.rowIds.size()) +
                             " row IDs in " + matrix.rowIdOrigin);
    return okStatus();
}

} // namespace

std::pair<std::string, std::string> splitKeySpec(const std::string& spec)
{
    const size_t colon = spec.rfind(':');
    if (colon == std::string::npos || colon == 0 || exists(spec)) return {spec, {}};
    return {spec.substr(0, colon), spec.substr(colon + 1)};
}

std::string tripletShapeError(const std::string& shape)
{
    return "expected N×3 (i j k) or N×4 (i j k subject) triplets, found shape " + shape;
}

Status checkLabelCount(const std::vector<std::string>& labels, std::int64_t columns,
                       const std::string& origin)
{
    if (std::int64_t(labels.size()) == columns) return okStatus();
    return makeError(
        origin, "", std::to_string(labels.size()) + " labels for " + std::to_string(columns) + " dimensions");
}

Result<LoadedInput> load(const LoadRequest& request, const TaskContext& context)
{
    LoadedInput input;
    std::string key;
    std::tie(input.path, key) = splitKeySpec(request.spec);
    auto matrix = loadMatrix(input.path, key, context);
    if (!matrix) return matrix.error();
    input.matrix = std::move(matrix).value();
    if (key.empty() && !input.matrix.key.empty())
        input.notes.push_back("read " + input.path + ":" + input.matrix.key);
    if (auto shape = checkShape(input, request.role); !shape) return shape.error();
    if (auto named = nameRows(input, request); !named) return named.error();
    if (!request.labelsPath.empty()) {
        auto labels = readIdList(request.labelsPath);
        if (!labels) return labels.error();
        if (auto counted = checkLabelCount(*labels, input.matrix.array.cols(), request.labelsPath); !counted)
            return counted.error();
        input.labels = std::move(labels).value();
    }
    return input;
}

Result<RowIdentity> rowIdentityOf(const LoadedInput& input)
{
    if (input.policy) return RowIdentity{*input.policy, {}, rowPolicyName(*input.policy)};
    if (!input.matrix.rowIds.empty())
        return RowIdentity::fromIds(input.matrix.rowIds, input.matrix.rowIdOrigin);
    return makeError(
        input.path, "",
        "the file does not name its rows; give a row mapping (a row-ID file, 'canonical' or 'sorted')");
}

} // namespace alignscope
