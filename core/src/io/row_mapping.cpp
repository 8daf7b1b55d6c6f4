#include "alignscope/row_mapping.h"

#include "alignscope/large_page_allocator.h"
#include "alignscope/text_matrix.h"

#include <algorithm>
#include <unordered_map>

namespace alignscope {

namespace {

std::string listSome(const std::vector<std::string>& ids)
{
    std::string out;
    const size_t shown = std::min<size_t>(ids.size(), 8);
    for (size_t i = 0; i < shown; ++i)
        out += (i ? ", " : "") + ids[i];
    if (ids.size() > shown) out += ", ... (" + std::to_string(ids.size()) + " in all)";
    return out;
}

} // namespace

Result<std::vector<std::string>> rowIdsFor(const StimulusSet& stimuli, std::int64_t rowCount,
                                           const RowIdentity& identity, const std::string& matrixName)
{
    if (identity.policy == RowIdentity::Policy::Ids) {
        if (static_cast<std::int64_t>(identity.ids.size()) != rowCount)
            return makeError(matrixName, "",
                             std::to_string(rowCount) + " rows but " + std::to_string(identity.ids.size()) +
                                 " row IDs in " + identity.origin);
        return identity.ids;
    }
    if (static_cast<std::int64_t>(stimuli.size()) != rowCount)
        return makeError(matrixName, "",
                         std::to_string(rowCount) + " rows but " + std::to_string(stimuli.size()) +
                             " objects in " + stimuli.origin + " (the '" + identity.origin +
                             "' row order needs equal counts)");
    std::vector<std::string> ids = stimuli.ids();
    if (identity.policy == RowIdentity::Policy::Sorted) std::sort(ids.begin(), ids.end());
    return ids;
}

Result<std::vector<std::int64_t>> mapRowsToStimuli(const StimulusSet& stimuli, std::int64_t rowCount,
                                                   const RowIdentity& identity, const std::string& matrixName,
                                                   bool allowExtraRows)
{
    auto ids = rowIdsFor(stimuli, rowCount, identity, matrixName);
    if (!ids) return ids.error();
    std::vector<std::int64_t> rowFor(stimuli.size(), -1);
    std::vector<std::string> extra, duplicated, missing;
    for (size_t r = 0; r < ids->size(); ++r) {
        const auto stimulus = stimuli.indexOf((*ids)[r]);
        if (!stimulus) {
            extra.push_back((*ids)[r]);
        } else if (rowFor[*stimulus] >= 0) {
            duplicated.push_back((*ids)[r]);
        } else {
            rowFor[*stimulus] = static_cast<std::int64_t>(r);
        }
    }
    for (size_t s = 0; s < stimuli.size(); ++s)
        if (rowFor[s] < 0) missing.push_back(stimuli.id(s));
    if (allowExtraRows) extra.clear();
    if (!missing.empty() || !extra.empty() || !duplicated.empty()) {
        std::string reason =
            "rows do not match the objects of " + stimuli.origin + " (row IDs from " + identity.origin + "):";
        if (!missing.empty()) reason += " missing " + listSome(missing) + ";";
        if (!extra.empty()) reason += " extra " + listSome(extra) + ";";
        if (!duplicated.empty()) reason += " repeated " + listSome(duplicated) + ";";
        reason.pop_back();
        return makeError(matrixName, "", reason);
    }
    return rowFor;
}

std::vector<float> gatherRows(std::vector<float> values, std::int64_t cols,
                              const std::vector<std::int64_t>& rowForStimulus)
{
    bool inOrder = values.size() == rowForStimulus.size() * size_t(cols);
    for (size_t s = 0; inOrder && s < rowForStimulus.size(); ++s)
        inOrder = rowForStimulus[s] == std::int64_t(s);
    if (inOrder) return values;
    std::vector<float> out;
    reserveOnHugePages(out, rowForStimulus.size() * size_t(cols));
    out.resize(rowForStimulus.size() * size_t(cols));
    for (size_t s = 0; s < rowForStimulus.size(); ++s)
        std::copy_n(values.begin() + rowForStimulus[s] * cols, cols, out.begin() + std::int64_t(s) * cols);
    return out;
}

const char* rowPolicyName(RowIdentity::Policy policy)
{
    switch (policy) {
    case RowIdentity::Policy::Canonical:
        return "canonical";
    case RowIdentity::Policy::Sorted:
        return "sorted";
    case RowIdentity::Policy::Ids:
        break;
    }
    return "ids";
}

Result<RowIdentity::Policy> parseRowPolicy(const std::string& name)
{
    for (auto policy :
         {RowIdentity::Policy::Ids, RowIdentity::Policy::Canonical, RowIdentity::Policy::Sorted})
        if (name == rowPolicyName(policy)) return policy;
    return makeError("", "", "unknown row mapping '" + name + "' (ids, canonical, sorted)");
}

Result<RowIdentity> rowIdentityFromArgument(const std::string& argument)
{
    if (argument == rowPolicyName(RowIdentity::Policy::Canonical)) return RowIdentity::canonical();
    if (argument == rowPolicyName(RowIdentity::Policy::Sorted)) return RowIdentity::sorted();
    auto ids = readIdList(argument);
    if (!ids) return ids.error();
    return RowIdentity::fromIds(std::move(ids).value(), argument);
}

} // namespace alignscope
