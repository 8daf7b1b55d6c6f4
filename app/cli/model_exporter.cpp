#include "model_exporter.h"
#include "alignscope/file_io.h"

#include "alignscope/sha256.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <mutex>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace alignscope::cli {

namespace {

// The script: $ALIGNSCOPE_MODELS_EXPORTER, the installed share/alignscope, or the build tree's copy.
Result<std::string> exporterScript()
{
    std::vector<std::string> candidates;
    if (const char* forced = std::getenv("ALIGNSCOPE_MODELS_EXPORTER"); forced && *forced)
        candidates.push_back(forced);
    const std::string exe = executableFolder();
    if (!exe.empty()) candidates.push_back(exe + "/../share/alignscope/models_export.py");
#ifdef ALIGNSCOPE_MODELS_EXPORTER_BUILD_PATH
    candidates.push_back(ALIGNSCOPE_MODELS_EXPORTER_BUILD_PATH);
#endif
    for (const std::string& path : candidates)
        if (::access(path.c_str(), R_OK) == 0) return path;
    return makeError(candidates.empty() ? "models_export.py" : candidates.front(), "",
                     "AlignScope's model exporter (models_export.py) is not installed beside the program");
}

const char* forcedPythonProgram()
{
    const char* forced = std::getenv("ALIGNSCOPE_PYTHON");
    return forced && *forced ? forced : nullptr;
}

// Where python3 on PATH is another installation (pyenv, a virtual environment without PyTorch), the
// distribution's Python, which python3-torchvision installs into, is the one to ask next.
constexpr const char* kSystemPython = "/usr/bin/python3";

struct ChildOutput
{
    int status = -1;
    std::string out;
    std::string err;
};

// Takes the exporter's progress lines ({"progress": fraction, "stage": text}) out of `err` as they complete
// and hands them to `progress`, so a download is reported while it runs and only the rest remains for errors.
void forwardProgressLines(std::string& err, size_t& scanned, const ProgressCallback& progress)
{
    size_t end;
    while ((end = err.find('\n', scanned)) != std::string::npos) {
        const std::string line = err.substr(scanned, end - scanned);
        if (line.rfind("{\"progress\"", 0) != 0) {
            scanned = end + 1;
            continue;
        }
        err.erase(scanned, end + 1 - scanned);
        auto parsed = parseJson(line, "the exporter's progress");
        if (!parsed || !progress) continue;
        const JsonValue* fraction = parsed->find("progress");
        if (fraction && fraction->isNumber()) progress(fraction->number, parsed->stringOr("stage"));
    }
}

// Runs `argv` with stdout and stderr captured; the child ends with this process (PR_SET_PDEATHSIG), so a
// parent that cancels by ending the CLI also ends the export.
Result<ChildOutput> runChild(const std::vector<std::string>& argv, const ProgressCallback& progress = {})
{
    int outPipe[2], errPipe[2];
    if (::pipe2(outPipe, O_CLOEXEC) != 0) return makeError(argv[0], "", std::strerror(errno));
    if (::pipe2(errPipe, O_CLOEXEC) != 0) {
        ::close(outPipe[0]);
        ::close(outPipe[1]);
        return makeError(argv[0], "", std::strerror(errno));
    }
    std::vector<char*> args;
    for (const std::string& arg : argv)
        args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) ::_exit(127);
        ::dup2(outPipe[1], 1);
        ::dup2(errPipe[1], 2);
        ::execvp(args[0], args.data());
        const std::string message = "error: cannot run " + argv[0] + ": " + std::strerror(errno) +
                                    " (set ALIGNSCOPE_PYTHON to a Python 3 with PyTorch and torchvision)\n";
        [[maybe_unused]] auto written = ::write(2, message.data(), message.size());
        ::_exit(127);
    }
    ::close(outPipe[1]);
    ::close(errPipe[1]);
    if (pid < 0) {
        ::close(outPipe[0]);
        ::close(errPipe[0]);
        return makeError(argv[0], "", std::string("cannot start: ") + std::strerror(errno));
    }
    ChildOutput result;
    size_t scanned = 0;
    pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
    int open = 2;
    char buffer[65536];
    while (open > 0) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
            if (got > 0) {
                (i == 0 ? result.out : result.err).append(buffer, size_t(got));
                if (i == 1) forwardProgressLines(result.err, scanned, progress);
            } else if (got == 0 || errno != EINTR) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            }
        }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

