#include "session/project_file.h"

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
#include <cmath>
#include <set>

using namespace alignscope;

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

// Writes bytes under data/<sha256 prefix>.<suffix> unless that file exists; returns the relative name.
Result<std::string> writeSidecar(const QString& folder, const std::vector<char>& bytes,
                                 const std::string& suffix)
{
    const std::string name =
        "data/" + sha256Hex(std::string(bytes.begin(), bytes.end())).substr(0, 32) + suffix;
    const QString path = QDir(folder).filePath(QString::fromStdString(name));
    if (QFileInfo::exists(path)) return name;
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

std::shared_ptr<const OddOneOutCache> readOddOneOutCache(const QString& folder, const JsonValue& json)
{
    const JsonValue* saved = json.find("odd_one_out_cache");
    if (!saved) return nullptr;
    auto cache = std::make_shared<OddOneOutCache>();
    if (const JsonValue* models = saved->find("models"); models && models->isArray())
        for (const JsonValue& m : models->array) {
            OddOneOutCache::Model model;
            model.fingerprint = m.stringOr("fingerprint");
            model.name = m.stringOr("name");
            auto choices =
                readNpy(QDir(folder).filePath(QString::fromStdString(m.stringOr("choices"))).toStdString());
            if (!choices) return nullptr; // an incomplete cache is no cache: everything is recomputed
            for (double c : choices->toFloat64())
                model.choices.choice.push_back(std::int8_t(c));
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

std::shared_ptr<const RsaCache> readRsaCache(const JsonValue& json)
{
    auto cache = std::make_shared<RsaCache>();
    if (const JsonValue* saved = json.find("rsa_cache"); saved && saved->isArray())
        for (const JsonValue& m : saved->array) {
            std::optional<RsaInterval> interval;
            if (const JsonValue* ci = m.find("ci95"); ci && ci->isArray() && ci->array.size() == 2)
                interval = RsaInterval{ci->array[0].number, ci->array[1].number};
            cache->models.push_back({m.stringOr("fingerprint"), m.numberOr("r", std::nan("")), interval});
        }
    return cache;
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

int projectRevision(const QString& folder)
{
    auto json = readJsonFile(QDir(folder).filePath(QStringLiteral("project.json")).toStdString());
    return json ? int(json->numberOr("revision", 0)) : -1;
}

QString saveProject(const ProjectData& project, const QString& folder)
{
    if (!QDir().mkpath(QDir(folder).filePath(QStringLiteral("data"))))
        return QObject::tr("%1: cannot create the project folder").arg(folder);
    const int revision = std::max(0, projectRevision(folder)) + 1;
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
        const QString temp = QDir(folder).filePath(QStringLiteral("data/transform.tmp.npz"));
        auto saved = saveTransform(temp.toStdString(), probe->result.transform);
        if (!saved) return QString::fromStdString(saved.error().message());
        auto bytes = readWholeFile(temp.toStdString());
        QFile::remove(temp);
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
    json.endObject();
    // The commit point: readers see the previous project.json or this one, never a mixture.
    auto committed = writeFileAtomically(QDir(folder).filePath(QStringLiteral("project.json")).toStdString(),
                                         json.text() + "\n");
    if (!committed) return QString::fromStdString(committed.error().message());
    const QDir data(QDir(folder).filePath(QStringLiteral("data")));
    for (const QString& name : data.entryList(QDir::Files))
        if (!referenced.count("data/" + name.toStdString())) QFile::remove(data.filePath(name));
    return {};
}

QString openProject(const QString& folder, ProjectData* project, QStringList* notes)
{
    const QString file = QDir(folder).filePath(QStringLiteral("project.json"));
    auto json = readJsonFile(file.toStdString());
    if (!json) return QString::fromStdString(json.error().message());
    if (json->stringOr("format") != kFormat)
        return QObject::tr("%1: not an AlignScope project (format '%2')")
            .arg(file, QString::fromStdString(json->stringOr("format")));
    auto note = [notes](const QString& text) {
        if (notes) *notes << text;
    };
    ProjectData read;
    read.revision = int(json->numberOr("revision", 0));
    read.settings = readSettings(*json);
    if (const JsonValue* inputs = json->find("inputs"); inputs && inputs->isArray())
        for (const JsonValue& input : inputs->array)
            read.inputs.push_back({QString::fromStdString(input.stringOr("path")), changedReason(input)});
    read.oddOneOutCache = readOddOneOutCache(folder, *json);
    read.rsaCache = readRsaCache(*json);
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
            auto array =
                readNpy(QDir(folder).filePath(QString::fromStdString(entry.stringOr("file"))).toStdString());
            if (array)
                stored.array = std::make_shared<const NdArray>(std::move(array).value());
            else if (!stored.extraction) { // extracted features can be extracted again
                note(QString::fromStdString(array.error().message()));
                continue;
            }
            read.features.push_back(std::move(stored));
        }
    if (const JsonValue* probe = json->find("probe")) {
        auto transform = loadTransform(
            QDir(folder).filePath(QString::fromStdString(probe->stringOr("transform"))).toStdString());
        if (transform) {
            ProjectData::Probe restored;
            restored.modelPath = QString::fromStdString(probe->stringOr("model"));
            restored.result.transform = std::move(transform).value();
            restored.result.lambda = probe->numberOr("lambda", 0);
            restored.result.zeroShotAccuracy = probe->numberOr("zero_shot_accuracy", 0);
            restored.result.cvAccuracy = probe->numberOr("cv_accuracy", 0);
            restored.result.cvAccuracySd = probe->numberOr("cv_accuracy_sd", 0);
            restored.result.device = probe->stringOr("device");
            read.probe = std::move(restored);
        } else {
            note(QString::fromStdString(transform.error().message()));
        }
    }
    if (const JsonValue* population = json->find("population"); population && population->isObject()) {
        if (const JsonValue* results = population->find("results"); results && results->isArray())
            for (const JsonValue& path : results->array)
                if (path.isString()) read.populationResults << QString::fromStdString(path.string);
        read.modelTable = QString::fromStdString(population->stringOr("model_table"));
    }
    *project = std::move(read);
    return {};
}
