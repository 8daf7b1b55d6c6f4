#include "alignscope/json_reader.h"

#include "alignscope/file_io.h"
#include "alignscope/text_matrix.h"

#include <cmath>
#include <cstdlib>
#include <set>

namespace alignscope {

const JsonValue* JsonValue::find(const std::string& key) const
{
    for (const auto& [name, value] : object)
        if (name == key) return &value;
    return nullptr;
}

std::string JsonValue::stringOr(const std::string& key, const std::string& fallback) const
{
    const JsonValue* value = find(key);
    return value && value->isString() ? value->string : fallback;
}

double JsonValue::numberOr(const std::string& key, double fallback) const
{
    const JsonValue* value = find(key);
    return value && value->isNumber() ? value->number : fallback;
}

bool JsonValue::boolOr(const std::string& key, bool fallback) const
{
    const JsonValue* value = find(key);
    return value && value->type == Type::Bool ? value->boolean : fallback;
}

namespace {

constexpr int kMaxDepth = 200;

class Parser
{
public:
    Parser(const std::string& text, const std::string& name) : m_text(text), m_name(name) {}

    Result<JsonValue> document()
    {
        JsonValue value;
        if (!parseValue(value, 0)) return m_error;
        skipSpace();
        if (m_pos != m_text.size()) return fail("unexpected text after the JSON value");
        return value;
    }

private:
    Error fail(const std::string& reason)
    {
        size_t line = 1, column = 1;
        for (size_t i = 0; i < m_pos && i < m_text.size(); ++i) {
            if (m_text[i] == '\n') { ++line; column = 1; } else ++column;
        }
        m_error = makeError(m_name, "line " + std::to_string(line) + ", column " + std::to_string(column), reason);
        return m_error;
    }
    bool failed(const std::string& reason)
    {
        fail(reason);
        return false;
    }
    void skipSpace()
    {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n' || m_text[m_pos] == '\r')) ++m_pos;
    }
    bool literal(const char* word)
    {
        const std::string w(word);
        if (m_text.compare(m_pos, w.size(), w) != 0) return false;
        m_pos += w.size();
        return true;
    }

    bool parseValue(JsonValue& out, int depth)
    {
        if (depth > kMaxDepth) return failed("nesting is too deep");
        skipSpace();
        if (m_pos >= m_text.size()) return failed("unexpected end of input");
        const char c = m_text[m_pos];
        if (c == '{') return parseObject(out, depth);
        if (c == '[') return parseArray(out, depth);
        if (c == '"') { out.type = JsonValue::Type::String; return parseString(out.string); }
        if (literal("true")) { out.type = JsonValue::Type::Bool; out.boolean = true; return true; }
        if (literal("false")) { out.type = JsonValue::Type::Bool; return true; }
        if (literal("null")) { out.type = JsonValue::Type::Null; return true; }
        return parseNumber(out);
    }

    bool parseNumber(JsonValue& out)
    {
        const size_t start = m_pos;
        if (m_pos < m_text.size() && m_text[m_pos] == '-') ++m_pos;
        auto digits = [&] { size_t n = 0; while (m_pos < m_text.size() && std::isdigit((unsigned char)m_text[m_pos])) { ++m_pos; ++n; } return n; };
        if (m_pos < m_text.size() && m_text[m_pos] == '0') ++m_pos;
        else if (digits() == 0) return failed("expected a value");
        if (m_pos < m_text.size() && m_text[m_pos] == '.') { ++m_pos; if (digits() == 0) return failed("expected digits after '.'"); }
        if (m_pos < m_text.size() && (m_text[m_pos] == 'e' || m_text[m_pos] == 'E')) {
            ++m_pos;
            if (m_pos < m_text.size() && (m_text[m_pos] == '+' || m_text[m_pos] == '-')) ++m_pos;
            if (digits() == 0) return failed("expected an exponent");
        }
        out.type = JsonValue::Type::Number;
        out.number = std::strtod(m_text.substr(start, m_pos - start).c_str(), nullptr);
        if (!std::isfinite(out.number)) return failed("number out of range");
        return true;
    }

