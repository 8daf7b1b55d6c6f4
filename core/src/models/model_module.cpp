#include "model_module.h"
#include "alignscope/file_io.h"

#include "alignscope/version.h"

#include <dlfcn.h>
#include <filesystem>
#include <mutex>
#include <unistd.h>

namespace alignscope::detail {

namespace {

std::mutex g_mutex;
const ModelModuleApi* g_api = nullptr;
std::string g_path;
std::string g_failure; // why the first attempt failed: later calls report the same without retrying
double g_timeoutSeconds = 0;
std::function<void(const std::string&)> g_onExpiry;

// Where to look, first match wins: $ALIGNSCOPE_MODEL_MODULE; beside the program and in ../lib/alignscope (an
// installed or unpacked package); the build tree's module (tests and programs run from the build); the
// configured install folder.
std::vector<std::string> candidatePaths()
{
    std::vector<std::string> paths;
    if (const char* forced = std::getenv("ALIGNSCOPE_MODEL_MODULE"); forced && *forced) return {forced};
    const std::string exe = executableFolder();
    if (!exe.empty()) {
        paths.push_back(exe + "/alignscope_models.so");
        paths.push_back(exe + "/../lib/alignscope/alignscope_models.so");
    }
#ifdef ALIGNSCOPE_MODEL_MODULE_BUILD_PATH
    paths.push_back(ALIGNSCOPE_MODEL_MODULE_BUILD_PATH);
#endif
#ifdef ALIGNSCOPE_MODEL_MODULE_INSTALL_PATH
    paths.push_back(ALIGNSCOPE_MODEL_MODULE_INSTALL_PATH);
#endif
    return paths;
}

std::string load()
{
    std::string reasons;
    for (const std::string& path : candidatePaths()) {
        if (::access(path.c_str(), R_OK) != 0) continue;
        void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            const char* why = ::dlerror();
            reasons += "; " + path + ": " + (why ? why : "cannot be loaded");
            continue;
        }
        using Entry = const ModelModuleApi* (*)();
        auto entry = reinterpret_cast<Entry>(::dlsym(handle, "alignscope_model_module"));
        const ModelModuleApi* api = entry ? entry() : nullptr;
        if (!api || api->abi != kModelModuleAbi || applicationVersion() != api->applicationVersion) {
            reasons += "; " + path + ": belongs to another AlignScope build";
            ::dlclose(handle);
            continue;
        }
        g_api = api;
        g_path = path;
        api->setThreads(computeThreads());
        api->setModelCallTimeout(g_timeoutSeconds, g_onExpiry);
        return {};
    }
    return reasons.empty() ? "alignscope_models.so was not found (this build has no LibTorch, or the module "
                             "is not installed)"
                           : "the model module could not be loaded" + reasons;
}

} // namespace

Result<const ModelModuleApi*> modelModule(const std::string& fileForErrors)
{
    std::lock_guard<std::mutex> lock(g_mutex);
    if (!g_api && g_failure.empty()) g_failure = load();
    if (g_api) return g_api;
    return makeError(fileForErrors, "", "needs LibTorch: " + g_failure);
}

bool modelModuleLoaded()
{
    std::lock_guard<std::mutex> lock(g_mutex);
    return g_api != nullptr;
}

std::string modelModulePath()
{
    std::lock_guard<std::mutex> lock(g_mutex);
    return g_path;
}

void rememberModelCallTimeout(double seconds, std::function<void(const std::string&)> onExpiry)
{
    std::lock_guard<std::mutex> lock(g_mutex);
    g_timeoutSeconds = seconds;
    g_onExpiry = onExpiry;
    if (g_api) g_api->setModelCallTimeout(seconds, std::move(onExpiry));
}

void applyThreadsToModule(int threads)
{
    std::lock_guard<std::mutex> lock(g_mutex);
    if (g_api) g_api->setThreads(threads);
}

} // namespace alignscope::detail
