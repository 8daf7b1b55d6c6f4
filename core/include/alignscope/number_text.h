#pragma once
// Numbers as text, the same in every locale (std::from_chars / std::to_chars): the C library's strtod and
// printf follow LC_NUMERIC, which Qt sets to the user's locale in the GUI ("0.5" is not a number under
// de_DE.UTF-8 there).

#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>

namespace alignscope {

// A finite decimal or scientific number, '.' as the decimal point, an optional leading '+' or '-', nothing
// around it: no spaces, no hexadecimal, no inf or nan.
inline std::optional<double> parseFiniteNumber(std::string_view text)
{
    if (text.size() > 1 && text[0] == '+' && text[1] != '-') text.remove_prefix(1);
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

} // namespace alignscope
