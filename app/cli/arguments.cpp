#include "arguments.h"

#include "alignscope/number_text.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace alignscope::cli {

namespace {

bool allDigits(const std::string& text, size_t from)
{
    return text.size() > from && std::all_of(text.begin() + std::ptrdiff_t(from), text.end(),
                                             [](char c) { return c >= '0' && c <= '9'; });
}

// CLI11 converts with base 0, so "010" would be octal: drop leading zeros.
void stripLeadingZeros(std::string& text, size_t from)
{
    const size_t first = text.find_first_not_of('0', from);
    if (first == std::string::npos)
        text.erase(from + 1);
    else
        text.erase(from, first - from);
}

std::string describeRange(double low, double high, bool lowExclusive = false)
{
    auto text = [](double v) {
        std::string s = std::to_string(v);
        s.erase(s.find_last_not_of('0') + 1);
        if (!s.empty() && s.back() == '.') s.pop_back();
        return s;
    };
    if (lowExclusive && std::isinf(high)) return "greater than " + text(low);
    if (lowExclusive) return "greater than " + text(low) + " and at most " + text(high);
    if (std::isinf(high)) return "at least " + text(low);
    if (std::isinf(low)) return "at most " + text(high);
    return "from " + text(low) + " to " + text(high);
}

} // namespace

const CLI::Validator kFinite(
    [](std::string& text) -> std::string {
        if (parseFiniteNumber(text)) return {};
        double value = 0; // a number after all, but not a finite one?
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        const bool number = !text.empty() && end == text.data() + text.size() &&
                            (error == std::errc() || error == std::errc::result_out_of_range); // 1e400
        return "'" + text + "' is not " + (number ? "a finite number" : "a number");
    },
    "", "finite");

const CLI::Validator kInteger(
    [](std::string& text) -> std::string {
        const size_t from = !text.empty() && text[0] == '-' ? 1 : 0;
        if (!allDigits(text, from)) return "'" + text + "' is not a whole number";
        stripLeadingZeros(text, from);
        return {};
    },
    "", "integer");

const CLI::Validator kUnsigned(
    [](std::string& text) -> std::string {
        if (!allDigits(text, 0)) return "'" + text + "' is not a non-negative whole number";
        stripLeadingZeros(text, 0);
        return {};
    },
    "", "unsigned");

CLI::App makeApp(const std::string& command, const std::string& description)
{
    return CLI::App(description,
                    "alignscope-cli " + command); // a prvalue: CLI::App cannot be copied or moved
}

std::optional<int> parseArguments(CLI::App& app, const std::vector<std::string>& args, std::ostream& out,
                                  std::ostream& err)
{
    app.get_formatter()->column_width(34);
    std::vector<std::string> reversed(args.rbegin(), args.rend()); // CLI11 takes the arguments last first
    try {
        app.parse(reversed);
        return std::nullopt;
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        return 0;
    } catch (const CLI::ParseError& error) {
        err << app.get_name() << ": " << error.what() << "\nRun '" << app.get_name()
            << " --help' for the options.\n";
        return 2;
    }
}

CLI::Option* addInteger(CLI::App& app, const std::string& name, int& value, int low, int high,
                        const std::string& help)
{
    return app.add_option(name, value, help + " (" + describeRange(low, high) + ")")
        ->capture_default_str()
        ->check(kInteger)
        ->check(CLI::Validator(
            [low, high, name](std::string& text) -> std::string {
                errno = 0;
                const long long v = std::strtoll(text.c_str(), nullptr, 10);
                if (errno == ERANGE || v < low || v > high)
                    return "must be " + describeRange(low, high) + " (got " + text + ")";
                return {};
            },
            "", "range"));
}

CLI::Option* addSeed(CLI::App& app, std::uint64_t& seed, const std::string& help)
{
    return app.add_option("--seed", seed, help)
        ->capture_default_str()
        ->check(kUnsigned)
        ->check(CLI::Validator(
            [](std::string& text) -> std::string {
                errno = 0;
                std::strtoull(text.c_str(), nullptr, 10);
                return errno == ERANGE ? "'" + text + "' does not fit in 64 bits" : std::string();
            },
            "", "uint64"));
}

CLI::Option* addReal(CLI::App& app, const std::string& name, double& value, double low, double high,
                     const std::string& help, bool lowExclusive)
{
    return app.add_option(name, value, help)
        ->capture_default_str()
        ->check(kFinite)
        ->check(CLI::Validator(
            [low, high, lowExclusive](std::string& text) -> std::string {
                const double v = parseFiniteNumber(text).value_or(std::nan(""));
                if (!((lowExclusive ? v > low : v >= low) && v <= high))
                    return "must be " + describeRange(low, high, lowExclusive) + " (got " + text + ")";
                return {};
            },
            "", "range"));
}

CLI::Option* addThreads(CLI::App& app, int& threads)
{
    return addInteger(app, "--threads", threads, 0, 4096, "worker threads, 0 = every core");
}

} // namespace alignscope::cli
