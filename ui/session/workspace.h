#pragma once
// Everything the user has loaded, owned on the GUI thread.

#include "session/file_loader.h"

#include <QObject>
#include <vector>

class Workspace : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // Adds a loaded item; a new object set replaces the current one (triplets then refer to it).
    void add(LoadedItem item);

    const alignscope::StimulusSet* objects() const { return m_objects.get(); }
    std::shared_ptr<const alignscope::StimulusSet> sharedObjects() const { return m_objects; }
    const std::vector<LoadedItem>& items() const { return m_items; }

Q_SIGNALS:
    void changed();
    void objectsChanged();

private:
    std::shared_ptr<const alignscope::StimulusSet> m_objects;
    std::vector<LoadedItem> m_items;
};
