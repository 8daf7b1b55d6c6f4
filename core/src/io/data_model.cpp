#include "alignscope/data_model.h"

namespace alignscope {

Result<StimulusSet> StimulusSet::create(std::vector<std::string> ids, const std::string& origin)
{
    StimulusSet set;
    set.origin = origin;
    set.m_index.reserve(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
        if (ids[i].empty()) return makeError(origin, "row " + std::to_string(i + 1), "empty object ID");
        const auto [it, inserted] = set.m_index.emplace(ids[i], i);
        if (!inserted)
            return makeError(origin, "row " + std::to_string(i + 1),
                             "duplicate object ID '" + ids[i] + "' (first at row " +
                                 std::to_string(it->second + 1) + ")");
    }
    set.m_ids = std::move(ids);
    return set;
}

std::optional<size_t> StimulusSet::indexOf(const std::string& id) const
{
    const auto it = m_index.find(id);
    if (it == m_index.end()) return std::nullopt;
    return it->second;
}

} // namespace alignscope
