#include "arguments.h"

namespace alignscope::cli {

Result<Arguments> Arguments::parse(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
                                   const std::set<std::string>& flags)
{
    Arguments parsed;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.rfind("--", 0) != 0 || arg == "--") {
            parsed.m_positional.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2);
        std::string inlineValue;
        const bool hasInline = name.find('=') != std::string::npos;
        if (hasInline) {
            inlineValue = name.substr(name.find('=') + 1);
            name = name.substr(0, name.find('='));
        }
        if (flags.count(name) && !hasInline) {
            parsed.m_flags.insert(name);
        } else if (valueOptions.count(name)) {
            if (!hasInline && i + 1 >= args.size()) return makeError("", "", "option --" + name + " needs a value");
            parsed.m_values[name].push_back(hasInline ? inlineValue : args[++i]);
        } else {
            return makeError("", "", "unknown option --" + name);
        }
    }
    return parsed;
}

std::string Arguments::value(const std::string& name, const std::string& fallback) const
{
    const auto it = m_values.find(name);
    return it == m_values.end() ? fallback : it->second.back();
}

std::vector<std::string> Arguments::values(const std::string& name) const
{
    const auto it = m_values.find(name);
    return it == m_values.end() ? std::vector<std::string>{} : it->second;
}

Result<std::string> Arguments::required(const std::string& name) const
{
    if (!m_values.count(name)) return makeError("", "", "missing required option --" + name);
    return value(name);
}

std::optional<int> usageExit(const Result<Arguments>& parsed, const std::string& command, const std::string& usage,
                             std::ostream& out, std::ostream& err, const std::function<bool(const Arguments&)>& complete)
{
    if (parsed && !parsed->has("help") && (!complete || complete(*parsed))) return std::nullopt;
    if (!parsed) err << "alignscope-cli " << command << ": " << parsed.error().message() << "\n";
    const bool help = parsed && parsed->has("help");
    (help ? out : err) << usage;
    return help ? 0 : 2;
}

} // namespace alignscope::cli
