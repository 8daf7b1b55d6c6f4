#include "alignscope/json_writer.h"

#include <nlohmann/json.hpp>

namespace alignscope {

struct JsonWriter::Document
{
    nlohmann::ordered_json root;
    std::vector<nlohmann::ordered_json*> open; // innermost container last
    std::string key;
    bool hasKey = false;
    mutable std::string text;

    // Where the next value goes: the root, the open array's end or the open object's pending key.
    nlohmann::ordered_json& slot()
    {
        if (open.empty()) return root;
        nlohmann::ordered_json& container = *open.back();
        if (container.is_array()) {
            container.push_back(nullptr);
            return container.back();
        }
        hasKey = false;
        return container[key];
    }
};

JsonWriter::JsonWriter() : m_document(std::make_unique<Document>()) {}
JsonWriter::~JsonWriter() = default;

JsonWriter& JsonWriter::beginObject()
{
    nlohmann::ordered_json& slot = m_document->slot();
    slot = nlohmann::ordered_json::object();
    m_document->open.push_back(&slot);
    return *this;
}

JsonWriter& JsonWriter::beginArray()
{
    nlohmann::ordered_json& slot = m_document->slot();
    slot = nlohmann::ordered_json::array();
    m_document->open.push_back(&slot);
    return *this;
}

JsonWriter& JsonWriter::endObject()
{
    if (!m_document->open.empty()) m_document->open.pop_back();
    return *this;
}

JsonWriter& JsonWriter::endArray()
{
    return endObject();
}

JsonWriter& JsonWriter::key(const std::string& name)
{
    m_document->key = name;
    m_document->hasKey = true;
    return *this;
}

JsonWriter& JsonWriter::value(const std::string& text)
{
    m_document->slot() = text;
    return *this;
}

JsonWriter& JsonWriter::value(double number)
{
    m_document->slot() = number; // nlohmann writes NaN and infinities as null
    return *this;
}

JsonWriter& JsonWriter::value(std::int64_t number)
{
    m_document->slot() = number;
    return *this;
}

JsonWriter& JsonWriter::value(bool flag)
{
    m_document->slot() = flag;
    return *this;
}

JsonWriter& JsonWriter::null()
{
    m_document->slot() = nullptr;
    return *this;
}

JsonWriter& JsonWriter::stringArray(const std::vector<std::string>& items)
{
    m_document->slot() = items;
    return *this;
}

const std::string& JsonWriter::text() const
{
    m_document->text =
        m_document->root.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    return m_document->text;
}

} // namespace alignscope
