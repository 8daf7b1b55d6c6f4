#pragma once
// Command-line parsing shared by the subcommands, on CLI11: typed options with validated ranges, required
// options and generated --help. Numbers are checked strictly (no "1e3" for a count, no "inf" or "nan" for a
// real, no empty value), so a typo is an error that names the option instead of a silent 0.

#include "alignscope/result.h"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace alignscope::cli {

// A subcommand parser named "alignscope-cli <command>".
CLI::App makeApp(const std::string& command, const std::string& description);

// Parses `args` into `app`. Returns nullopt when the command should run; otherwise the exit code after
// printing
// --help on `out` (0) or one line naming the problem and the usage on `err` (2).
std::optional<int> parseArguments(CLI::App& app, const std::vector<std::string>& args, std::ostream& out,
                                  std::ostream& err);

// Validators applied to the option's text before conversion.
extern const CLI::Validator kFinite;   // a real number, not inf or nan
extern const CLI::Validator kInteger;  // optional '-' and decimal digits only (no 1e3, no 0x, not empty)
extern const CLI::Validator kUnsigned; // decimal digits only

// Adds a decimal integer option limited to [low, high].
CLI::Option* addInteger(CLI::App& app, const std::string& name, int& value, int low, int high,
                        const std::string& help);
CLI::Option* addSeed(CLI::App& app, std::uint64_t& seed, const std::string& help = "random seed");
// Adds a finite real option limited to [low, high], or (low, high] with `lowExclusive` (±infinity for an open
// end).
CLI::Option* addReal(CLI::App& app, const std::string& name, double& value, double low, double high,
                     const std::string& help, bool lowExclusive = false);
// --threads N: worker threads for the analysis (0 = every core).
CLI::Option* addThreads(CLI::App& app, int& threads);

// Prints the error as one line ("<file>: <position>: <reason>") and returns the failure exit code.
inline int fail(std::ostream& err, const Error& error)
{
    err << error.message() << "\n";
    return 1;
}

} // namespace alignscope::cli
