#pragma once
// Builds a JSON document member by member (keys in insertion order) and serialises it with nlohmann-json:
// doubles round-trip, NaN and infinities are written as null, invalid UTF-8 in strings becomes U+FFFD.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace alignscope {

class JsonWriter
{
public:
    JsonWriter();
    ~JsonWriter();
    JsonWriter(const JsonWriter&) = delete;
    JsonWriter& operator=(const JsonWriter&) = delete;

    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    JsonWriter& key(const std::string& name);
    JsonWriter& value(const std::string& text);
    JsonWriter& value(const char* text) { return value(std::string(text)); }
    JsonWriter& value(double number);
    JsonWriter& value(std::int64_t number);
    JsonWriter& value(int number) { return value(std::int64_t(number)); }
    JsonWriter& value(size_t number) { return value(std::int64_t(number)); }
    JsonWriter& value(bool flag);
    JsonWriter& null();
    JsonWriter& stringArray(const std::vector<std::string>& items);

    // The document so far, compact, on one line.
    const std::string& text() const;

private:
    struct Document;
    std::unique_ptr<Document> m_document;
};

} // namespace alignscope
