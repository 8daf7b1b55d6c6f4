#include "session/project_file.h"

#include "session/project_checks.h"

#include "alignscope/feature_cache.h"
#include "alignscope/file_io.h"
#include "alignscope/json_reader.h"
#include "alignscope/json_writer.h"
#include "alignscope/npy.h"
#include "alignscope/probe.h"
#include "alignscope/report_tables.h"
#include "alignscope/result_json.h"
#include "alignscope/sha256.h"
#include "alignscope/torchscript_model.h"
#include "alignscope/version.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <cmath>
#include <functional>
#include <set>

using namespace alignscope;
using namespace projectchecks;

namespace {

constexpr const char* kFormat = "alignscope-project-1";

// Fingerprint of an input: size and modification time always, SHA-256 for files up to 1 GiB.
void writeFingerprint(JsonWriter& json, const QString& path)
{
    const QFileInfo info(path);
    json.key("path").value(path.toStdString());
    json.key("exists").value(info.exists());
    if (!info.exists() || info.isDir()) return;
    json.key("size").value(std::int64_t(info.size()));
    json.key("mtime_ms").value(std::int64_t(info.lastModified().toMSecsSinceEpoch()));
    if (info.size() <= (std::int64_t(1) << 30))
        if (auto hash = sha256OfFile(path.toStdString())) json.key("sha256").value(*hash);
}

QString changedReason(const JsonValue& input)
{
    const QString path = QString::fromStdString(input.stringOr("path"));
    const QFileInfo info(path);
    if (!info.exists()) return QObject::tr("%1: missing (it was there when the project was saved)").arg(path);
    if (info.isDir()) return {};
    const std::string savedHash = input.stringOr("sha256");
    if (std::int64_t(input.numberOr("size", -1)) != info.size())
        return QObject::tr("%1: changed since the project was saved (size); its results are recomputed")
            .arg(path);
    if (std::int64_t(input.numberOr("mtime_ms", -1)) != info.lastModified().toMSecsSinceEpoch()) {
        auto hash = sha256OfFile(path.toStdString());
        if (!savedHash.empty() && hash && *hash == savedHash) return {}; // touched, same content
        return QObject::tr("%1: changed since the project was saved; its results are recomputed").arg(path);
    }
    return {};
}

// Writes bytes under data/<sha256 prefix>.<suffix> unless that file already holds them (unchanged features
// are not written again); returns the relative name.
Result<std::string> writeSidecar(const QString& folder, const std::vector<char>& bytes,
                                 const std::string& suffix)
{
    const std::string name = sidecarNameFor(bytes, suffix);
    const QString path = QDir(folder).filePath(QString::fromStdString(name));
    const QFileInfo existing(path);
    if (existing.isSymLink())
        return Error{path.toStdString(), "",
                     "a symbolic link where a sidecar goes; nothing is written through it"};
    if (existing.isFile() && existing.size() == std::int64_t(bytes.size()))
        if (auto hash = sha256OfFile(path.toStdString());
            hash && name.find(hash->substr(0, 32)) != std::string::npos)
            return name;
    auto written = writeFileAtomically(path.toStdString(), bytes.data(), bytes.size());
    if (!written) return written.error();
    return name;
}

void writeExtraction(JsonWriter& json, const ExtractionRecord& extraction)
{
    const ExtractionRequest& request = extraction.request;
    json.key("extraction").beginObject();
    json.key("model").value(request.modelPath);
    // The key of the inputs the features were extracted from (not of the files as they are now).
    json.key("key").value(extraction.cacheKey);
    json.key("method").value(request.output.method).key("output").value(request.output.output);
    json.key("pool").value(poolingName(request.output.pooling));
    json.key("resize").value(request.preprocessing.resize).key("crop").value(request.preprocessing.crop);
    json.key("filter").value(resizeFilterName(request.preprocessing.filter));
    json.key("mean").beginArray();
    for (float v : request.preprocessing.mean)
        json.value(double(v));
    json.endArray().key("std").beginArray();
    for (float v : request.preprocessing.std)
        json.value(double(v));
    json.endArray();
    json.key("half")
        .value(request.half)
        .key("skip_broken")
        .value(request.onBrokenImage == BrokenImagePolicy::Skip);
    json.key("batch_size").value(request.batchSize);
    json.key("images").stringArray(request.imagePaths);
    json.endObject();
}

ExtractionRecord readExtraction(const JsonValue& e)
{
    ExtractionRequest request;
    request.modelPath = e.stringOr("model");
    request.output.method = e.stringOr("method", "forward");
    request.output.output = e.stringOr("output");
    request.output.pooling = parsePooling(e.stringOr("pool", "avg")).valueOr(SpatialPooling::Average);
    request.preprocessing.resize = int(e.numberOr("resize", 256));
    request.preprocessing.crop = int(e.numberOr("crop", 224));
    request.preprocessing.filter =
        parseResizeFilter(e.stringOr("filter", "bilinear")).valueOr(ResizeFilter::Bilinear);
    for (const char* key : {"mean", "std"})
        if (const JsonValue* values = e.find(key); values && values->isArray() && values->array.size() == 3)
            for (size_t c = 0; c < 3; ++c)
                (std::string(key) == "mean" ? request.preprocessing.mean : request.preprocessing.std)[c] =
                    float(values->array[c].number);
    request.half = e.boolOr("half", false);
    request.onBrokenImage =
        e.boolOr("skip_broken", false) ? BrokenImagePolicy::Skip : BrokenImagePolicy::Fail;
    request.batchSize = int(e.numberOr("batch_size", 32));
    if (const JsonValue* images = e.find("images"); images && images->isArray())
        for (const JsonValue& image : images->array)
            request.imagePaths.push_back(image.string);
    return {std::move(request), e.stringOr("key")};
}

void writeSettings(JsonWriter& json, const AnalysisSettings& settings)
{
    json.key("settings").beginObject();
    json.key("similarity").value(similarityName(settings.similarity));
    json.key("rdm").value(rdmMethodName(settings.rdm));
    json.key("compare").value(compareMethodName(settings.compare));
    json.key("concepts").value(settings.conceptPath.toStdString());
    json.key("bootstrap_seed").value(0);
    json.key("row_identities").beginArray();
    for (const auto& [path, identity] : settings.rowIdentities) {
        json.beginObject().key("path").value(path.toStdString());
        json.key("policy").value(rowPolicyName(identity.policy));
        if (identity.policy == RowIdentity::Policy::Ids) json.key("ids").stringArray(identity.ids);
        json.endObject();
    }
    json.endArray().endObject();
}

AnalysisSettings readSettings(const JsonValue& json)
{
    AnalysisSettings settings;
    const JsonValue* saved = json.find("settings");
    if (!saved) return settings;
    settings.similarity =
        parseSimilarityKind(saved->stringOr("similarity", "cosine")).valueOr(settings.similarity);
    settings.rdm = parseRdmMethod(saved->stringOr("rdm", "correlation")).valueOr(settings.rdm);
    settings.compare = parseCompareMethod(saved->stringOr("compare", "spearman")).valueOr(settings.compare);
    settings.conceptPath = QString::fromStdString(saved->stringOr("concepts"));
    if (const JsonValue* identities = saved->find("row_identities"); identities && identities->isArray())
        for (const JsonValue& entry : identities->array) {
            auto policy = parseRowPolicy(entry.stringOr("policy", "ids"));
            if (!policy) continue;
            RowIdentity identity{*policy, {}, "project"};
            if (*policy == RowIdentity::Policy::Ids)
                if (const JsonValue* ids = entry.find("ids"); ids && ids->isArray())
                    for (const JsonValue& id : ids->array)
                        identity.ids.push_back(id.string);
            settings.rowIdentities[QString::fromStdString(entry.stringOr("path"))] = identity;
        }
    return settings;
}

void writeOddOneOutCache(JsonWriter& json, const OddOneOutAnalysis& analysis, const QString& folder,
                         std::set<std::string>& referenced, QString* error)
{
    json.key("odd_one_out_cache").beginObject().key("models").beginArray();
    for (const ModelAnalysis& model : analysis.models) {
        std::vector<std::int64_t> choices(model.choices.choice.begin(), model.choices.choice.end());
        const std::int64_t count = std::int64_t(choices.size()); // before the move below
        auto npy = writeSidecar(folder, encodeNpy(makeInt64Array({count}, std::move(choices))), ".npy");
        if (!npy) {
            *error = QString::fromStdString(npy.error().message());
            return;
        }
        referenced.insert(*npy);
        json.beginObject()
            .key("fingerprint")
            .value(model.fingerprint)
            .key("name")
            .value(model.name)
            .key("choices")
            .value(*npy)
            .key("triplets")
            .value(count)
            .key("correct")
            .value(model.choices.correct)
            .key("ties")
            .value(model.choices.ties)
            .key("refined")
            .value(model.choices.refined)
            .key("device")
            .value(model.choices.device)
            .key("ci95");
        writeInterval(json, model.ci95);
        json.key("ci95_objects");
        writeInterval(json, model.ci95Objects);
        json.key("per_concept").beginArray();
        for (const ConceptAccuracy& c : model.perConcept)
            writeConceptAccuracy(json, c);
        json.endArray().endObject();
    }
    json.endArray().endObject();
}

// Saved models whose choices verify (see project_file.h); each that does not is noted and left out, so that
// it is recomputed.
std::shared_ptr<const OddOneOutCache> readOddOneOutCache(const QString& folder, const JsonValue& json,
                                                         const std::function<void(const QString&)>& note)
{
    const JsonValue* saved = json.find("odd_one_out_cache");
    if (!saved) return nullptr;
    const QString project = projectJsonOf(folder);
    auto cache = std::make_shared<OddOneOutCache>();
    if (const JsonValue* models = saved->find("models"); models && models->isArray())
        for (const JsonValue& m : models->array) {
            OddOneOutCache::Model model;
            model.fingerprint = m.stringOr("fingerprint");
            model.name = m.stringOr("name");
            const std::string file = m.stringOr("choices");
            model.source = QDir(folder).filePath(QString::fromStdString(file)).toStdString();
            auto bytes = readSidecar(folder, file);
            auto choices =
                bytes ? parseChoices(*bytes, model.source) : Result<std::vector<std::int8_t>>(bytes.error());
            if (!choices) {
                note(QObject::tr("%1 (the saved choices of model '%2'); it is recomputed")
                         .arg(QString::fromStdString(choices.error().message()),
                              QString::fromStdString(model.name)));
                continue;
            }
            if (const QString problem = savedModelProblem(m, *choices); !problem.isEmpty()) {
                note(QObject::tr("%1: model '%2': %3; it is recomputed")
                         .arg(project, QString::fromStdString(model.name), problem));
                continue;
            }
            model.choices.choice = std::move(choices).value();
            // savedModelProblem checked these against the choices (correct, ties) or as counts (refined)
            // before they are converted.
            model.choices.correct = std::int64_t(m.numberOr("correct", 0));
            model.choices.ties = std::int64_t(m.numberOr("ties", 0));
            model.choices.refined = std::int64_t(m.numberOr("refined", 0));
            model.choices.device = m.stringOr("device");
            model.ci95 = readInterval(m.find("ci95"));
            model.ci95Objects = readInterval(m.find("ci95_objects"));
            if (const JsonValue* concepts = m.find("per_concept"); concepts && concepts->isArray())
                for (const JsonValue& c : concepts->array)
                    model.perConcept.push_back(readConceptAccuracy(c));
            cache->models.push_back(std::move(model));
        }
    return cache;
}

std::shared_ptr<const RsaCache> readRsaCache(const QString& folder, const JsonValue& json,
                                             const std::function<void(const QString&)>& note)
{
    auto cache = std::make_shared<RsaCache>();
    if (const JsonValue* saved = json.find("rsa_cache"); saved && saved->isArray())
        for (size_t e = 0; e < saved->array.size(); ++e) {
            const JsonValue& m = saved->array[e];
            if (const QString problem = savedRsaProblem(m); !problem.isEmpty()) {
                note(QObject::tr("%1: 'rsa_cache' entry %2: %3; it is recomputed")
                         .arg(projectJsonOf(folder))
                         .arg(e)
                         .arg(problem));
                continue;
            }
            std::optional<RsaInterval> interval;
            if (const JsonValue* ci = m.find("ci95"); ci && ci->isArray() && ci->array.size() == 2)
                interval = RsaInterval{ci->array[0].number, ci->array[1].number};
            cache->models.push_back(
                {m.stringOr("fingerprint"), m.numberOr("r", std::nan("")), interval,
                 QObject::tr("%1 ('rsa_cache' entry %2)").arg(projectJsonOf(folder)).arg(e).toStdString()});
        }
    return cache;
}

// The sidecars a previous save wrote: its "files", or for projects saved before that list, the ones it names.
std::set<std::string> filesOfPreviousSave(const JsonValue& json)
{
    std::set<std::string> files;
    auto add = [&files](const std::string& name) {
        if (isSidecarName(QString::fromStdString(name))) files.insert(name);
    };
    if (const JsonValue* listed = json.find("files"); listed && listed->isArray()) {
        for (const JsonValue& name : listed->array)
            add(name.string);
        return files;
    }
    if (const JsonValue* features = json.find("features"); features && features->isArray())
        for (const JsonValue& entry : features->array)
            add(entry.stringOr("file"));
    if (const JsonValue* probe = json.find("probe")) add(probe->stringOr("transform"));
    if (const JsonValue* cache = json.find("odd_one_out_cache"))
        if (const JsonValue* models = cache->find("models"); models && models->isArray())
            for (const JsonValue& model : models->array)
                add(model.stringOr("choices"));
    return files;
}

void writeReportTable(JsonWriter& json, const ReportTable& table)
{
    json.beginObject().key("caption").value(table.caption).key("header").stringArray(table.header);
    json.key("rows").beginArray();
    for (const auto& row : table.rows)
        json.stringArray(row);
    json.endArray().endObject();
}

} // namespace

