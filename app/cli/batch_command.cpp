// alignscope-cli batch / merge: many jobs from a manifest, each run as a child alignscope-cli process with
// its own log, status and exit code; completed jobs are skipped on the next run; results are written
// atomically.
#include "arguments.h"
#include "batch_manifest.h"
#include "commands.h"

#include "alignscope/exported_model.h"
#include "alignscope/file_io.h"
#include "alignscope/json_reader.h"
#include "alignscope/json_writer.h"
#include "alignscope/metric_key.h"
#include "alignscope/model_metadata.h"
#include "alignscope/report_tables.h"
#include "alignscope/sha256.h"
#include "alignscope/version.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace alignscope::cli {

namespace fs = std::filesystem;

namespace {

// {"meta": {model: {column: value}}}: text, numbers, booleans and nulls as the manifest gave them.
void writeModelMeta(JsonWriter& json, const std::vector<ModelMeta>& models)
{
    if (models.empty()) return;
    json.key("meta").beginObject();
    for (const ModelMeta& model : models) {
        json.key(model.model).beginObject();
        for (const auto& [column, cell] : model.cells.object) {
            json.key(column);
            switch (cell.type) {
            case JsonValue::Type::String:
                json.value(cell.string);
                break;
            case JsonValue::Type::Number:
                json.value(cell.number);
                break;
            case JsonValue::Type::Bool:
                json.value(cell.boolean);
                break;
            default:
                json.null();
            }
        }
        json.endObject();
    }
    json.endObject();
}

// The metadata an exported model's file carries (family, parameters, top-1, training data, objective), from
// the file its extract job names ("model_file" of extract --json); nothing for other models.
std::optional<ModelMeta> exportedModelMeta(const JsonValue& status, const JsonValue* result)
{
    if (!result || status.stringOr("analysis") != "extract" || status.stringOr("state") != "done")
        return std::nullopt;
    const std::string file = result->stringOr("model_file");
    if (file.empty()) return std::nullopt;
    auto manifest = readExportedModelManifest(file);
    if (!manifest || !manifest->present || !manifest->metadata.isObject()) return std::nullopt;
    ModelMeta meta{status.stringOr("model"), {}};
    meta.cells.type = JsonValue::Type::Object;
    for (const auto& cell : manifest->metadata.object)
        if (!cell.second.isObject() && !cell.second.isArray()) meta.cells.object.push_back(cell);
    return meta;
}

// The manifest's "meta" of each model, completed by its exported file's metadata (what the manifest says
// wins: a user's correction of the file's metadata stays).
std::vector<ModelMeta> withExportedMeta(const JsonValue* manifestMeta, const std::vector<ModelMeta>& exported)
{
    std::vector<ModelMeta> models;
    if (manifestMeta && manifestMeta->isObject())
        for (const auto& [model, cells] : manifestMeta->object)
            models.push_back({model, cells});
    for (const ModelMeta& file : exported) {
        auto given = std::find_if(models.begin(), models.end(),
                                  [&](const ModelMeta& m) { return m.model == file.model; });
        if (given == models.end()) {
            models.push_back(file);
            continue;
        }
        for (const auto& cell : file.cells.object)
            if (!given->cells.find(cell.first)) given->cells.object.push_back(cell);
    }
    return models;
}

std::string jobFolder(const std::string& out, const BatchJob& job)
{
    return (fs::path(out) / "jobs" / job.name).string();
}

// Options whose value a job writes rather than reads: their paths count, their contents do not.
bool isOutputOption(const std::string& option)
{
    return option == "--out" || option == "--cache" || option == "--save-transform" ||
           option == "--choices-out";
}

// What determines a job's result: this program's version, every argument, and the contents of every input
// file it names (SHA-256; folders by their files' names, sizes and modification times). A finished job is
// reused only while its recorded fingerprint equals the current one.
class Fingerprints
{
public:
    std::string of(const BatchJob& job)
    {
        Sha256 hash;
        auto add = [&](const std::string& text) {
            hash.update(text.data(), text.size() + 1);
        }; // with the terminating NUL
        add(applicationVersion());
        for (size_t i = 0; i < job.arguments.size(); ++i) {
            const std::string& argument = job.arguments[i];
            add(argument);
            if (i > 0 && isOutputOption(job.arguments[i - 1])) continue;
            add(contentsOf(argument));
        }
        return hash.hexDigest();
    }

private:
    std::string contentsOf(const std::string& argument)
    {
        std::error_code error;
        const auto status = fs::status(argument, error);
        if (error || argument.empty()) return {};
        if (fs::is_regular_file(status)) {
            auto& known = m_files[argument];
            if (known.empty()) {
                auto digest = sha256OfFile(argument);
                known = digest ? "file " + *digest : "unreadable";
            }
            return known;
        }
        if (!fs::is_directory(status)) return {};
        std::vector<std::string> entries;
        for (const auto& entry : fs::directory_iterator(argument, error)) {
            struct stat info
            {
            };
            if (::stat(entry.path().c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
            entries.push_back(entry.path().filename().string() + " " + std::to_string(info.st_size) + " " +
                              std::to_string(info.st_mtim.tv_sec) + "." +
                              std::to_string(info.st_mtim.tv_nsec));
        }
        std::sort(entries.begin(), entries.end());
        std::string listing = "folder";
        for (const auto& entry : entries)
            listing += "\n" + entry;
        return sha256Hex(listing);
    }

    std::map<std::string, std::string> m_files;
};

bool isDone(const std::string& out, const BatchJob& job, const std::string& fingerprint)
{
    auto status = readJsonFile(jobFolder(out, job) + "/status.json");
    if (!status || status->stringOr("state") != "done" || status->stringOr("fingerprint") != fingerprint)
        return false;
    auto result = readJsonFile(jobFolder(out, job) + "/result.json");
    return result && result->isObject();
}

// A lock on a file for the whole run (released by the kernel when the process ends). A batch over every job
// holds OUT/.batch.lock exclusively, so two such runs cannot interleave their jobs and status files; Slurm
// array tasks
// (--job-index) hold it shared, so they run side by side but never beside a whole-batch run, and each holds
// its job's own lock exclusively. The file holds the last holder's PID for the error message.
class FileLock
{
public:
    ~FileLock()
    {
        if (m_fd >= 0) ::close(m_fd);
    }
    Status acquire(const std::string& folder, const std::string& name, bool exclusive,
                   const std::string& what)
    {
        const std::string path = folder + "/" + name;
        m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (m_fd < 0) return makeError(path, "", "cannot open the lock file: " + systemErrorText(errno));
        if (::flock(m_fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
            char holder[64] = {0};
            const ssize_t got = ::pread(m_fd, holder, sizeof holder - 1, 0);
            std::string pid = got > 0 ? std::string(holder, size_t(got)) : std::string("unknown");
            while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' '))
                pid.pop_back();
            return makeError(folder, "",
                             "is in use by another alignscope-cli " + what + " (process " + pid +
                                 "); wait for it or stop it");
        }
        const std::string pid = std::to_string(::getpid()) + "\n";
        if (::ftruncate(m_fd, 0) == 0 &&
            ::pwrite(m_fd, pid.data(), pid.size(), 0) < 0) { /* the PID is only for messages */
        }
        return okStatus();
    }

private:
    int m_fd = -1;
};

Status writeStatus(const std::string& out, const BatchJob& job, const std::string& state, int exitCode,
                   int signal, double seconds, const std::string& fingerprint)
{
    JsonWriter json;
    json.beginObject()
        .key("name")
        .value(job.name)
        .key("stage")
        .value(job.stage)
        .key("analysis")
        .value(job.analysis)
        .key("model")
        .value(job.model)
        .key("dataset")
        .value(job.dataset)
        .key("variant")
        .value(job.variant)
        .key("state")
        .value(state)
        .key("exit_code")
        .value(exitCode)
        .key("signal")
        .value(signal)
        .key("seconds")
        .value(seconds)
        .key("fingerprint")
        .value(fingerprint)
        .key("command")
        .stringArray(job.arguments)
        .endObject();
    return writeFileAtomically(jobFolder(out, job) + "/status.json", json.text() + "\n");
}

// Runs one job as a child process of this executable; stdout becomes result.json (renamed into place only on
// success), stderr is appended to log.txt.
bool runJob(const std::string& out, const BatchJob& job, const std::string& fingerprint, std::ostream& err)
{
    const std::string folder = jobFolder(out, job);
    std::error_code error;
    fs::create_directories(folder, error);
    if (error) {
        err << folder << ": cannot create: " << error.message() << "\n";
        return false;
    }
    FileLock lock;
    if (auto locked = lock.acquire(folder, ".job.lock", true, "batch job"); !locked) {
        err << locked.error().message() << "\n";
        return false;
    }
    writeStatus(out, job, "running", -1, 0, 0, fingerprint);
    const std::string partial = folder + "/result.json.partial";
    const auto started = std::chrono::steady_clock::now();
    const pid_t parent = ::getpid();
    const pid_t child = ::fork();
    if (child == 0) {
        // The job dies with the batch (a killed batch leaves no orphan writing into the folder).
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);
        const int result = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int log = ::open((folder + "/log.txt").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (result < 0 || log < 0) ::_exit(127);
        ::dup2(result, 1);
        ::dup2(log, 2);
        std::vector<char*> argv;
        std::string self = "alignscope-cli";
        argv.push_back(self.data());
        std::vector<std::string> arguments = job.arguments;
        for (std::string& a : arguments)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv("/proc/self/exe", argv.data());
        ::_exit(127);
    }
    int status = 0;
    if (child < 0 || ::waitpid(child, &status, 0) < 0) {
        err << job.name << ": cannot start: " << std::strerror(errno) << "\n";
        return false;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const int exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    const int signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    bool ok = exitCode == 0 && fs::file_size(partial, error) > 0 && !error;
    if (ok) {
        // fsync + rename: result.json is either absent or complete.
        auto bytes = readWholeFile(partial);
        ok = bytes && writeFileAtomically(folder + "/result.json", bytes->data(), bytes->size());
    }
    fs::remove(partial, error);
    writeStatus(out, job, ok ? "done" : "failed", exitCode, signal, seconds, fingerprint);
    if (!ok)
        err << job.name << ": failed ("
            << (signal ? "signal " + std::to_string(signal) : "exit code " + std::to_string(exitCode))
            << "); see " << folder << "/log.txt\n";
    return ok;
}

} // namespace

int runBatch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    CLI::App app = makeApp(
        "batch",
        "Runs the manifest's jobs (models × datasets × analyses); DIR/jobs/<job>/ gets result.json, log.txt\n"
        "and status.json. Completed jobs whose inputs and parameters are unchanged are skipped, so a killed "
        "run\n"
        "continues where it stopped. With --job-index, runs only job I of the stage (a Slurm array task).");
    std::string manifestPath, outArgument, stage = "all";
    int jobIndex = -1;
    bool countOnly = false, listOnly = false;
    app.add_option("--manifest", manifestPath, "manifest (.json)")->required();
    app.add_option("--out", outArgument, "output folder")->required();
    app.add_option("--stage", stage, "which jobs")
        ->capture_default_str()
        ->check(CLI::IsMember({"extract", "analyse", "all"}));
    auto* indexOption =
        addInteger(app, "--job-index", jobIndex, 0, 1 << 30, "run only this job of the stage");
    indexOption->default_str("");
    app.add_flag("--count", countOnly, "print the number of jobs in the stage");
    app.add_flag("--list", listOnly, "list the jobs of the stage");
    if (auto exit = parseArguments(app, args, out, err)) return *exit;
    const std::string outFolder = fs::absolute(outArgument).string();
    std::vector<ModelMeta> modelMeta;
    auto jobs = expandManifest(manifestPath, outFolder, &modelMeta);
    if (!jobs) return fail(err, jobs.error());
    std::vector<BatchJob> selected;
    for (const BatchJob& job : *jobs)
        if (stage == "all" || job.stage == stage) selected.push_back(job);
    if (countOnly) {
        out << selected.size() << "\n";
        return 0;
    }
    if (listOnly) {
        for (size_t i = 0; i < selected.size(); ++i)
            out << i << "\t" << selected[i].stage << "\t" << selected[i].name << "\n";
        return 0;
    }
    if (indexOption->count()) {
        if (size_t(jobIndex) >= selected.size())
            return fail(err, makeError("", "",
                                       "--job-index " + std::to_string(jobIndex) + " is outside 0.." +
                                           std::to_string(selected.size() - 1)));
        selected = {selected[size_t(jobIndex)]};
    }
    // The full job list, so that merge can tell a finished batch from an interrupted one.
    JsonWriter plan;
    plan.beginObject().key("manifest").value(fs::absolute(manifestPath).string()).key("jobs").beginArray();
    for (const BatchJob& job : *jobs)
        plan.value(job.name);
    plan.endArray();
    writeModelMeta(plan, modelMeta);
    plan.endObject();
    std::error_code folderError;
    fs::create_directories(outFolder, folderError);
    FileLock lock;
    if (auto locked = lock.acquire(outFolder, ".batch.lock", !indexOption->count(), "batch"); !locked)
        return fail(err, locked.error());
    if (auto written = writeFileAtomically(outFolder + "/batch.json", plan.text() + "\n"); !written)
        return fail(err, written.error());
    int done = 0, skipped = 0, failed = 0;
    Fingerprints fingerprints;
    for (const BatchJob& job : selected) {
        const std::string fingerprint = fingerprints.of(job);
        if (isDone(outFolder, job, fingerprint)) {
            ++skipped;
            continue;
        }
        out << "running " << job.name << "\n" << std::flush;
        if (runJob(outFolder, job, fingerprint, err))
            ++done;
        else
            ++failed;
    }
    out << done << " done, " << skipped << " skipped (already complete), " << failed << " failed\n";
    return failed ? 1 : 0;
}

namespace {

struct MergedRow
{
    std::string job, analysis, model, dataset, variant, state, metric, value, low, high, n;
    std::string triplets, similarity; // the result's fingerprint (ooo jobs): what makes it comparable
};

std::string number(const JsonValue* value)
{
    if (!value || !value->isNumber()) return {};
    return alignscope::numberText(value->number); // '.' whatever the locale, and reads back exactly
}

void addMetrics(const JsonValue& status, const JsonValue* result, std::vector<MergedRow>& rows)
{
    MergedRow base{status.stringOr("name"),
                   status.stringOr("analysis"),
                   status.stringOr("model"),
                   status.stringOr("dataset"),
                   status.stringOr("variant"),
                   status.stringOr("state"),
                   "",
                   "",
                   "",
                   "",
                   ""};
    auto add = [&](MetricKind metric, const JsonValue* value, const JsonValue* interval, const JsonValue* n) {
        MergedRow row = base;
        row.metric = metricKindName(metric);
        row.value = number(value);
        if (interval && interval->isArray() && interval->array.size() == 2) {
            row.low = number(&interval->array[0]);
            row.high = number(&interval->array[1]);
        }
        row.n = number(n);
        rows.push_back(row);
    };
    if (!result || base.state != "done") {
        rows.push_back(base);
        return;
    }
    if (const JsonValue* fingerprint = result->find("fingerprint"); fingerprint && fingerprint->isObject()) {
        base.triplets = fingerprint->stringOr("triplets_sha256");
        if (base.triplets.empty()) base.triplets = fingerprint->stringOr("human_rdm_sha256"); // rsa
        base.similarity = fingerprint->stringOr("similarity");
    }
    if (base.analysis == "ooo") {
        const JsonValue* models = result->find("models");
        if (models && models->isArray() && !models->array.empty()) {
            const JsonValue& m = models->array[0];
            const JsonValue* accuracy = m.find(metricKindName(MetricKind::Accuracy));
            add(MetricKind::Accuracy, accuracy, m.find("ci95"), m.find("n_triplets"));
            add(MetricKind::AccuracyObjectsCi, accuracy, m.find("ci95_objects"), m.find("n_triplets"));
        }
        if (const JsonValue* ceiling = result->find(metricKindName(MetricKind::NoiseCeiling));
            ceiling && ceiling->isNumber())
            add(MetricKind::NoiseCeiling, ceiling, nullptr, nullptr);
    } else if (base.analysis == "rsa") {
        add(MetricKind::RsaJobR, result->find(metricKindName(MetricKind::RsaJobR)), result->find("ci95"),
            result->find("n_stimuli"));
    } else if (base.analysis == "probe") {
        for (MetricKind kind : {MetricKind::ZeroShotAccuracy, MetricKind::CvAccuracy,
                                MetricKind::CvAccuracySd, MetricKind::ProbeLambda})
            add(kind, result->find(metricKindName(kind)), nullptr, nullptr);
    } else if (base.analysis == "extract") {
        add(MetricKind::ExtractedRows, result->find(metricKindName(MetricKind::ExtractedRows)), nullptr,
            nullptr);
        if (const JsonValue* outputs = result->find("outputs");
            outputs && outputs->isArray() && !outputs->array.empty())
            add(MetricKind::ExtractedColumns,
                outputs->array[0].find(metricKindName(MetricKind::ExtractedColumns)), nullptr, nullptr);
    }
}

} // namespace

int runMerge(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    CLI::App app = makeApp(
        "merge", "Combines DIR/jobs/*/ of the batch's current jobs into DIR/merged.csv and DIR/merged.json\n"
                 "(one row per job and metric).");
    std::string folderArgument, target;
    app.add_option("DIR", folderArgument, "batch output folder")->required();
    app.add_option("--out", target, "write only this file (.csv or .json)");
    if (auto exit = parseArguments(app, args, out, err)) return *exit;
    const fs::path folder = folderArgument;
    // The batch's current jobs, in manifest order, from batch.json; folders of jobs no longer in the manifest
    // are left out (and counted).
    auto plan = readJsonFile((folder / "batch.json").string());
    if (!plan) return fail(err, plan.error());
    const JsonValue* planned = plan->find("jobs");
    if (!planned || !planned->isArray())
        return fail(err,
                    makeError((folder / "batch.json").string(), "jobs", "must be an array of job names"));
    std::vector<MergedRow> rows;
    std::vector<ModelMeta> exported; // exported models' own metadata
    int incomplete = 0;
    std::set<std::string> current;
    for (const JsonValue& name : planned->array) {
        if (!name.isString() || name.string.empty() || name.string.find('/') != std::string::npos ||
            name.string[0] == '.')
            return fail(err, makeError((folder / "batch.json").string(), "jobs",
                                       "holds something that is not a job name"));
        current.insert(name.string);
        const fs::path job = folder / "jobs" / name.string;
        std::error_code error;
        if (!fs::exists(job, error)) {
            rows.push_back({name.string, "", "", "", "", "missing", "", "", "", "", ""});
            ++incomplete;
            continue;
        }
        auto status = readJsonFile((job / "status.json").string());
        if (!status || !status->isObject()) {
            err << (status ? makeError((job / "status.json").string(), "", "not a JSON object")
                           : status.error())
                       .message()
                << "\n";
            rows.push_back({name.string, "", "", "", "", "corrupt status", "", "", "", "", ""});
            ++incomplete;
            continue;
        }
        auto result = readJsonFile((job / "result.json").string());
        if (status->stringOr("state") == "done" && (!result || !result->isObject())) {
            err << (result ? makeError((job / "result.json").string(), "", "not a JSON object")
                           : result.error())
                       .message()
                << "\n";
            JsonValue corrupt = *status;
            for (auto& [key, value] : corrupt.object)
                if (key == "state") value.string = "corrupt result";
            addMetrics(corrupt, nullptr, rows);
            ++incomplete;
            continue;
        }
        if (status->stringOr("state") != "done") ++incomplete;
        addMetrics(*status, result ? &*result : nullptr, rows);
        if (auto meta = exportedModelMeta(*status, result ? &*result : nullptr)) exported.push_back(*meta);
    }
    std::error_code error;
    int stale = 0;
    for (const auto& entry : fs::directory_iterator(folder / "jobs", error))
        if (entry.is_directory() && !current.count(entry.path().filename().string())) ++stale;
    if (stale) err << stale << " job folder(s) not in the current manifest left out\n";
    const char* header[] = {"job",   "analysis",        "model",     "dataset", "variant",
                            "state", "metric",          "value",     "ci_low",  "ci_high",
                            "n",     "triplets_sha256", "similarity"};
    constexpr size_t kColumns = sizeof header / sizeof header[0];
    std::string csv;
    for (size_t i = 0; i < kColumns; ++i)
        csv += (i ? "," : "") + std::string(header[i]);
    csv += "\n";
    JsonWriter json;
    json.beginObject().key("format").value("alignscope-batch-results-1").key("rows").beginArray();
    for (const MergedRow& r : rows) {
        const std::string* fields[] = {&r.job,   &r.analysis, &r.model,     &r.dataset, &r.variant,
                                       &r.state, &r.metric,   &r.value,     &r.low,     &r.high,
                                       &r.n,     &r.triplets, &r.similarity};
        json.beginObject();
        for (size_t i = 0; i < kColumns; ++i) {
            csv += (i ? "," : "") + csvField(*fields[i]);
            json.key(header[i]).value(*fields[i]);
        }
        csv += "\n";
        json.endObject();
    }
    json.endArray();
    // The models' metadata from the manifest and their exported files, for `compare` and the Compare page (a
    // model table in the file): a population of exported models needs no typing.
    writeModelMeta(json, withExportedMeta(plan->find("meta"), exported));
    json.endObject();
    std::vector<std::string> targets;
    if (!target.empty())
        targets = {target};
    else
        targets = {(folder / "merged.csv").string(), (folder / "merged.json").string()};
    for (const std::string& file : targets) {
        const bool isJson = fs::path(file).extension() == ".json";
        auto written = writeFileAtomically(file, isJson ? json.text() + "\n" : csv);
        if (!written) return fail(err, written.error());
        out << "wrote " << rows.size() << " rows to " << file << "\n";
    }
    if (incomplete) err << incomplete << " job(s) not complete; their rows say so\n";
    return incomplete ? 1 : 0;
}

} // namespace alignscope::cli
