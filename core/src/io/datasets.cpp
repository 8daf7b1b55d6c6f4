#include "alignscope/datasets.h"

#include "alignscope/delimited_table.h"
#include "alignscope/large_page_allocator.h"
#include "alignscope/npy.h"
#include "alignscope/text_matrix.h"
#include "input_checks.h"

#include <cmath>
#include <limits>
#include <optional>
#include <sys/stat.h>

namespace alignscope {

namespace {

bool exists(const std::string& path)
{
    struct stat info
    {
    };
    return ::stat(path.c_str(), &info) == 0;
}

// Loads a 2-D matrix and maps its rows to `target` (default: all of `objects`). Row identities such as
// 'canonical' and 'sorted' always refer to the full object table; rows for objects outside the target
// are ignored.
Result<std::pair<LoadedMatrix, std::vector<std::int64_t>>>
loadMapped(const std::string& spec, InputRole role, const StimulusSet& objects,
           const std::optional<RowIdentity>& identity, const TaskContext& context,
           const StimulusSet* target = nullptr)
{
    auto loaded = load({spec, role, identity, {}}, context);
    if (!loaded) return loaded.error();
    auto resolved = rowIdentityOf(*loaded);
    if (!resolved) return resolved.error();
    const std::string& path = loaded->path;
    const std::int64_t rows = loaded->matrix.array.rows();
    Result<std::vector<std::int64_t>> rowFor = makeError(path, "", "");
    if (!target) {
        rowFor = mapRowsToStimuli(objects, rows, *resolved, path);
    } else {
        auto ids = rowIdsFor(objects, rows, *resolved, path);
        if (!ids) return ids.error();
        rowFor =
            mapRowsToStimuli(*target, rows, RowIdentity::fromIds(std::move(ids).value(), resolved->origin),
                             path, /*allowExtraRows=*/true);
    }
    if (!rowFor) return rowFor.error();
    return std::make_pair(std::move(loaded->matrix), std::move(rowFor).value());
}

// Rows gathered into stimulus order; non-finite values are errors naming the object.
Result<FeatureMatrix> gatherFeatures(LoadedMatrix& loaded, const std::vector<std::int64_t>& rowFor,
                                     std::vector<std::string> ids, const std::string& spec)
{
    FeatureMatrix features;
    features.rows = std::int64_t(rowFor.size());
    features.cols = loaded.array.cols();
    features.exact = exactFeatureRows(loaded.array, rowFor);
    features.values = gatherRows(loaded.array.takeFeatureFloat32(), features.cols, rowFor);
    features.rowIds = std::move(ids);
    features.origin = spec;
    for (size_t i = 0; i < features.values.size(); ++i)
        if (!std::isfinite(features.values[i]))
            return makeError(spec, "object '" + features.rowIds[i / size_t(features.cols)] + "'",
                             "non-finite feature value");
    return features;
}

} // namespace

Result<StimulusSet> loadObjects(const std::string& path)
{
    auto format = detectFormat(path);
    if (!format) return format.error();
    if (*format == FileFormat::ConceptTable) return readThingsConcepts(path);
    if (*format == FileFormat::IdList || *format == FileFormat::TextMatrix) {
        auto ids = readIdList(path);
        if (!ids) return ids.error();
        return StimulusSet::create(std::move(ids).value(), path);
    }
    return makeError(path, "",
                     std::string("expected a concept table or an ID list, found ") + formatName(*format));
}

namespace {

// Checks one triplet row (i j k [subject]) and stores it as triplet r.
std::optional<Error> storeTripletRow(TripletSet& triplets, const std::int64_t* row, size_t cols, size_t r,
                                     size_t objectCount, const std::string& path)
{
    auto where = [r] { return "row " + std::to_string(r + 1); };
    for (int c = 0; c < 3; ++c) {
        if (row[c] < 0 || std::uint64_t(row[c]) >= objectCount)
            return makeError(path, where(),
                             "object index " + std::to_string(row[c]) + " outside 0.." +
                                 std::to_string(objectCount - 1) + " (" + std::to_string(objectCount) +
                                 " objects)");
        triplets.indices[3 * r + size_t(c)] = std::int32_t(row[c]);
    }
    if (row[0] == row[1] || row[0] == row[2] || row[1] == row[2])
        return makeError(path, where(), "a triplet repeats an object");
    if (cols == 4) {
        if (row[3] < INT32_MIN || row[3] > INT32_MAX)
            return makeError(path, where(), "subject number out of range");
        triplets.subjects[r] = std::int32_t(row[3]);
    }
    return std::nullopt;
}

// Checks and stores rows [first, first + count). The rows are checked in one pass without branches (4.7 M
// triplets: most of the loading time went to a checked call per row); a block with a bad row is checked
// again row by row to name it.
Status storeTripletRows(TripletSet& triplets, const std::int64_t* values, size_t cols, size_t first,
                        size_t count, size_t objectCount, const std::string& path)
{
    bool valid = true;
    std::int32_t* out = triplets.indices.data() + 3 * first;
    for (size_t r = 0; r < count; ++r) {
        const std::int64_t* row = values + r * cols;
        const std::int64_t i = row[0], j = row[1], k = row[2];
        valid &= (std::uint64_t(i) < objectCount) & (std::uint64_t(j) < objectCount) &
                 (std::uint64_t(k) < objectCount) & (i != j) & (i != k) & (j != k);
        out[3 * r] = std::int32_t(i);
        out[3 * r + 1] = std::int32_t(j);
        out[3 * r + 2] = std::int32_t(k);
    }
    if (valid && cols == 3) return okStatus();
    for (size_t r = 0; r < count; ++r)
        if (auto failure = storeTripletRow(triplets, values + r * cols, cols, first + r, objectCount, path))
            return *failure;
    return okStatus();
}

} // namespace

Result<TripletSet> loadTriplets(const std::string& spec, size_t objectCount, const TaskContext& context)
{
    // Named copies, not a structured binding: lambdas capture them (C++17, and clang for the fuzz harness).
    const auto parts = splitKeySpec(spec);
    const std::string path = parts.first, key = parts.second;
    TripletSet triplets;
    triplets.origin = path;
    // An integer .npy is converted block by block (4.7 M triplets as int64 are 112 MB that need not be held).
    if (key.empty()) {
        auto streamed = streamNpyIntegerRows(
            path,
            [&](const NpyMatrixShape& shape, std::int64_t first, const std::int64_t* values,
                std::int64_t count) -> Status {
                if (shape.cols != 3 && shape.cols != 4)
                    return makeError(path, "",
                                     tripletShapeError("(" + std::to_string(shape.rows) + ", " +
                                                       std::to_string(shape.cols) + ")"));
                if (first == 0) {
                    reserveOnHugePages(triplets.indices, size_t(shape.rows) * 3);
                    triplets.indices.resize(size_t(shape.rows) * 3);
                    if (shape.cols == 4) triplets.subjects.resize(size_t(shape.rows));
                }
                return storeTripletRows(triplets, values, size_t(shape.cols), size_t(first), size_t(count),
                                        objectCount, path);
            });
        if (streamed) {
            if (!*streamed) return streamed->error();
            if (triplets.size() == 0) return makeError(path, "", "no triplets");
            return triplets;
        }
    }
    auto loaded = load({spec, InputRole::Triplets, std::nullopt, {}}, context);
    if (!loaded) return loaded.error();
    const NdArray& array = loaded->matrix.array;
    // Integer arrays are read in place (at THINGS scale a converted copy is another 100 MB to write).
    std::vector<std::int64_t> converted;
    const std::int64_t* data = array.i64.data();
    if (array.kind != ElementKind::Int64) {
        auto values = array.toInt64(path);
        if (!values) return values.error();
        converted = std::move(values).value();
        data = converted.data();
    }
    const size_t rows = size_t(array.rows());
    const size_t cols = size_t(array.cols());
    reserveOnHugePages(triplets.indices, rows * 3);
    triplets.indices.resize(rows * 3);
    if (cols == 4) triplets.subjects.resize(rows);
    if (auto status = storeTripletRows(triplets, data, cols, 0, rows, objectCount, path); !status)
        return status.error();
    if (rows == 0) return makeError(path, "", "no triplets");
    return triplets;
}

Result<FeatureMatrix> loadFeatures(const std::string& spec, const StimulusSet& stimuli,
                                   const std::optional<RowIdentity>& identity, const TaskContext& context)
{
    auto mapped = loadMapped(spec, InputRole::Features, stimuli, identity, context);
    if (!mapped) return mapped.error();
    return gatherFeatures(mapped->first, mapped->second, stimuli.ids(), spec);
}

Result<FeatureMatrix> loadFeaturesForSubset(const std::string& spec, const StimulusSet& objects,
                                            const std::vector<std::int64_t>& subset,
                                            const std::optional<RowIdentity>& identity,
                                            const TaskContext& context)
{
    std::vector<std::string> subsetIds;
    for (std::int64_t index : subset)
        subsetIds.push_back(objects.id(size_t(index)));
    auto target = StimulusSet::create(subsetIds, objects.origin);
    if (!target) return target.error();
    auto mapped = loadMapped(spec, InputRole::Features, objects, identity, context, &*target);
    if (!mapped) return mapped.error();
    return gatherFeatures(mapped->first, mapped->second, std::move(subsetIds), spec);
}

Status checkConceptValues(ConceptSpace& space, const std::vector<std::string>& rowIds)
{
    const std::string& spec = space.origin;
    const auto& stimuli = rowIds;
    if (space.d > kMaxConceptDimensions)
        return makeError(spec, "",
                         "a concept space has at most " + std::to_string(kMaxConceptDimensions) +
                             " dimensions (this one has " + std::to_string(space.d) + ")");
    size_t clamped = 0;
    float minimum = 0.0f;
    auto where = [&](size_t i) { // only for a message: building it per value would cost more than the check
        return "object '" +
               (i / size_t(space.d) < stimuli.size() ? stimuli[i / size_t(space.d)]
                                                     : std::to_string(i / size_t(space.d) + 1)) +
               "', dimension " + std::to_string(i % size_t(space.d) + 1);
    };
    for (size_t i = 0; i < space.values.size(); ++i) {
        float& value = space.values[i];
        if (value >= 0.0f && value <= std::numeric_limits<float>::max()) continue; // finite, non-negative
        if (!std::isfinite(value)) return makeError(spec, where(i), "concept values must be finite");
        if (value < -kConceptNegativeTolerance)
            return makeError(
                spec, where(i),
                "concept values must be non-negative (found " + std::to_string(value) + "; values down to -" +
                    std::to_string(kConceptNegativeTolerance).substr(0, 4) + " are clamped to 0)");
        minimum = std::min(minimum, value);
        value = 0.0f;
        ++clamped;
    }
    if (clamped) {
        char text[200];
        std::snprintf(text, sizeof text, "%s: %zu tiny negative concept values (minimum %.3g) clamped to 0",
                      spec.c_str(), clamped, minimum);
        space.warning = text;
    }
    return okStatus();
}

Result<ConceptSpace> loadConceptSpace(const std::string& spec, const StimulusSet& stimuli,
                                      const std::optional<RowIdentity>& identity)
{
    auto mapped = loadMapped(spec, InputRole::ConceptSpace, stimuli, identity, {});
    if (!mapped) return mapped.error();
    auto& [loaded, rowFor] = *mapped;
    ConceptSpace space;
    space.n = std::int64_t(stimuli.size());
    space.d = loaded.array.cols();
    space.values = gatherRows(loaded.array.takeFloat32(), space.d, rowFor);
    space.origin = spec;
    if (auto checked = checkConceptValues(space, stimuli.ids()); !checked) return checked.error();
    return space;
}

Result<std::vector<std::string>> loadConceptLabels(const std::string& path, std::int64_t dimensions)
{
    auto labels = readIdList(path);
    if (!labels) return labels.error();
    if (auto counted = checkLabelCount(*labels, dimensions, path); !counted) return counted.error();
    return labels;
}

Result<ThingsFolder> loadThingsFolder(const std::string& dir, const TaskContext& context)
{
    ThingsFolder folder;
    const std::string concepts = dir + "/concepts/things_concepts.tsv";
    if (!exists(concepts))
        return makeError(dir, "", "not a THINGS folder: concepts/things_concepts.tsv is missing");
    auto objects = readThingsConcepts(concepts);
    if (!objects) return objects.error();
    folder.objects = std::move(objects).value();
    for (const char* split : {"train_90", "test_10"}) {
        for (const char* extension : {".npy", ".txt"}) {
            const std::string path = dir + "/triplets/" + split + extension;
            if (!exists(path)) continue;
            auto triplets = loadTriplets(path, folder.objects.size(), context);
            if (!triplets) return triplets.error();
            triplets->splits.assign(triplets->size(), split[1] == 'r' ? TripletSet::Train : TripletSet::Test);
            (split[1] == 'r' ? folder.train : folder.test) = std::move(triplets).value();
            break;
        }
    }
    const std::string images = dir + "/images";
    if (exists(images)) {
        folder.imagesDir = images;
        folder.objects.imagePaths.assign(folder.objects.size(), {});
        for (size_t i = 0; i < folder.objects.size(); ++i)
            for (const char* extension : {".jpg", ".png", ".jpeg"}) {
                const std::string path = images + "/" + folder.objects.id(i) + extension;
                if (exists(path)) {
                    folder.objects.imagePaths[i] = path;
                    ++folder.imagesFound;
                    break;
                }
            }
    }
    return folder;
}

} // namespace alignscope
