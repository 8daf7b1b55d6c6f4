#pragma once
// Line iteration over an in-memory text (private helper for the text readers).

#include <cstdint>
#include <string_view>
#include <unordered_map>

namespace alignscope {

inline std::string_view trimView(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

// Splits on '\n' (a trailing '\r' is kept; callers trim). Line numbers are 1-based.
class LineCursor
{
public:
    explicit LineCursor(std::string_view text) : m_text(text)
    {
        if (m_text.size() >= 3 && m_text.substr(0, 3) == "\xEF\xBB\xBF") m_pos = 3; // UTF-8 byte order mark
    }
    bool next(std::string_view& line)
    {
        if (m_pos >= m_text.size()) return false;
        const size_t end = m_text.find('\n', m_pos);
        const size_t stop = end == std::string_view::npos ? m_text.size() : end;
        line = m_text.substr(m_pos, stop - m_pos);
        m_pos = stop + 1;
        ++m_line;
        return true;
    }
    std::int64_t lineNumber() const { return m_line; }
    size_t offset() const { return m_pos; }

private:
    std::string_view m_text;
    size_t m_pos = 0;
    std::int64_t m_line = 0;
};

// Strict decimal/float parse of a whole token (locale-independent); accepts nan/inf spellings.
bool parseNumber(std::string_view token, double& value);

} // namespace alignscope
