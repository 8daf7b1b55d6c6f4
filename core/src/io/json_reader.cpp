// JSON documents are parsed by nlohmann-json; this file adds what our readers need on top: duplicate keys and
// nesting beyond kMaxDepth are errors, and errors name the file, line and column.
#include "alignscope/json_reader.h"

#include "alignscope/file_io.h"

#include <nlohmann/json.hpp>

#include <set>
#include <vector>

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

using Document = nlohmann::ordered_json;

// Thrown from the parser callback; carries the byte offset nlohmann does not give to callbacks.
struct StructureError
{
    std::string reason;
};

JsonValue convert(const Document& node)
{
    JsonValue value;
    switch (node.type()) {
    case Document::value_t::null:
        break;
    case Document::value_t::boolean:
        value.type = JsonValue::Type::Bool;
        value.boolean = node.get<bool>();
        break;
    case Document::value_t::number_integer:
    case Document::value_t::number_unsigned:
    case Document::value_t::number_float:
        value.type = JsonValue::Type::Number;
        value.number = node.get<double>();
        value.integral = !node.is_number_float();
        break;
    case Document::value_t::string:
        value.type = JsonValue::Type::String;
        value.string = node.get<std::string>();
        break;
    case Document::value_t::array:
        value.type = JsonValue::Type::Array;
        value.array.reserve(node.size());
        for (const auto& item : node)
            value.array.push_back(convert(item));
        break;
    case Document::value_t::object:
        value.type = JsonValue::Type::Object;
        value.object.reserve(node.size());
        for (const auto& [key, item] : node.items())
            value.object.emplace_back(key, convert(item));
        break;
    case Document::value_t::binary:
    case Document::value_t::discarded:
        break;
    }
    return value;
}

// "[json.exception.parse_error.101] parse error at line 1, column 5: reason" -> position and reason.
Error parseErrorOf(const std::string& what, const std::string& name)
{
    const std::string marker = " at line ";
    const size_t at = what.find(marker);
    const size_t colon = at == std::string::npos ? std::string::npos : what.find(": ", at);
    if (colon == std::string::npos) {
        const size_t bracket = what.find("] ");
        return makeError(name, "", bracket == std::string::npos ? what : what.substr(bracket + 2));
    }
    // nlohmann quotes the bytes it last read, which may be invalid UTF-8 or control characters: leave them
    // out.
    std::string reason = what.substr(colon + 2);
    if (const size_t lastRead = reason.find("; last read: "); lastRead != std::string::npos) {
        const size_t next = reason.find("; ", lastRead + 13);
        reason.erase(lastRead, next == std::string::npos ? std::string::npos : next - lastRead);
    }
    return makeError(name, what.substr(at + 4, colon - at - 4), reason);
}

} // namespace

Result<JsonValue> parseJson(const std::string& text, const std::string& nameForErrors)
{
    // Keys seen in each open object, innermost last.
    std::vector<std::set<std::string>> keys;
    auto check = [&](int depth, Document::parse_event_t event, Document& parsed) {
        using Event = Document::parse_event_t;
        if (depth > kMaxDepth)
            throw StructureError{"nesting is too deep (more than " + std::to_string(kMaxDepth) + " levels)"};
        if (event == Event::object_start)
            keys.emplace_back();
        else if (event == Event::object_end && !keys.empty())
            keys.pop_back();
        else if (event == Event::key && !keys.empty() &&
                 !keys.back().insert(parsed.get<std::string>()).second)
            throw StructureError{"duplicate key '" + parsed.get<std::string>() + "'"};
        return true;
    };
    try {
        const Document document = Document::parse(text, check);
        return convert(document);
    } catch (const StructureError& error) {
        return makeError(nameForErrors, "", error.reason);
    } catch (const Document::parse_error& error) {
        return parseErrorOf(error.what(), nameForErrors);
    } catch (const Document::exception& error) {
        return parseErrorOf(error.what(), nameForErrors);
    } catch (const std::bad_alloc&) {
        return makeError(nameForErrors, "", "out of memory while parsing");
    }
}

Result<JsonValue> readJsonFile(const std::string& path)
{
    auto bytes = readWholeFile(path, std::uint64_t(256) << 20);
    if (!bytes) return bytes.error();
    return parseJson(std::string(bytes->begin(), bytes->end()), path);
}

} // namespace alignscope
