#include "session/workspace.h"

void Workspace::add(LoadedItem item)
{
    if (item.kind == LoadedItem::Kind::Failed) return;
    std::vector<LoadedItem> extra = std::move(item.extra);
    const bool newObjects = item.kind == LoadedItem::Kind::Objects;
    if (newObjects) {
        m_objects = item.objects;
        // Triplets index the previous object set; they no longer apply.
        m_items.erase(std::remove_if(m_items.begin(), m_items.end(),
                                     [](const LoadedItem& i) {
                                         return i.kind == LoadedItem::Kind::Triplets ||
                                                i.kind == LoadedItem::Kind::Objects;
                                     }),
                      m_items.end());
    }
    m_items.push_back(std::move(item));
    for (auto& e : extra)
        m_items.push_back(std::move(e));
    if (newObjects) Q_EMIT objectsChanged();
    Q_EMIT changed();
}
