#pragma once
// Minimal streaming JSON writer (keys in insertion order, doubles round-trip).

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace alignscope {

class JsonWriter
{
public:
    JsonWriter& beginObject() { return open('{'); }
    JsonWriter& endObject() { return close('}'); }
    JsonWriter& beginArray() { return open('['); }
    JsonWriter& endArray() { return close(']'); }

    JsonWriter& key(const std::string& name)
    {
        separator();
        appendString(name);
        m_out += ':';
        m_afterKey = true;
        return *this;
    }
    JsonWriter& value(const std::string& text)
    {
        separator();
        appendString(text);
        return *this;
    }
    JsonWriter& value(const char* text) { return value(std::string(text)); }
    JsonWriter& value(double number)
    {
        separator();
        if (!std::isfinite(number)) {
            m_out += "null";
        } else {
            char buffer[32];
            std::snprintf(buffer, sizeof buffer, "%.17g", number);
            m_out += buffer;
        }
        return *this;
    }
    JsonWriter& value(std::int64_t number)
    {
        separator();
        m_out += std::to_string(number);
        return *this;
    }
    JsonWriter& value(int number) { return value(std::int64_t(number)); }
    JsonWriter& value(size_t number) { return value(std::int64_t(number)); }
    JsonWriter& value(bool flag)
    {
        separator();
        m_out += flag ? "true" : "false";
        return *this;
    }
    JsonWriter& null()
    {
        separator();
        m_out += "null";
        return *this;
    }
    JsonWriter& stringArray(const std::vector<std::string>& items)
    {
        beginArray();
        for (const auto& item : items) value(item);
        return endArray();
    }

    const std::string& text() const { return m_out; }

private:
    JsonWriter& open(char bracket)
    {
        separator();
        m_out += bracket;
        m_first.push_back(true);
        return *this;
    }
    JsonWriter& close(char bracket)
    {
        m_out += bracket;
        m_first.pop_back();
        return *this;
    }
    void separator()
    {
        if (m_afterKey) {
            m_afterKey = false;
            return;
        }
        if (!m_first.empty()) {
            if (!m_first.back()) m_out += ',';
            m_first.back() = false;
        }
    }
    void appendString(const std::string& text)
    {
        m_out += '"';
        for (const unsigned char c : text) {
            switch (c) {
            case '"': m_out += "\\\""; break;
            case '\\': m_out += "\\\\"; break;
            case '\n': m_out += "\\n"; break;
            case '\r': m_out += "\\r"; break;
            case '\t': m_out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
                    m_out += buffer;
                } else {
                    m_out += static_cast<char>(c);
                }
            }
        }
        m_out += '"';
    }

    std::string m_out;
    std::vector<bool> m_first;
    bool m_afterKey = false;
};

} // namespace alignscope
