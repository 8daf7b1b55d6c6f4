#pragma once
// JSON documents (RFC 8259, parsed by nlohmann-json) for manifests, cache entries and project files, as a
// plain value tree that keeps members in file order.

#include "alignscope/result.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace alignscope {

class JsonValue
{
public:
    enum class Type
    {
        Null,
        Bool,
        Number,
        String,
        Array,
        Object
    };

    Type type = Type::Null;
    bool boolean = false;
    double number = 0.0;
    bool integral = false; // a number written without fraction or exponent
    std::string string;
    std::vector<JsonValue> array;
    std::vector<std::pair<std::string, JsonValue>> object; // in file order; duplicate keys are a parse error

    bool isObject() const { return type == Type::Object; }
    bool isArray() const { return type == Type::Array; }
    bool isString() const { return type == Type::String; }
    bool isNumber() const { return type == Type::Number; }
    // The member named `key`, or nullptr (also when this is not an object).
    const JsonValue* find(const std::string& key) const;
    std::string stringOr(const std::string& key, const std::string& fallback = {}) const;
    double numberOr(const std::string& key, double fallback) const;
    bool boolOr(const std::string& key, bool fallback) const;
};

// Errors give "line L, column C" and name `nameForErrors`. Nesting deeper than 200 levels is refused.
Result<JsonValue> parseJson(const std::string& text, const std::string& nameForErrors);
Result<JsonValue> readJsonFile(const std::string& path);

} // namespace alignscope
