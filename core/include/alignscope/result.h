#pragma once
// Error values that cross the core boundary instead of exceptions.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace alignscope {

// Where and why reading or computing failed. `file` and `position` may be empty when they do not apply.
struct Error
{
    std::string file;
    std::string position; // e.g. "line 12", "byte 80", "variable 'judgments'"
    std::string reason;

    // One line: "<file>: <position>: <reason>", skipping empty parts.
    std::string message() const
    {
        std::string out;
        for (const std::string* part : {&file, &position, &reason}) {
            if (part->empty()) continue;
            if (!out.empty()) out += ": ";
            out += *part;
        }
        return out;
    }
};

inline Error makeError(std::string file, std::string position, std::string reason)
{
    return Error{std::move(file), std::move(position), std::move(reason)};
}

// A value or an Error (a small std::expected for C++17).
template <class T> class Result
{
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Error error) : m_state(std::move(error)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_state); }
    const T& value() const& { return std::get<0>(m_state); }
    T&& value() && { return std::get<0>(std::move(m_state)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<1>(m_state); }
    // The value, or `fallback` when this holds an error (for optional settings with a default).
    T valueOr(T fallback) const& { return ok() ? value() : std::move(fallback); }

private:
    std::variant<T, Error> m_state;
};

struct Unit
{
};

// Result of an operation that produces nothing but may fail.
using Status = Result<Unit>;
inline Status okStatus()
{
    return Unit{};
}

} // namespace alignscope
