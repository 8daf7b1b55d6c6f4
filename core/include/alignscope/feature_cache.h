#pragma once
// Extracted features stored under a cache folder, keyed by everything that determines them: the model
// file's SHA-256, the chosen output, every preprocessing value, precision, the broken-image policy and
// the image list (paths, sizes, modification times). Changing any of these misses the cache. The key trusts
// size + modification time for image contents: an image replaced by one of the same size with its
// modification time restored is not noticed, unless the cache is used with verifyContents (the CLI's
// --verify-cache), which also keys the entry by the SHA-256 of every image's bytes.

#include "alignscope/feature_extraction.h"

#include <optional>
#include <string>

namespace alignscope {

// $ALIGNSCOPE_CACHE_DIR, else $XDG_CACHE_HOME/alignscope/features, else ~/.cache/alignscope/features.
std::string defaultFeatureCacheFolder();

// Hex SHA-256 over a canonical description of the request; errors name an unreadable model or image.
Result<std::string> featureCacheKey(const ExtractionRequest& request);

// Entry layout: <folder>/<key>/ with output-<i>.npy, rows.txt, images.txt, entry.json (written last, so an
// entry without it is incomplete and ignored). A missing or unreadable entry is a miss (nullopt).
std::optional<ExtractionResult> readCachedFeatures(const std::string& folder, const std::string& key);
Status writeCachedFeatures(const std::string& folder, const std::string& key,
                           const ExtractionRequest& request, const ExtractionResult& result);

// extractFeatures behind the cache (the result carries its cache key and model hash); an empty folder
// disables the cache, not the key. Failing to write the cache is not an error of the extraction (the result
// is returned; `cacheWarning` says why). With `verifyContents`, an entry is reused only when it records the
// SHA-256 of every image and they all still match (entries stored without them are extracted again, and then
// record them).
Result<ExtractionResult> extractFeaturesCached(const ExtractionRequest& request, const std::string& folder,
                                               const TaskContext& context = {},
                                               std::string* cacheWarning = nullptr,
                                               bool verifyContents = false);

// Writes features as FILE.npy (rows × cols float32) and FILE.rows.txt (row IDs), both atomically; with
// several outputs, output i goes to <stem>.<selector>.npy (+ rows file) beside FILE. Returns the paths
// written.
Result<std::vector<std::string>> writeExtractedFeatures(const std::string& npyPath,
                                                        const ExtractionResult& result);

} // namespace alignscope