// The exporter's own one-line error ("error: ..."), else its last line of output.
std::string childError(const ChildOutput& child)
{
    const std::string& text = child.err;
    const size_t marker = text.rfind("error: ");
    std::string line = marker != std::string::npos ? text.substr(marker + 7) : text;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
        line.pop_back();
    if (marker == std::string::npos) {
        const size_t lastLine = line.rfind('\n');
        if (lastLine != std::string::npos) line = line.substr(lastLine + 1);
        line = "the exporter failed (exit status " + std::to_string(child.status) + ")" +
               (line.empty() ? std::string() : ": " + line);
    }
    return line;
}

Result<ChildOutput> runExporter(std::vector<std::string> arguments, const ProgressCallback& progress = {})
{
    auto script = exporterScript();
    if (!script) return script.error();
    const char* forced = forcedPythonProgram();
    std::vector<std::string> argv = arguments;
    argv.insert(argv.begin(), {forced ? forced : "python3", *script});
    auto child = runChild(argv, progress);
    if (!child) return child.error();
    const bool lacksTorch =
        child->status != 0 && child->err.find("models need PyTorch and torchvision") != std::string::npos;
    if (!forced && lacksTorch && ::access(kSystemPython, X_OK) == 0) {
        argv.front() = kSystemPython;
        auto system = runChild(argv, progress);
        if (system && !(system->status != 0 &&
                        system->err.find("models need PyTorch and torchvision") != std::string::npos))
            return system;
    }
    return child;
}

// The weights a torchvision model's DEFAULT or enum name stands for in the installed torchvision (enum, file
// and version), asked once per process: starting Python and torchvision takes seconds, and a batch asks per
// job.
Result<std::string> resolvedWeightsKey(const std::string& spec, const std::string& weights)
{
    static std::mutex mutex;
    static std::map<std::string, std::string> resolved;
    const std::string question = spec + "|" + weights;
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (auto found = resolved.find(question); found != resolved.end()) return found->second;
    }
    auto child = runExporter({"resolve", spec, "--weights", weights});
    if (!child) return child.error();
    if (child->status != 0) return makeError("", "", "cannot export " + spec + ": " + childError(*child));
    auto document = parseJson(child->out, "the exporter's weights");
    if (!document) return document.error();
    const std::string key = document->stringOr("weights") + "|file=" + document->stringOr("file") +
                            "|torchvision=" + document->stringOr("torchvision_version");
    std::lock_guard<std::mutex> lock(mutex);
    resolved[question] = key;
    return key;
}

} // namespace

Result<JsonValue> listExportableModels(const std::string& source)
{
    auto child = runExporter({"list", "--source", source});
    if (!child) return child.error();
    if (child->status != 0) return makeError("", "", childError(*child));
    return parseJson(child->out, "the exporter's catalogue");
}

Result<ExportedModelManifest> exportModel(const ModelExportRequest& request)
{
    if (request.out.empty()) return makeError("", "", "no output file for the exported model");
    std::string pattern = (std::filesystem::temp_directory_path() / "alignscope-export-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        return makeError(pattern, "",
                         std::string("cannot create a temporary folder: ") + std::strerror(errno));
    const std::string folder = pattern;
    const std::string temporary = folder + "/model.pt";
    std::string layers;
    for (const std::string& layer : request.layers)
        layers += (layers.empty() ? "" : ",") + layer;
    std::vector<std::string> arguments = {"export",  request.spec, "--out",
                                          temporary, "--weights",  request.weights};
    if (!layers.empty()) arguments.insert(arguments.end(), {"--layers", layers});
    if (request.seed >= 0) arguments.insert(arguments.end(), {"--seed", std::to_string(request.seed)});
    auto child = runExporter(arguments, request.progress);
    Result<ExportedModelManifest> installed = makeError("", "", "");
    if (!child)
        installed = child.error();
    else if (child->status != 0)
        installed = makeError(request.out, "", "cannot export " + request.spec + ": " + childError(*child));
    else
        installed = installExportedModel(temporary, request.out);
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
    return installed;
}

