#include "alignscope/text_matrix.h"

#include "alignscope/file_io.h"
#include "text_lines.h"

#include <charconv>
#include <cmath>
#include <unordered_map>

namespace alignscope {

const char* delimiterName(Delimiter delimiter)
{
    switch (delimiter) {
    case Delimiter::Auto:
        return "auto";
    case Delimiter::Whitespace:
        return "whitespace";
    case Delimiter::Comma:
        return "comma";
    case Delimiter::Tab:
        return "tab";
    case Delimiter::Semicolon:
        return "semicolon";
    }
    return "?";
}

namespace {

bool isComment(std::string_view line)
{
    return !line.empty() && (line[0] == '#' || line[0] == '%');
}

Delimiter guessDelimiter(std::string_view line)
{
    if (line.find('\t') != std::string_view::npos) return Delimiter::Tab;
    if (line.find(',') != std::string_view::npos) return Delimiter::Comma;
    if (line.find(';') != std::string_view::npos) return Delimiter::Semicolon;
    return Delimiter::Whitespace;
}

std::vector<std::string_view> splitFields(std::string_view line, Delimiter delimiter)
{
    std::vector<std::string_view> fields;
    if (delimiter == Delimiter::Whitespace) {
        size_t pos = 0;
        while (pos < line.size()) {
            while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t'))
                ++pos;
            const size_t start = pos;
            while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t')
                ++pos;
            if (pos > start) fields.push_back(line.substr(start, pos - start));
        }
        return fields;
    }
    const char separator = delimiter == Delimiter::Comma ? ',' : delimiter == Delimiter::Tab ? '\t' : ';';
    size_t start = 0;
    while (true) {
        const size_t end = line.find(separator, start);
        fields.push_back(trimView(
            line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start)));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return fields;
}

std::string unquote(std::string_view field)
{
    if (field.size() >= 2 && field.front() == '"' && field.back() == '"')
        field = field.substr(1, field.size() - 2);
    return std::string(field);
}

} // namespace

bool parseNumber(std::string_view token, double& value)
{
    if (!token.empty() && token.front() == '+') token.remove_prefix(1);
    if (token.empty()) return false;
    const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
    return error == std::errc() && end == token.data() + token.size();
}

Result<TextMatrix> parseTextMatrix(const std::string& text, const std::string& name,
                                   const TextMatrixOptions& options, const TaskContext& context)
{
    if (const auto bad = firstInvalidUtf8(text); bad >= 0)
        return makeError(name, "byte " + std::to_string(bad), "invalid UTF-8");
    TextMatrix matrix;
    matrix.delimiter = options.delimiter;
    std::vector<double> values;
    std::int64_t columns = -1;
    std::vector<std::string_view> fields;
    LineCursor cursor(text);
    std::string_view line;
    while (cursor.next(line)) {
        if ((cursor.lineNumber() & 0xffff) == 0) {
            if (context.cancelled()) return makeError(name, "", "cancelled");
            context.report(double(cursor.offset()) / double(text.size()), "reading " + name);
        }
        line = trimView(line);
        if (line.empty() || isComment(line)) continue;
        if (matrix.delimiter == Delimiter::Auto) matrix.delimiter = guessDelimiter(line);
        fields = splitFields(line, matrix.delimiter);
        const std::string where = "line " + std::to_string(cursor.lineNumber());
        if (columns < 0) {
            // A header is a row of names: no field of it is a number. A row with some numbers and a bad field
            // ("0 1 x") is a data row with an error, not a header.
            double probe;
            bool names = true;
            for (auto field : fields)
                names = names && !field.empty() && !parseNumber(field, probe);
            columns = static_cast<std::int64_t>(fields.size());
            if (names) {
                for (auto field : fields)
                    matrix.header.push_back(unquote(field));
                continue;
            }
        }
        if (static_cast<std::int64_t>(fields.size()) != columns)
            return makeError(name, where,
                             "expected " + std::to_string(columns) + " columns, found " +
                                 std::to_string(fields.size()));
        for (size_t c = 0; c < fields.size(); ++c) {
            double value;
            if (!parseNumber(fields[c], value))
                return makeError(name, where + ", column " + std::to_string(c + 1),
                                 "not a number: '" + std::string(fields[c].substr(0, 40)) + "'");
            if (!std::isfinite(value)) {
                if (!options.allowNonFinite)
                    return makeError(name, where + ", column " + std::to_string(c + 1),
                                     "non-finite value '" + std::string(fields[c]) + "' (NaN or infinity)");
                ++matrix.nonFiniteCount;
            }
            values.push_back(value);
        }
    }
    if (values.empty()) return makeError(name, "", "no numeric data rows");
    matrix.values.kind = ElementKind::Float64;
    matrix.values.sourceDtype = "text";
    matrix.values.shape = {static_cast<std::int64_t>(values.size()) / columns, columns};
    matrix.values.f64 = std::move(values);
    return matrix;
}

Result<TextMatrix> readTextMatrix(const std::string& path, const TextMatrixOptions& options,
                                  const TaskContext& context)
{
    auto bytes = readWholeFile(path);
    if (!bytes) return bytes.error();
    return parseTextMatrix(std::string(bytes->begin(), bytes->end()), path, options, context);
}

Result<std::vector<std::string>> parseIdList(const std::string& text, const std::string& name)
{
    if (const auto bad = firstInvalidUtf8(text); bad >= 0)
        return makeError(name, "byte " + std::to_string(bad), "invalid UTF-8");
    std::vector<std::string> ids;
    std::unordered_map<std::string_view, size_t> seen;
    LineCursor cursor(text);
    std::string_view line;
    while (cursor.next(line)) {
        line = trimView(line);
        if (line.empty()) continue;
        const auto [it, inserted] = seen.emplace(line, cursor.lineNumber());
        if (!inserted)
            return makeError(name, "line " + std::to_string(cursor.lineNumber()),
                             "duplicate ID '" + std::string(line) + "' (first on line " +
                                 std::to_string(it->second) + ")");
        ids.emplace_back(line);
    }
    if (ids.empty()) return makeError(name, "", "no IDs in the file");
    return ids;
}

Result<std::vector<std::string>> readIdList(const std::string& path)
{
    auto bytes = readWholeFile(path, std::uint64_t(1) << 30);
    if (!bytes) return bytes.error();
    return parseIdList(std::string(bytes->begin(), bytes->end()), path);
}

std::int64_t firstInvalidUtf8(const std::string& text)
{
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        size_t extra = 0;
        std::uint32_t minimum = 0;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if ((c & 0xe0) == 0xc0) {
            extra = 1;
            minimum = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            extra = 2;
            minimum = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            extra = 3;
            minimum = 0x10000;
        } else
            return static_cast<std::int64_t>(i);
        if (i + extra >= n) return static_cast<std::int64_t>(i);
        std::uint32_t code = c & (0x3f >> extra);
        for (size_t k = 1; k <= extra; ++k) {
            if ((s[i + k] & 0xc0) != 0x80) return static_cast<std::int64_t>(i);
            code = (code << 6) | (s[i + k] & 0x3f);
        }
        if (code < minimum || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
            return static_cast<std::int64_t>(i);
        i += extra + 1;
    }
    return -1;
}

} // namespace alignscope