    static void appendUtf8(std::string& out, std::uint32_t code)
    {
        if (code < 0x80) out += char(code);
        else if (code < 0x800) { out += char(0xc0 | (code >> 6)); out += char(0x80 | (code & 0x3f)); }
        else if (code < 0x10000) { out += char(0xe0 | (code >> 12)); out += char(0x80 | ((code >> 6) & 0x3f)); out += char(0x80 | (code & 0x3f)); }
        else { out += char(0xf0 | (code >> 18)); out += char(0x80 | ((code >> 12) & 0x3f)); out += char(0x80 | ((code >> 6) & 0x3f)); out += char(0x80 | (code & 0x3f)); }
    }
    bool hex4(std::uint32_t& code)
    {
        if (m_pos + 4 > m_text.size()) return false;
        code = 0;
        for (int i = 0; i < 4; ++i) {
            const char h = m_text[m_pos++];
            code <<= 4;
            if (h >= '0' && h <= '9') code |= std::uint32_t(h - '0');
            else if (h >= 'a' && h <= 'f') code |= std::uint32_t(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') code |= std::uint32_t(h - 'A' + 10);
            else return false;
        }
        return true;
    }
    bool parseString(std::string& out)
    {
        ++m_pos; // opening quote
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) return failed("control character in a string");
            if (c != '\\') { out += c; continue; }
            if (m_pos >= m_text.size()) break;
            const char e = m_text[m_pos++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                std::uint32_t code = 0;
                if (!hex4(code)) return failed("bad \\u escape");
                if (code >= 0xd800 && code < 0xdc00) {
                    std::uint32_t low = 0;
                    if (!literal("\\u") || !hex4(low) || low < 0xdc00 || low >= 0xe000) return failed("unpaired surrogate");
                    code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                } else if (code >= 0xdc00 && code < 0xe000) {
                    return failed("unpaired surrogate");
                }
                appendUtf8(out, code);
                break;
            }
            default: return failed("bad escape");
            }
        }
        return failed("unterminated string");
    }

    bool parseArray(JsonValue& out, int depth)
    {
        out.type = JsonValue::Type::Array;
        ++m_pos;
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == ']') { ++m_pos; return true; }
        for (;;) {
            out.array.emplace_back();
            if (!parseValue(out.array.back(), depth + 1)) return false;
            skipSpace();
            if (m_pos < m_text.size() && m_text[m_pos] == ',') { ++m_pos; continue; }
            if (m_pos < m_text.size() && m_text[m_pos] == ']') { ++m_pos; return true; }
            return failed("expected ',' or ']'");
        }
    }

    bool parseObject(JsonValue& out, int depth)
    {
        out.type = JsonValue::Type::Object;
        ++m_pos;
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == '}') { ++m_pos; return true; }
        std::set<std::string> keys;
        for (;;) {
            skipSpace();
            if (m_pos >= m_text.size() || m_text[m_pos] != '"') return failed("expected a key string");
            std::string key;
            if (!parseString(key)) return false;
            if (!keys.insert(key).second) return failed("duplicate key '" + key + "'");
            skipSpace();
            if (m_pos >= m_text.size() || m_text[m_pos] != ':') return failed("expected ':'");
            ++m_pos;
            out.object.emplace_back(std::move(key), JsonValue{});
            if (!parseValue(out.object.back().second, depth + 1)) return false;
            skipSpace();
            if (m_pos < m_text.size() && m_text[m_pos] == ',') { ++m_pos; continue; }
            if (m_pos < m_text.size() && m_text[m_pos] == '}') { ++m_pos; return true; }
            return failed("expected ',' or '}'");
        }
    }

    const std::string& m_text;
    const std::string& m_name;
    size_t m_pos = 0;
    Error m_error;
};

} // namespace

Result<JsonValue> parseJson(const std::string& text, const std::string& nameForErrors)
{
    if (const std::int64_t bad = firstInvalidUtf8(text); bad >= 0)
        return makeError(nameForErrors, "byte " + std::to_string(bad), "invalid UTF-8");
    return Parser(text, nameForErrors).document();
}

Result<JsonValue> readJsonFile(const std::string& path)
{
    auto bytes = readWholeFile(path, std::uint64_t(256) << 20);
    if (!bytes) return bytes.error();
    return parseJson(std::string(bytes->begin(), bytes->end()), path);
}

} // namespace alignscope
