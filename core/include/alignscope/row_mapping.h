#pragma once
// Mapping the rows of a matrix (features, embeddings) to a StimulusSet by ID, never by position alone.

#include "alignscope/data_model.h"
#include "alignscope/result.h"

#include <string>
#include <vector>

namespace alignscope {

// How the rows of a matrix are identified.
struct RowIdentity
{
    enum class Policy
    {
        Ids,       // `ids` lists the ID of each row (a row-ID file, an npz/hdf5 key, a sidecar)
        Canonical, // row r is stimulus r (same order as the stimulus set)
        Sorted     // rows follow the stimulus IDs sorted by code point (Python's sorted(); VICE THINGS)
    };
    Policy policy = Policy::Ids;
    std::vector<std::string> ids;
    std::string origin; // where `ids` came from, for messages

    static RowIdentity canonical() { return {Policy::Canonical, {}, "canonical"}; }
    static RowIdentity sorted() { return {Policy::Sorted, {}, "sorted"}; }
    static RowIdentity fromIds(std::vector<std::string> ids, std::string origin)
    {
        return {Policy::Ids, std::move(ids), std::move(origin)};
    }
};

// The ID of every row of a `rowCount`-row matrix under `identity`, or an error when the count is wrong.
Result<std::vector<std::string>> rowIdsFor(const StimulusSet& stimuli, std::int64_t rowCount,
                                           const RowIdentity& identity, const std::string& matrixName);

// For each stimulus (in stimulus order), the row of the matrix that holds it. Every stimulus must have
// exactly one row and every row a stimulus; otherwise the error names missing and extra IDs.
// With `allowExtraRows`, rows whose ID is not a stimulus are ignored (a matrix covering more objects).
Result<std::vector<std::int64_t>> mapRowsToStimuli(const StimulusSet& stimuli, std::int64_t rowCount,
                                                   const RowIdentity& identity, const std::string& matrixName,
                                                   bool allowExtraRows = false);

// rows×cols row-major `values` reordered so that row s is source row rowForStimulus[s]. Rows already in
// stimulus order are returned as they are (pass an rvalue to avoid the copy).
std::vector<float> gatherRows(std::vector<float> values, std::int64_t cols,
                              const std::vector<std::int64_t>& rowForStimulus);

// "ids", "canonical", "sorted" (how projects and manifests spell a policy).
const char* rowPolicyName(RowIdentity::Policy policy);
Result<RowIdentity::Policy> parseRowPolicy(const std::string& name);

// Parses a --feature-rows style argument: "canonical", "sorted", or a row-ID file path.
Result<RowIdentity> rowIdentityFromArgument(const std::string& argument);

} // namespace alignscope
