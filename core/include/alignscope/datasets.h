#pragma once
// Loading datasets into the data model: objects, triplets, features, concept spaces, THINGS folders.

#include "alignscope/data_model.h"
#include "alignscope/load.h"
#include "alignscope/matrix_file.h"
#include "alignscope/progress.h"
#include "alignscope/result.h"
#include "alignscope/row_mapping.h"

#include <optional>
#include <string>

namespace alignscope {

// A THINGS concept table (uniqueID column) or a plain ID list, one per line.
Result<StimulusSet> loadObjects(const std::string& path);

// N×3 (i j k) or N×4 (i j k subject) integer matrix from npy/npz/text/MAT; indices must lie in
// [0, objectCount) and be distinct within a triplet.
Result<TripletSet> loadTriplets(const std::string& path, size_t objectCount, const TaskContext& context = {});

// Features mapped to `stimuli` by ID, read through `load` (load.h). Without `identity`, the row IDs embedded
// in the file or its "<stem>.rows.txt" sidecar are used; when there are none the error asks for a row
// mapping.
Result<FeatureMatrix> loadFeatures(const std::string& spec, const StimulusSet& stimuli,
                                   const std::optional<RowIdentity>& identity,
                                   const TaskContext& context = {});

// Features for a subset of the objects (RSA over chosen stimuli): 'canonical' and 'sorted' refer to the
// full object table; every stimulus of `subset` (object indices) needs a row, other rows are ignored.
Result<FeatureMatrix> loadFeaturesForSubset(const std::string& spec, const StimulusSet& objects,
                                            const std::vector<std::int64_t>& subset,
                                            const std::optional<RowIdentity>& identity,
                                            const TaskContext& context = {});

// Concept embedding mapped to `stimuli` (same rules). NaN, inf and negative values are errors, except tiny
// negative values down to −kConceptNegativeTolerance (optimiser noise: the published SPoSE-49 THINGS
// embedding has 68, the smallest −0.0013), which are clamped to 0 with a ConceptSpace::warning that says how
// many and the minimum.
constexpr float kConceptNegativeTolerance = 0.01f;
// The same checks and clamping for a space built elsewhere (`rowIds` name its rows in errors).
Status checkConceptValues(ConceptSpace& space, const std::vector<std::string>& rowIds);
Result<ConceptSpace> loadConceptSpace(const std::string& spec, const StimulusSet& stimuli,
                                      const std::optional<RowIdentity>& identity);

// Dimension labels, one per line, for a concept space of `dimensions` columns.
Result<std::vector<std::string>> loadConceptLabels(const std::string& path, std::int64_t dimensions);

// THINGS folder layout: concepts/things_concepts.tsv, triplets/{train_90,test_10}.{npy,txt},
// images/<uniqueID>.{jpg,png} (all optional but the concept table).
struct ThingsFolder
{
    StimulusSet objects;
    std::optional<TripletSet> train;
    std::optional<TripletSet> test;
    std::string imagesDir;
    size_t imagesFound = 0;
};

Result<ThingsFolder> loadThingsFolder(const std::string& dir, const TaskContext& context = {});

} // namespace alignscope
