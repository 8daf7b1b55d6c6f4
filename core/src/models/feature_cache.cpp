#include "alignscope/feature_cache.h"

#include "alignscope/file_io.h"
#include "alignscope/json_reader.h"
#include "alignscope/json_writer.h"
#include "alignscope/matrix_file.h"
#include "alignscope/npy.h"
#include "alignscope/sha256.h"
#include "alignscope/text_matrix.h"
#include "alignscope/version.h"

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sys/stat.h>

namespace alignscope {

namespace fs = std::filesystem;

std::string defaultFeatureCacheFolder()
{
    if (const char* explicitFolder = std::getenv("ALIGNSCOPE_CACHE_DIR"); explicitFolder && *explicitFolder)
        return explicitFolder;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return std::string(xdg) + "/alignscope/features";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::string(home) + "/.cache/alignscope/features";
    return "alignscope-cache/features";
}

namespace {

// The key for a model file whose SHA-256 is already known (hashing a large model file twice is wasted I/O).
Result<std::string> cacheKeyFor(const ExtractionRequest& request, const std::string& modelHash)
{
    Sha256 hash;
    std::string header = "alignscope-features-v1\nmodel=" + modelHash + "\n" + request.output.describe() +
                         "\n" + request.preprocessing.describe() + "\nhalf=" + (request.half ? "1" : "0") +
                         "\nbroken=" + (request.onBrokenImage == BrokenImagePolicy::Skip ? "skip" : "fail") +
                         "\n";
    hash.update(header.data(), header.size());
    for (const std::string& path : request.imagePaths) {
        struct stat status
        {
        };
        if (::stat(path.c_str(), &status) != 0) {
            if (request.onBrokenImage == BrokenImagePolicy::Fail)
                return makeError(path, "", systemErrorText(errno));
            status = {};
        }
        std::error_code error;
        const std::string absolute = fs::absolute(path, error).lexically_normal().string();
        const std::string line = absolute + "\t" + std::to_string(status.st_size) + "\t" +
                                 std::to_string(status.st_mtim.tv_sec) + "." +
                                 std::to_string(status.st_mtim.tv_nsec) + "\n";
        hash.update(line.data(), line.size());
    }
    return hash.hexDigest();
}

} // namespace

Result<std::string> featureCacheKey(const ExtractionRequest& request)
{
    auto modelHash = sha256OfFile(request.modelPath);
    if (!modelHash) return modelHash.error();
    return cacheKeyFor(request, *modelHash);
}

namespace {

std::string joinLines(const std::vector<std::string>& lines)
{
    std::string text;
    for (const std::string& line : lines)
        text += line + "\n";
    return text;
}

std::string entryJson(const ExtractionRequest& request, const ExtractionResult& result,
                      const std::string& key)
{
    JsonWriter json;
    json.beginObject();
    json.key("format").value("alignscope-feature-cache-1");
    json.key("key").value(key);
    json.key("app_version").value(applicationVersion());
    json.key("libtorch_version").value(torchVersion());
    json.key("model").value(request.modelPath);
    json.key("model_sha256").value(result.modelSha256);
    json.key("output").value(request.output.describe());
    json.key("preprocessing").value(request.preprocessing.describe());
    json.key("half").value(request.half);
    json.key("device").value(result.device);
    json.key("rows").value(result.rowIds.size());
    json.key("outputs").beginArray();
    for (const ExtractedFeatures& output : result.outputs) {
        json.beginObject();
        json.key("selector").value(output.selector);
        json.key("cols").value(output.cols);
        json.endObject();
    }
    json.endArray();
    json.key("skipped").beginArray();
    for (const SkippedImage& skipped : result.skipped) {
        json.beginObject();
        json.key("path").value(skipped.path);
        json.key("reason").value(skipped.reason);
        json.endObject();
    }
    json.endArray();
    json.endObject();
    return json.text() + "\n";
}

std::vector<std::string> readLines(const std::string& path, bool& ok)
{
    auto bytes = readWholeFile(path, std::uint64_t(1) << 30);
    std::vector<std::string> lines;
    ok = bool(bytes);
    if (!ok) return lines;
    std::string line;
    for (char c : *bytes) {
        if (c == '\n') {
            lines.push_back(line);
            line.clear();
        } else
            line += c;
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

} // namespace

std::optional<ExtractionResult> readCachedFeatures(const std::string& folder, const std::string& key)
{
    const fs::path entry = fs::path(folder) / key;
    auto json = readJsonFile((entry / "entry.json").string());
    if (!json || !json->isObject()) return std::nullopt;
    ExtractionResult result;
    bool ok = false;
    result.rowIds = readLines((entry / "rows.txt").string(), ok);
    if (!ok) return std::nullopt;
    result.imagePaths = readLines((entry / "images.txt").string(), ok);
    if (!ok || result.imagePaths.size() != result.rowIds.size()) return std::nullopt;
    const JsonValue* outputs = json->find("outputs");
    if (!outputs || !outputs->isArray() || outputs->array.empty()) return std::nullopt;
    for (size_t i = 0; i < outputs->array.size(); ++i) {
        auto array = readNpy((entry / ("output-" + std::to_string(i) + ".npy")).string());
        if (!array || array->shape.size() != 2 || array->rows() != std::int64_t(result.rowIds.size()))
            return std::nullopt;
        result.outputs.push_back(
            {outputs->array[i].stringOr("selector"), array->rows(), array->cols(), array->toFloat32()});
    }
    if (const JsonValue* skipped = json->find("skipped"); skipped && skipped->isArray())
        for (const JsonValue& item : skipped->array)
            result.skipped.push_back({item.stringOr("path"), item.stringOr("reason")});
    result.device = json->stringOr("device");
    result.modelSha256 = json->stringOr("model_sha256");
    result.cacheKey = key;
    result.fromCache = true;
    return result;
}

Status writeCachedFeatures(const std::string& folder, const std::string& key,
                           const ExtractionRequest& request, const ExtractionResult& result)
{
    const fs::path entry = fs::path(folder) / key;
    std::error_code error;
    fs::create_directories(entry, error);
    if (error) return makeError(entry.string(), "", "cannot create the cache folder: " + error.message());
    fs::remove(entry / "entry.json", error); // an entry is complete only once entry.json is back
    fs::remove(entry / "contents.sha256",
               error); // content hashes describe the images of the entry written last
    for (size_t i = 0; i < result.outputs.size(); ++i) {
        const ExtractedFeatures& output = result.outputs[i];
        auto written = writeNpy((entry / ("output-" + std::to_string(i) + ".npy")).string(),
                                makeFloat32Array({output.rows, output.cols}, output.values));
        if (!written) return written.error();
    }
    for (const auto& [name, lines] :
         {std::pair<const char*, const std::vector<std::string>*>{"rows.txt", &result.rowIds},
          {"images.txt", &result.imagePaths}}) {
        auto written = writeFileAtomically((entry / name).string(), joinLines(*lines));
        if (!written) return written.error();
    }
    return writeFileAtomically((entry / "entry.json").string(), entryJson(request, result, key));
}

namespace {

// "<sha256>  <path>" per image of the request, in request order (like sha256sum's output).
Result<std::string> imageContentHashes(const ExtractionRequest& request)
{
    std::string lines;
    for (const std::string& path : request.imagePaths) {
        auto digest = sha256OfFile(path);
        if (!digest && request.onBrokenImage == BrokenImagePolicy::Fail) return digest.error();
        lines += (digest ? *digest : std::string("unreadable")) + "  " + path + "\n";
    }
    return lines;
}

bool contentsStillMatch(const std::string& folder, const std::string& key, const std::string& hashes)
{
    auto stored =
        readWholeFile((fs::path(folder) / key / "contents.sha256").string(), std::uint64_t(1) << 30);
    return stored && std::string(stored->begin(), stored->end()) == hashes;
}

} // namespace

Result<ExtractionResult> extractFeaturesCached(const ExtractionRequest& request, const std::string& folder,
                                               const TaskContext& context, std::string* cacheWarning,
                                               bool verifyContents)
{
    // The key is computed even without a cache folder: it records what the features came from (projects use
    // it).
    auto modelHash = sha256OfFile(request.modelPath);
    if (!modelHash) return modelHash.error();
    auto key = cacheKeyFor(request, *modelHash);
    if (!key) return key.error();
    std::string hashes;
    if (verifyContents && !folder.empty()) {
        auto computed = imageContentHashes(request);
        if (!computed) return computed.error();
        hashes = std::move(computed).value();
    }
    if (!folder.empty() && (!verifyContents || contentsStillMatch(folder, *key, hashes)))
        if (auto cached = readCachedFeatures(folder, *key)) return std::move(*cached);
    auto result = extractFeatures(request, context);
    if (!result) return result;
    result->cacheKey = *key;
    result->modelSha256 = *modelHash;
    if (folder.empty()) return result;
    auto stored = writeCachedFeatures(folder, *key, request, *result);
    if (stored && verifyContents)
        stored = writeFileAtomically((fs::path(folder) / *key / "contents.sha256").string(), hashes);
    if (!stored && cacheWarning) *cacheWarning = "features not cached: " + stored.error().message();
    return result;
}

Result<std::vector<std::string>> writeExtractedFeatures(const std::string& npyPath,
                                                        const ExtractionResult& result)
{
    std::vector<std::string> written;
    const fs::path target(npyPath);
    std::error_code error;
    if (target.has_parent_path()) fs::create_directories(target.parent_path(), error);
    if (error) return makeError(npyPath, "", "cannot create its folder: " + error.message());
    std::set<std::string> used;
    for (const ExtractedFeatures& output : result.outputs) {
        std::string path = npyPath;
        if (result.outputs.size() > 1) {
            std::string selector = output.selector;
            for (char& c : selector)
                if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
            // Distinct outputs can map to one file name ("a/b", "a_b", "a b"): number the later ones.
            const std::string base = target.stem().string() + "." + selector;
            path = (target.parent_path() / (base + ".npy")).string();
            for (int copy = 2; used.count(path); ++copy)
                path = (target.parent_path() / (base + "-" + std::to_string(copy) + ".npy")).string();
        }
        used.insert(path);
        const std::vector<char> npy = encodeNpy(makeFloat32Array({output.rows, output.cols}, output.values));
        auto status = writeFileWithSidecars(
            {{path, std::string(npy.begin(), npy.end())}, {rowsSidecarPath(path), joinLines(result.rowIds)}});
        if (!status) return status.error();
        written.push_back(path);
    }
    return written;
}

} // namespace alignscope
