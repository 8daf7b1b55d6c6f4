// alignscope-cli batch / merge: many jobs from a manifest, each run as a child alignscope-cli process with its
// own log, status and exit code; completed jobs are skipped on the next run; results are written atomically.
#include "arguments.h"
#include "batch_manifest.h"
#include "commands.h"

#include "alignscope/file_io.h"
#include "alignscope/json_reader.h"
#include "alignscope/json_writer.h"
#include "alignscope/report_tables.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/wait.h>
#include <unistd.h>

namespace alignscope::cli {

namespace fs = std::filesystem;

namespace {

const char* const kBatchUsage = R"(usage: alignscope-cli batch --manifest FILE.json --out DIR [--stage extract|analyse|all]
    [--job-index I] [--count] [--list]
Runs the manifest's jobs (models × datasets × analyses); DIR/jobs/<job>/ gets result.json, log.txt and
status.json. Completed jobs are skipped, so a killed run continues where it stopped. With --job-index, runs
only job I of the stage (a Slurm array task); --count prints the number of jobs in the stage.
)";

std::string jobFolder(const std::string& out, const BatchJob& job) { return (fs::path(out) / "jobs" / job.name).string(); }

bool isDone(const std::string& out, const BatchJob& job)
{
    auto status = readJsonFile(jobFolder(out, job) + "/status.json");
    return status && status->stringOr("state") == "done" && fs::exists(jobFolder(out, job) + "/result.json");
}

Status writeStatus(const std::string& out, const BatchJob& job, const std::string& state, int exitCode, int signal, double seconds)
{
    JsonWriter json;
    json.beginObject()
        .key("name").value(job.name)
        .key("stage").value(job.stage)
        .key("analysis").value(job.analysis)
        .key("model").value(job.model)
        .key("dataset").value(job.dataset)
        .key("variant").value(job.variant)
        .key("state").value(state)
        .key("exit_code").value(exitCode)
        .key("signal").value(signal)
        .key("seconds").value(seconds)
        .key("command").stringArray(job.arguments)
        .endObject();
    return writeFileAtomically(jobFolder(out, job) + "/status.json", json.text() + "\n");
}

// Runs one job as a child process of this executable; stdout becomes result.json (renamed into place only on
// success), stderr is appended to log.txt.
bool runJob(const std::string& out, const BatchJob& job, std::ostream& err)
{
    const std::string folder = jobFolder(out, job);
    std::error_code error;
    fs::create_directories(folder, error);
    if (error) {
        err << folder << ": cannot create: " << error.message() << "\n";
        return false;
    }
    writeStatus(out, job, "running", -1, 0, 0);
    const std::string partial = folder + "/result.json.partial";
    const auto started = std::chrono::steady_clock::now();
    const pid_t child = ::fork();
    if (child == 0) {
        const int result = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int log = ::open((folder + "/log.txt").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (result < 0 || log < 0) ::_exit(127);
        ::dup2(result, 1);
        ::dup2(log, 2);
        std::vector<char*> argv;
        std::string self = "alignscope-cli";
        argv.push_back(self.data());
        std::vector<std::string> arguments = job.arguments;
        for (std::string& a : arguments) argv.push_back(a.data());
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
    writeStatus(out, job, ok ? "done" : "failed", exitCode, signal, seconds);
    if (!ok)
        err << job.name << ": failed (" << (signal ? "signal " + std::to_string(signal) : "exit code " + std::to_string(exitCode)) << "); see "
            << folder << "/log.txt\n";
    return ok;
}

} // namespace

int runBatch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    auto parsed = Arguments::parse(args, {"manifest", "out", "stage", "job-index"}, {"count", "list", "help"});
    if (auto exit = usageExit(parsed, "batch", kBatchUsage, out, err, [](const Arguments& a) { return a.has("manifest") && a.has("out"); }))
        return *exit;
    const std::string outFolder = fs::absolute(parsed->value("out")).string();
    auto jobs = expandManifest(parsed->value("manifest"), outFolder);
    if (!jobs) return fail(err, jobs.error());
    const std::string stage = parsed->value("stage", "all");
    if (stage != "all" && stage != "extract" && stage != "analyse") return fail(err, makeError("", "", "--stage must be extract, analyse or all"));
    std::vector<BatchJob> selected;
    for (const BatchJob& job : *jobs)
        if (stage == "all" || job.stage == stage) selected.push_back(job);
    if (parsed->has("count")) {
        out << selected.size() << "\n";
        return 0;
    }
    if (parsed->has("list")) {
        for (size_t i = 0; i < selected.size(); ++i) out << i << "\t" << selected[i].stage << "\t" << selected[i].name << "\n";
        return 0;
    }
    if (parsed->has("job-index")) {
        const long index = std::strtol(parsed->value("job-index").c_str(), nullptr, 10);
        if (index < 0 || size_t(index) >= selected.size())
            return fail(err, makeError("", "", "--job-index " + parsed->value("job-index") + " is outside 0.." + std::to_string(selected.size() - 1)));
        selected = {selected[size_t(index)]};
    }
    // The full job list, so that merge can tell a finished batch from an interrupted one.
    JsonWriter plan;
    plan.beginObject().key("manifest").value(fs::absolute(parsed->value("manifest")).string()).key("jobs").beginArray();
    for (const BatchJob& job : *jobs) plan.value(job.name);
    plan.endArray().endObject();
    std::error_code folderError;
    fs::create_directories(outFolder, folderError);
    if (auto written = writeFileAtomically(outFolder + "/batch.json", plan.text() + "\n"); !written) return fail(err, written.error());
    int done = 0, skipped = 0, failed = 0;
    for (const BatchJob& job : selected) {
        if (isDone(outFolder, job)) {
            ++skipped;
            continue;
        }
        out << "running " << job.name << "\n" << std::flush;
        if (runJob(outFolder, job, err)) ++done;
        else ++failed;
    }
    out << done << " done, " << skipped << " skipped (already complete), " << failed << " failed\n";
    return failed ? 1 : 0;
}

namespace {

struct MergedRow
{
    std::string job, analysis, model, dataset, variant, state, metric, value, low, high, n;
};

std::string number(const JsonValue* value)
{
    if (!value || !value->isNumber()) return {};
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.17g", value->number);
    return buffer;
}

void addMetrics(const JsonValue& status, const JsonValue* result, std::vector<MergedRow>& rows)
{
    MergedRow base{status.stringOr("name"), status.stringOr("analysis"), status.stringOr("model"), status.stringOr("dataset"),
                   status.stringOr("variant"), status.stringOr("state"), "", "", "", "", ""};
    auto add = [&](const std::string& metric, const JsonValue* value, const JsonValue* interval, const JsonValue* n) {
        MergedRow row = base;
        row.metric = metric;
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
    if (base.analysis == "ooo") {
        const JsonValue* models = result->find("models");
        if (models && models->isArray() && !models->array.empty()) {
            const JsonValue& m = models->array[0];
            add("accuracy", m.find("accuracy"), m.find("ci95"), m.find("n_triplets"));
            add("accuracy_objects_ci", m.find("accuracy"), m.find("ci95_objects"), m.find("n_triplets"));
        }
        if (const JsonValue* ceiling = result->find("noise_ceiling"); ceiling && ceiling->isNumber()) add("noise_ceiling", ceiling, nullptr, nullptr);
    } else if (base.analysis == "rsa") {
        add("r", result->find("r"), result->find("ci95"), result->find("n_stimuli"));
    } else if (base.analysis == "probe") {
        add("zero_shot_accuracy", result->find("zero_shot_accuracy"), nullptr, nullptr);
        add("cv_accuracy", result->find("cv_accuracy"), nullptr, nullptr);
        add("cv_accuracy_sd", result->find("cv_accuracy_sd"), nullptr, nullptr);
        add("lambda", result->find("lambda"), nullptr, nullptr);
    } else if (base.analysis == "extract") {
        add("rows", result->find("rows"), nullptr, nullptr);
        if (const JsonValue* outputs = result->find("outputs"); outputs && outputs->isArray() && !outputs->array.empty())
            add("cols", outputs->array[0].find("cols"), nullptr, nullptr);
    }
}

} // namespace

int runMerge(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    auto parsed = Arguments::parse(args, {"out"}, {"help"});
    const char* usage = "usage: alignscope-cli merge DIR [--out FILE.csv|FILE.json]\n"
                        "Combines DIR/jobs/*/ into DIR/merged.csv and DIR/merged.json (one row per job and metric).\n";
    if (auto exit = usageExit(parsed, "merge", usage, out, err, [](const Arguments& a) { return a.positional().size() == 1; })) return *exit;
    const fs::path folder = parsed->positional()[0];
    std::error_code error;
    std::vector<fs::path> jobFolders;
    for (const auto& entry : fs::directory_iterator(folder / "jobs", error))
        if (entry.is_directory()) jobFolders.push_back(entry.path());
    if (error || jobFolders.empty()) return fail(err, makeError((folder / "jobs").string(), "", "no job folders (run alignscope-cli batch first)"));
    std::sort(jobFolders.begin(), jobFolders.end());
    std::vector<MergedRow> rows;
    int incomplete = 0;
    // Jobs of the batch that never started have no folder: batch.json lists them all.
    if (auto plan = readJsonFile((folder / "batch.json").string()); plan && plan->find("jobs") && plan->find("jobs")->isArray())
        for (const JsonValue& name : plan->find("jobs")->array)
            if (!fs::exists(folder / "jobs" / name.string)) {
                rows.push_back({name.string, "", "", "", "", "missing", "", "", "", "", ""});
                ++incomplete;
            }
    for (const fs::path& job : jobFolders) {
        auto status = readJsonFile((job / "status.json").string());
        if (!status) {
            err << status.error().message() << "\n";
            ++incomplete;
            continue;
        }
        auto result = readJsonFile((job / "result.json").string());
        if (status->stringOr("state") != "done") ++incomplete;
        addMetrics(*status, result ? &*result : nullptr, rows);
    }
    const char* header[] = {"job", "analysis", "model", "dataset", "variant", "state", "metric", "value", "ci_low", "ci_high", "n"};
    std::string csv;
    for (size_t i = 0; i < 11; ++i) csv += (i ? "," : "") + std::string(header[i]);
    csv += "\n";
    JsonWriter json;
    json.beginObject().key("format").value("alignscope-batch-results-1").key("rows").beginArray();
    for (const MergedRow& r : rows) {
        const std::string* fields[] = {&r.job, &r.analysis, &r.model, &r.dataset, &r.variant, &r.state, &r.metric, &r.value, &r.low, &r.high, &r.n};
        json.beginObject();
        for (size_t i = 0; i < 11; ++i) {
            csv += (i ? "," : "") + csvField(*fields[i]);
            json.key(header[i]).value(*fields[i]);
        }
        csv += "\n";
        json.endObject();
    }
    json.endArray().endObject();
    std::vector<std::string> targets;
    if (parsed->has("out")) targets = {parsed->value("out")};
    else targets = {(folder / "merged.csv").string(), (folder / "merged.json").string()};
    for (const std::string& target : targets) {
        const bool isJson = fs::path(target).extension() == ".json";
        auto written = writeFileAtomically(target, isJson ? json.text() + "\n" : csv);
        if (!written) return fail(err, written.error());
        out << "wrote " << rows.size() << " rows to " << target << "\n";
    }
    if (incomplete) err << incomplete << " job(s) not complete; their rows say so\n";
    return incomplete ? 1 : 0;
}

} // namespace alignscope::cli
