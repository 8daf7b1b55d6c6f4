#include "npy_header.h"

#include <cctype>

namespace alignscope {

namespace {

class HeaderScanner
{
public:
    HeaderScanner(const std::string& text, const std::string& name, size_t offset)
        : m_text(text), m_name(name), m_offset(offset)
    {
    }

    Error error(const std::string& reason) const
    {
        return makeError(m_name, "header byte " + std::to_string(m_offset + m_pos), reason);
    }
    void skipSpace()
    {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos])))
            ++m_pos;
    }
    bool accept(char c)
    {
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }
    bool peek(char c)
    {
        skipSpace();
        return m_pos < m_text.size() && m_text[m_pos] == c;
    }
    Result<std::string> quoted()
    {
        skipSpace();
        if (m_pos >= m_text.size() || (m_text[m_pos] != '\'' && m_text[m_pos] != '"'))
            return error("expected a quoted string");
        const char quote = m_text[m_pos++];
        const size_t end = m_text.find(quote, m_pos);
        if (end == std::string::npos) return error("unterminated string");
        std::string out = m_text.substr(m_pos, end - m_pos);
        m_pos = end + 1;
        return out;
    }
    Result<bool> boolean()
    {
        skipSpace();
        for (const auto& [word, value] : {std::pair{"True", true}, std::pair{"False", false}}) {
            const std::string w = word;
            if (m_text.compare(m_pos, w.size(), w) == 0) {
                m_pos += w.size();
                return value;
            }
        }
        return error("expected True or False");
    }
    Result<std::vector<std::int64_t>> tuple()
    {
        if (!accept('(')) return error("expected a shape tuple");
        std::vector<std::int64_t> dims;
        while (!accept(')')) {
            skipSpace();
            std::int64_t value = 0;
            size_t digits = 0;
            while (m_pos < m_text.size() && std::isdigit(static_cast<unsigned char>(m_text[m_pos]))) {
                if (value > (std::int64_t(1) << 50)) return error("shape dimension too large");
                value = value * 10 + (m_text[m_pos++] - '0');
                ++digits;
            }
            skipSpace();
            if (m_pos < m_text.size() && m_text[m_pos] == 'L') ++m_pos; // Python 2 long suffix
            if (digits == 0) return error("expected a non-negative integer in the shape");
            if (dims.size() >= 32) return error("too many dimensions");
            dims.push_back(value);
            if (!accept(',') && !peek(')')) return error("expected ',' or ')' in the shape");
        }
        return dims;
    }
    bool atEnd()
    {
        skipSpace();
        return m_pos >= m_text.size();
    }

private:
    const std::string& m_text;
    const std::string& m_name;
    size_t m_offset;
    size_t m_pos = 0;
};

Status interpretDescr(NpyHeader& header, HeaderScanner& scanner)
{
    const std::string& d = header.descr;
    const auto unsupported = [&](const char* why) {
        return Status(scanner.error("unsupported dtype '" + d + "' (" + why +
                                    "; supported: f2 f4 f8 i1-i8 u1-u8 b1 U S)"));
    };
    if (d.size() < 3) return unsupported("too short");
    const char order = d[0];
    if (order != '<' && order != '>' && order != '|' && order != '=') return unsupported("byte order");
    header.bigEndian = order == '>';
    header.kind = d[1];
    long long width = 0;
    for (size_t i = 2; i < d.size(); ++i) {
        if (d[i] < '0' || d[i] > '9' || width > 100000) return unsupported("width");
        width = width * 10 + (d[i] - '0');
    }
    if (header.kind == 'U' || header.kind == 'S') { // fixed-width text: UTF-32 code units or bytes
        if (width < 1) return unsupported("width");
        header.itemSize = static_cast<int>(header.kind == 'U' ? width * 4 : width);
        return okStatus();
    }
    if (width != 1 && width != 2 && width != 4 && width != 8) return unsupported("width");
    header.itemSize = static_cast<int>(width);
    const bool supported = (header.kind == 'f' && header.itemSize >= 2) || header.kind == 'i' ||
                           header.kind == 'u' || (header.kind == 'b' && header.itemSize == 1);
    if (!supported) return unsupported("kind");
    return okStatus();
}

} // namespace

Result<NpyHeader> parseNpyHeader(const std::string& text, const std::string& name, size_t byteOffset)
{
    HeaderScanner scanner(text, name, byteOffset);
    NpyHeader header;
    bool haveDescr = false, haveOrder = false, haveShape = false;
    if (!scanner.accept('{')) return scanner.error("header is not a dictionary");
    while (!scanner.accept('}')) {
        auto key = scanner.quoted();
        if (!key) return key.error();
        if (!scanner.accept(':')) return scanner.error("expected ':' after key '" + *key + "'");
        if (*key == "descr") {
            if (scanner.peek('[')) return scanner.error("structured dtypes are not supported");
            auto descr = scanner.quoted();
            if (!descr) return descr.error();
            header.descr = *descr;
            haveDescr = true;
        } else if (*key == "fortran_order") {
            auto order = scanner.boolean();
            if (!order) return order.error();
            header.fortranOrder = *order;
            haveOrder = true;
        } else if (*key == "shape") {
            auto shape = scanner.tuple();
            if (!shape) return shape.error();
            header.shape = *shape;
            haveShape = true;
        } else {
            return scanner.error("unexpected header key '" + *key + "'");
        }
        if (!scanner.accept(',') && !scanner.peek('}')) return scanner.error("expected ',' or '}'");
    }
    if (!scanner.atEnd()) return scanner.error("unexpected text after the header dictionary");
    if (!haveDescr || !haveOrder || !haveShape)
        return scanner.error("header lacks one of 'descr', 'fortran_order', 'shape'");
    auto status = interpretDescr(header, scanner);
    if (!status) return status.error();
    header.shapeText = "(";
    for (size_t i = 0; i < header.shape.size(); ++i)
        header.shapeText += (i ? ", " : "") + std::to_string(header.shape[i]);
    header.shapeText += ")";
    return header;
}

} // namespace alignscope