std::int64_t projectRevision(const QString& folder)
{
    const QString file = projectJsonOf(folder);
    auto json = readJsonFile(file.toStdString());
    if (!json) return -1;
    auto revision = readRevision(*json, file);
    return revision ? *revision : -1;
}

bool isProjectFolder(const QString& path)
{
    return QFileInfo(path).isDir() && QFileInfo::exists(projectJsonOf(path));
}

QString checkProjectFolder(const QString& folder)
{
    return folderRefusal(folder);
}

QString saveProject(const ProjectData& project, const QString& folder)
{
    if (const QString refused = checkProjectFolder(folder); !refused.isEmpty()) return refused;
    std::int64_t previousRevision = 0;
    std::set<std::string> previousFiles;
    if (auto previous = readJsonFile(projectJsonOf(folder).toStdString())) {
        previousRevision = readRevision(*previous, projectJsonOf(folder)).valueOr(0);
        previousFiles = filesOfPreviousSave(*previous);
    }
    if (!QDir().mkpath(QDir(folder).filePath(QStringLiteral("data"))))
        return QObject::tr("%1: cannot create the project folder").arg(folder);
    const std::int64_t revision = std::min(previousRevision + 1, kLargestRevision);
    std::set<std::string> referenced;
    JsonWriter json;
    json.beginObject();
    json.key("format").value(kFormat);
    json.key("revision").value(revision);
    json.key("app_version").value(applicationVersion());
    json.key("libtorch_version").value(torchVersion());
    json.key("saved_at").value(QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString());
    writeSettings(json, project.settings);
    json.key("inputs").beginArray();
    for (const ProjectData::Input& input : project.inputs) {
        json.beginObject();
        writeFingerprint(json, input.path);
        json.endObject();
    }
    json.endArray();
    // Features that exist only in memory (extracted by a model, transformed by the probe).
    json.key("features").beginArray();
    for (const ProjectData::Features& features : project.features) {
        auto npy = writeSidecar(folder, encodeNpy(*features.array), ".npy");
        if (!npy) return QString::fromStdString(npy.error().message());
        referenced.insert(*npy);
        json.beginObject().key("name").value(features.name.toStdString()).key("file").value(*npy);
        json.key("summary").value(features.summary.toStdString());
        json.key("row_ids").stringArray(features.rowIds);
        if (features.extraction) writeExtraction(json, *features.extraction);
        if (features.transformedByProbe && project.probe)
            json.key("probed_from").value(project.probe->modelPath.toStdString());
        json.endObject();
    }
    json.endArray();
    if (const auto& probe = project.probe) {
        // Encoded in a private folder: the project folder receives only the content-named sidecar.
        const QTemporaryDir scratch;
        if (!scratch.isValid())
            return QObject::tr("cannot create a temporary folder for the probe's transform");
        const QString temp = scratch.filePath(QStringLiteral("transform.npz"));
        auto saved = saveTransform(temp.toStdString(), probe->result.transform);
        if (!saved) return QString::fromStdString(saved.error().message());
        auto bytes = readWholeFile(temp.toStdString());
        if (!bytes) return QString::fromStdString(bytes.error().message());
        auto npz = writeSidecar(folder, *bytes, ".npz");
        if (!npz) return QString::fromStdString(npz.error().message());
        referenced.insert(*npz);
        json.key("probe").beginObject().key("model").value(probe->modelPath.toStdString());
        json.key("transform").value(*npz).key("lambda").value(probe->result.lambda);
        json.key("zero_shot_accuracy").value(probe->result.zeroShotAccuracy);
        json.key("cv_accuracy").value(probe->result.cvAccuracy);
        json.key("cv_accuracy_sd").value(probe->result.cvAccuracySd);
        json.key("device").value(probe->result.device).endObject();
    }
    if (!project.populationResults.isEmpty() || !project.modelTable.isEmpty()) {
        json.key("population").beginObject().key("results").beginArray();
        for (const QString& path : project.populationResults)
            json.value(path.toStdString());
        json.endArray().key("model_table").value(project.modelTable.toStdString()).endObject();
    }
    // Display names chosen for items (models, datasets, the concept space), by the item's path.
    if (!project.names.empty()) {
        json.key("names").beginArray();
        for (const auto& [path, name] : project.names)
            json.beginObject()
                .key("path")
                .value(path.toStdString())
                .key("name")
                .value(name.toStdString())
                .endObject();
        json.endArray();
    }
    // Result caches: reopening with unchanged inputs restores these instead of recomputing them.
    if (project.oddOneOut) {
        QString error;
        writeOddOneOutCache(json, *project.oddOneOut, folder, referenced, &error);
        if (!error.isEmpty()) return error;
    }
    json.key("rsa_cache").beginArray();
    for (const auto& analysis : project.rsa)
        for (const RsaModelResult& model : analysis->models) {
            json.beginObject().key("fingerprint").value(model.fingerprint).key("r").value(model.r);
            if (model.ci95)
                json.key("ci95").beginArray().value(model.ci95->low).value(model.ci95->high).endArray();
            json.endObject();
        }
    json.endArray();
    // Computed results, as the tables and methods paragraph report them (for provenance and reports).
    json.key("results").beginObject();
    if (project.oddOneOut) {
        json.key("odd_one_out");
        writeReportTable(json, oddOneOutTable(*project.oddOneOut));
    }
    if (!project.rsa.empty()) {
        json.key("rsa");
        writeReportTable(json, rsaTable(project.rsa));
    }
    json.key("methods").value(methodsParagraph(project.oddOneOut.get(), project.rsa, applicationVersion()));
    json.endObject();
    // The sidecars this save wrote or kept: the only files a later save may remove.
    json.key("files").stringArray(std::vector<std::string>(referenced.begin(), referenced.end()));
    json.endObject();
    // The commit point: readers see the previous project.json or this one, never a mixture.
    auto committed = writeFileAtomically(projectJsonOf(folder).toStdString(), json.text() + "\n");
    if (!committed) return QString::fromStdString(committed.error().message());
    // Only sidecars the previous save wrote, no longer referenced; never anything else in the folder.
    for (const std::string& name : previousFiles) {
        if (referenced.count(name)) continue;
        const QString path = QDir(folder).filePath(QString::fromStdString(name));
        const QFileInfo file(path);
        if (file.isFile() && !file.isSymLink()) QFile::remove(path);
    }
    return {};
}

