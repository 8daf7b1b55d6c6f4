#pragma once
// Command-line parsing shared by the subcommands: "--name value" options, repeated options, flags.

#include "alignscope/result.h"

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace alignscope::cli {

class Arguments
{
public:
    // `valueOptions` take a value; `flags` do not. Anything else starting with "--" is an error.
    static Result<Arguments> parse(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
                                   const std::set<std::string>& flags);

    bool has(const std::string& name) const { return m_values.count(name) || m_flags.count(name); }
    std::string value(const std::string& name, const std::string& fallback = {}) const;
    std::vector<std::string> values(const std::string& name) const;
    const std::vector<std::string>& positional() const { return m_positional; }
    Result<std::string> required(const std::string& name) const;

private:
    std::map<std::string, std::vector<std::string>> m_values;
    std::set<std::string> m_flags;
    std::vector<std::string> m_positional;
};

// The start every subcommand shares: a parse error, --help, or arguments that `complete` rejects print the usage
// (--help on `out` with exit code 0, the others on `err` with exit code 2, a parse error first as one line).
// Returns that exit code, or nullopt when the command should run.
std::optional<int> usageExit(const Result<Arguments>& parsed, const std::string& command, const std::string& usage,
                             std::ostream& out, std::ostream& err, const std::function<bool(const Arguments&)>& complete = {});

// Prints the error as one line ("<file>: <position>: <reason>") and returns the failure exit code.
inline int fail(std::ostream& err, const Error& error)
{
    err << error.message() << "\n";
    return 1;
}

} // namespace alignscope::cli
