#pragma once
// Helpers for benchmarks: wall time, peak resident memory, and running the Python reference.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

namespace bench {

inline double seconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Resident-set figures from /proc/self/status, in bytes ("VmRSS", "VmHWM").
inline std::uint64_t statusBytes(const std::string& key)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind(key + ":", 0) == 0) return std::stoull(line.substr(key.size() + 1)) * 1024;
    return 0;
}

// Resets the peak (VmHWM) to the current RSS, so a later read gives the peak of what follows.
inline void resetPeak()
{
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
}

// Runs a command and returns its standard output.
inline std::string capture(const std::string& command)
{
    std::string out;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        char buffer[4096];
        size_t n;
        while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
            out.append(buffer, n);
        ::pclose(pipe);
    }
    return out;
}

// Value of "key": number in a flat JSON object, or -1.
inline double jsonNumber(const std::string& json, const std::string& key)
{
    const auto at = json.find("\"" + key + "\"");
    if (at == std::string::npos) return -1;
    return std::stod(json.substr(json.find(':', at) + 1));
}

} // namespace bench