QString openProject(const QString& folder, ProjectData* project, QStringList* notes)
{
    const QString file = projectJsonOf(folder);
    auto json = readJsonFile(file.toStdString());
    if (!json) return QString::fromStdString(json.error().message());
    if (json->stringOr("format") != kFormat)
        return QObject::tr("%1: not an AlignScope project (format '%2')")
            .arg(file, QString::fromStdString(json->stringOr("format")));
    auto revision = readRevision(*json, file);
    if (!revision) return QString::fromStdString(revision.error().message());
    auto note = [notes](const QString& text) {
        if (notes) *notes << text;
    };
    // Files the user opened are named by absolute path; anything else would depend on the working folder.
    auto absolute = [&](const std::string& path, const QString& what) {
        const QString text = QString::fromStdString(path);
        if (QDir::isAbsolutePath(text)) return true;
        note(QObject::tr("%1: %2 '%3' is not an absolute path; not opened").arg(file, what, text));
        return false;
    };
    ProjectData read;
    read.revision = *revision;
    read.settings = readSettings(*json);
    if (const JsonValue* inputs = json->find("inputs"); inputs && inputs->isArray())
        for (const JsonValue& input : inputs->array)
            if (absolute(input.stringOr("path"), QObject::tr("input")))
                read.inputs.push_back({QString::fromStdString(input.stringOr("path")), changedReason(input)});
    read.oddOneOutCache = readOddOneOutCache(folder, *json, note);
    read.rsaCache = readRsaCache(folder, *json, note);
    if (const JsonValue* features = json->find("features"); features && features->isArray())
        for (const JsonValue& entry : features->array) {
            ProjectData::Features stored;
            stored.name = QString::fromStdString(entry.stringOr("name"));
            stored.summary = QString::fromStdString(entry.stringOr("summary", entry.stringOr("name")));
            if (const JsonValue* extraction = entry.find("extraction"))
                stored.extraction = readExtraction(*extraction);
            stored.transformedByProbe = entry.find("probed_from") != nullptr;
            if (const JsonValue* ids = entry.find("row_ids"); ids && ids->isArray())
                for (const JsonValue& id : ids->array)
                    stored.rowIds.push_back(id.string);
            const std::string sidecar = entry.stringOr("file");
            const std::string path = QDir(folder).filePath(QString::fromStdString(sidecar)).toStdString();
            auto bytes = readSidecar(folder, sidecar);
            auto array =
                bytes ? parseNpy(bytes->data(), bytes->size(), path) : Result<NdArray>(bytes.error());
            if (array && (array->shape.size() != 2 || !array->isNumeric() ||
                          (!stored.rowIds.empty() && std::int64_t(stored.rowIds.size()) != array->rows())))
                array = Error{path, "",
                              "features are a 2-D numeric array with one row per row ID; this is " +
                                  std::string(elementKindName(array->kind)) + " " + array->shapeString() +
                                  " for " + std::to_string(stored.rowIds.size()) + " row IDs; not used"};
            if (array) {
                stored.array = std::make_shared<const NdArray>(std::move(array).value());
            } else {
                // Extracted features are extracted again; others cannot be made again and are left out.
                note(QString::fromStdString(array.error().message()) +
                     (stored.extraction ? QObject::tr(" (features of %1; extracted again)").arg(stored.name)
                                        : QObject::tr(" (features of %1; left out)").arg(stored.name)));
                if (!stored.extraction) continue;
            }
            read.features.push_back(std::move(stored));
        }
    if (const JsonValue* probe = json->find("probe")) {
        const std::string sidecar = probe->stringOr("transform");
        auto bytes = readSidecar(folder, sidecar);
        const QString problem = bytes ? savedProbeProblem(*probe) : QString();
        auto transform =
            bytes ? loadTransform(QDir(folder).filePath(QString::fromStdString(sidecar)).toStdString())
                  : Result<ProbeTransform>(bytes.error());
        if (!transform) {
            note(QString::fromStdString(transform.error().message()) +
                 QObject::tr(" (the probe's transform; the probe is not restored: train it again)"));
        } else if (!problem.isEmpty()) {
            note(QObject::tr("%1: probe: %2; the probe is not restored (train it again)").arg(file, problem));
        } else {
            ProjectData::Probe restored;
            restored.modelPath = QString::fromStdString(probe->stringOr("model"));
            restored.result.transform = std::move(transform).value();
            restored.result.lambda = probe->numberOr("lambda", 0);
            // The accuracies come from cross-validation folds that were not saved: nothing here can
            // recompute them, so they are left out rather than shown unverified (see ProjectData::Probe).
            restored.result.zeroShotAccuracy = std::nan("");
            restored.result.cvAccuracy = std::nan("");
            restored.result.cvAccuracySd = std::nan("");
            restored.restoredFrom = file;
            restored.result.device = probe->stringOr("device");
            read.probe = std::move(restored);
        }
    }
    if (const JsonValue* population = json->find("population"); population && population->isObject()) {
        if (const JsonValue* results = population->find("results"); results && results->isArray())
            for (const JsonValue& path : results->array)
                if (path.isString() && absolute(path.string, QObject::tr("model results file")))
                    read.populationResults << QString::fromStdString(path.string);
        const std::string table = population->stringOr("model_table");
        if (!table.empty() && absolute(table, QObject::tr("model table")))
            read.modelTable = QString::fromStdString(table);
    }
    if (const JsonValue* names = json->find("names"); names && names->isArray()) {
        for (size_t i = 0; i < names->array.size(); ++i) {
            const JsonValue& entry = names->array[i];
            const JsonValue* path = entry.isObject() ? entry.find("path") : nullptr;
            const JsonValue* name = entry.isObject() ? entry.find("name") : nullptr;
            if (path && name && path->isString() && name->isString() && !name->string.empty())
                read.names[QString::fromStdString(path->string)] = QString::fromStdString(name->string);
            else
                note(QObject::tr("%1: 'names' entry %2 is not a path and a name; the default name is used")
                         .arg(file)
                         .arg(i));
        }
    }
    *project = std::move(read);
    return {};
}