bool isModelName(const std::string& model)
{
    return model.rfind("torchvision:", 0) == 0 || model.rfind("python:", 0) == 0;
}

Result<std::string> cachedModelExport(const ModelExportRequest& request, const std::string& cacheFolder,
                                      bool* exported)
{
    if (exported) *exported = false;
    // What the export depends on: files by their contents, so an edited weights or python: file exports
    // again.
    std::string weightsKey = request.weights;
    const auto endsWith = [&](const char* suffix) {
        const std::string tail = suffix;
        return weightsKey.size() > tail.size() &&
               weightsKey.compare(weightsKey.size() - tail.size(), tail.size(), tail) == 0;
    };
    if (weightsKey.find('/') != std::string::npos || endsWith(".pth") || endsWith(".pt")) { // as the exporter
        auto hash = sha256OfFile(weightsKey);
        if (!hash) return hash.error();
        weightsKey = "sha256:" + *hash;
    }
    std::string sourceKey = request.spec;
    if (request.spec.rfind("torchvision:", 0) == 0 && weightsKey.rfind("sha256:", 0) != 0 &&
        weightsKey != "none" && !weightsKey.empty()) {
        // "DEFAULT" names different weights in different torchvision versions: key by what it is now.
        auto resolved = resolvedWeightsKey(request.spec, request.weights);
        if (!resolved) return resolved.error();
        weightsKey = *resolved;
    }
    if (request.spec.rfind("python:", 0) == 0) {
        const std::string rest = request.spec.substr(7);
        const std::string file = rest.substr(0, rest.find(':')); // as models_export.py splits it
        auto hash = sha256OfFile(file);
        if (!hash) return hash.error();
        sourceKey += "|sha256:" + *hash;
    }
    std::string key = "alignscope-model/1|" + sourceKey + "|weights=" + weightsKey +
                      "|seed=" + std::to_string(request.seed) + "|layers=";
    for (const std::string& layer : request.layers)
        key += layer + ",";
    std::error_code error;
    const std::filesystem::path folder = std::filesystem::path(cacheFolder) / "models";
    std::filesystem::create_directories(folder, error);
    if (error) return makeError(folder.string(), "", "cannot create the model cache: " + error.message());
    const std::string path = (folder / (sha256Hex(key) + ".pt")).string();
    if (::access(path.c_str(), R_OK) == 0) {
        auto manifest = readExportedModelManifest(path);
        if (manifest && manifest->present) return path;
    }
    ModelExportRequest toCache = request;
    toCache.out = path;
    auto manifest = exportModel(toCache);
    if (!manifest) return manifest.error();
    if (exported) *exported = true;
    return path;
}

void writeJsonValue(JsonWriter& json, const JsonValue& value)
{
    switch (value.type) {
    case JsonValue::Type::Null:
        json.null();
        break;
    case JsonValue::Type::Bool:
        json.value(value.boolean);
        break;
    case JsonValue::Type::Number:
        if (value.integral && value.number >= -9.0e15 && value.number <= 9.0e15)
            json.value(std::int64_t(value.number));
        else
            json.value(value.number);
        break;
    case JsonValue::Type::String:
        json.value(value.string);
        break;
    case JsonValue::Type::Array:
        json.beginArray();
        for (const JsonValue& item : value.array)
            writeJsonValue(json, item);
        json.endArray();
        break;
    case JsonValue::Type::Object:
        json.beginObject();
        for (const auto& [key, item] : value.object) {
            json.key(key);
            writeJsonValue(json, item);
        }
        json.endObject();
        break;
    }
}

} // namespace alignscope::cli
