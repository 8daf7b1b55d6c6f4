#include "session/project.h"

#include "controllers/odd_one_out_controller.h"
#include "controllers/rsa_controller.h"
#include "main_window.h"
#include "pages/models_page.h"
#include "pages/probe_page.h"
#include "session/workspace.h"

#include "alignscope/feature_cache.h"
#include "alignscope/file_io.h"
#include "alignscope/json_reader.h"
#include "alignscope/json_writer.h"
#include "alignscope/npy.h"
#include "alignscope/probe.h"
#include "alignscope/report_tables.h"
#include "alignscope/sha256.h"
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

void writeExtraction(JsonWriter& json, const ModelsPage::Extraction& extraction)
{
    const ExtractionRequest& request = extraction.request;
    json.key("extraction").beginObject();
    json.key("model").value(request.modelPath);
    // The key of the inputs the features were extracted from (not of the files as they are now).
    json.key("key").value(extraction.cacheKey);
    json.key("method").value(request.output.method).key("output").value(request.output.output);
    json.key("pool").value(request.output.pooling == SpatialPooling::Flatten ? "flatten" : "avg");
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

ExtractionRequest readExtraction(const JsonValue& e)
{
    ExtractionRequest request;
    request.modelPath = e.stringOr("model");
    request.output.method = e.stringOr("method", "forward");
    request.output.output = e.stringOr("output");
    request.output.pooling =
        e.stringOr("pool") == "flatten" ? SpatialPooling::Flatten : SpatialPooling::Average;
    request.preprocessing.resize = int(e.numberOr("resize", 256));
    request.preprocessing.crop = int(e.numberOr("crop", 224));
    request.preprocessing.filter =
        e.stringOr("filter") == "bicubic" ? ResizeFilter::Bicubic : ResizeFilter::Bilinear;
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
    return request;
}

Interval intervalOf(const JsonValue* value)
{
    Interval interval;
    if (value && value->isArray() && value->array.size() == 2) {
        interval.low = value->array[0].isNumber() ? value->array[0].number : std::nan("");
        interval.high = value->array[1].isNumber() ? value->array[1].number : std::nan("");
    }
    return interval;
}

void restoreResultCaches(MainWindow& window, const QString& folder, const JsonValue& json)
{
    if (const JsonValue* saved = json.find("odd_one_out_cache")) {
        auto cache = std::make_shared<OddOneOutCache>();
        if (const JsonValue* models = saved->find("models"); models && models->isArray())
            for (const JsonValue& m : models->array) {
                OddOneOutCache::Model model;
                model.fingerprint = m.stringOr("fingerprint");
                model.name = m.stringOr("name");
                auto choices = readNpy(
                    QDir(folder).filePath(QString::fromStdString(m.stringOr("choices"))).toStdString());
                if (!choices) return; // an incomplete cache is no cache: everything is recomputed
                for (double c : choices->toFloat64())
                    model.choices.choice.push_back(std::int8_t(c));
                model.choices.correct = std::int64_t(m.numberOr("correct", 0));
                model.choices.ties = std::int64_t(m.numberOr("ties", 0));
                model.choices.refined = std::int64_t(m.numberOr("refined", 0));
                model.choices.device = m.stringOr("device");
                model.ci95 = intervalOf(m.find("ci95"));
                model.ci95Objects = intervalOf(m.find("ci95_objects"));
                if (const JsonValue* concepts = m.find("per_concept"); concepts && concepts->isArray())
                    for (const JsonValue& c : concepts->array)
                        model.perConcept.push_back(
                            {int(c.numberOr("dimension", 0)), c.stringOr("label"),
                             std::int64_t(c.numberOr("triplets", 0)), std::int64_t(c.numberOr("correct", 0)),
                             c.numberOr("accuracy", std::nan("")), intervalOf(c.find("ci95"))});
                cache->models.push_back(std::move(model));
            }
        window.oddOneOut()->setResultCache(std::move(cache));
    }
    auto rsaCache = std::make_shared<RsaCache>();
    if (const JsonValue* saved = json.find("rsa_cache"); saved && saved->isArray())
        for (const JsonValue& m : saved->array) {
            std::optional<RsaInterval> interval;
            if (const JsonValue* ci = m.find("ci95"); ci && ci->isArray() && ci->array.size() == 2)
                interval = RsaInterval{ci->array[0].number, ci->array[1].number};
            rsaCache->models.push_back({m.stringOr("fingerprint"), m.numberOr("r", std::nan("")), interval});
        }
    window.rsa()->setResultCache(std::move(rsaCache));
}

} // namespace

int projectRevision(const QString& folder)
{
    auto json = readJsonFile(QDir(folder).filePath(QStringLiteral("project.json")).toStdString());
    return json ? int(json->numberOr("revision", 0)) : -1;
}

QString saveProject(MainWindow& window, const QString& folder)
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
    json.key("settings").beginObject();
    json.key("similarity").value(similarityName(window.oddOneOut()->similarity()));
    json.key("rdm").value(rdmMethodName(window.rsa()->method()));
    json.key("compare").value(compareMethodName(window.rsa()->compare()));
    json.key("concepts").value(window.oddOneOut()->conceptPath().toStdString());
    json.key("bootstrap_seed").value(0);
    json.key("row_identities").beginArray();
    for (const auto& [path, identity] : window.oddOneOut()->rowIdentities()) {
        json.beginObject().key("path").value(path.toStdString());
        json.key("policy").value(identity.policy == RowIdentity::Policy::Canonical ? "canonical"
                                 : identity.policy == RowIdentity::Policy::Sorted  ? "sorted"
                                                                                   : "ids");
        if (identity.policy == RowIdentity::Policy::Ids) json.key("ids").stringArray(identity.ids);
        json.endObject();
    }
    json.endArray().endObject();
    json.key("inputs").beginArray();
    for (const QString& path : window.openedPaths()) {
        json.beginObject();
        writeFingerprint(json, path);
        json.endObject();
    }
    json.endArray();
    // Features that exist only in memory (extracted by a model, transformed by the probe).
    json.key("features").beginArray();
    for (const LoadedItem& item : window.workspace()->items()) {
        if (item.kind != LoadedItem::Kind::Matrix || !item.matrix ||
            window.openedPaths().contains(item.path) || QFileInfo::exists(item.path))
            continue;
        auto npy = writeSidecar(folder, encodeNpy(item.matrix->array), ".npy");
        if (!npy) return QString::fromStdString(npy.error().message());
        referenced.insert(*npy);
        json.beginObject()
            .key("name")
            .value(item.path.toStdString())
            .key("file")
            .value(*npy)
            .key("summary")
            .value(item.summary.toStdString());
        json.key("row_ids").stringArray(item.matrix->rowIds);
        if (const auto* extraction = window.modelsPage()->extractionOf(item.path))
            writeExtraction(json, *extraction);
        if (window.probePage()->result() && item.path.contains(QStringLiteral("+probe")))
            json.key("probed_from").value(window.probePage()->probedModelPath().toStdString());
        json.endObject();
    }
    json.endArray();
    if (const auto& probe = window.probePage()->result()) {
        const QString temp = QDir(folder).filePath(QStringLiteral("data/transform.tmp.npz"));
        auto saved = saveTransform(temp.toStdString(), probe->transform);
        if (!saved) return QString::fromStdString(saved.error().message());
        auto bytes = readWholeFile(temp.toStdString());
        QFile::remove(temp);
        if (!bytes) return QString::fromStdString(bytes.error().message());
        auto npz = writeSidecar(folder, *bytes, ".npz");
        if (!npz) return QString::fromStdString(npz.error().message());
        referenced.insert(*npz);
        json.key("probe")
            .beginObject()
            .key("model")
            .value(window.probePage()->probedModelPath().toStdString())
            .key("transform")
            .value(*npz)
            .key("lambda")
            .value(probe->lambda)
            .key("zero_shot_accuracy")
            .value(probe->zeroShotAccuracy)
            .key("cv_accuracy")
            .value(probe->cvAccuracy)
            .key("cv_accuracy_sd")
            .value(probe->cvAccuracySd)
            .key("device")
            .value(probe->device)
            .endObject();
    }
    // Result caches: reopening with unchanged inputs restores these instead of recomputing them.
    if (const auto analysis = window.oddOneOut()->analysis()) {
        json.key("odd_one_out_cache").beginObject().key("models").beginArray();
        for (const ModelAnalysis& model : analysis->models) {
            std::vector<std::int64_t> choices(model.choices.choice.begin(), model.choices.choice.end());
            const std::int64_t count = std::int64_t(choices.size()); // before the move below
            auto npy = writeSidecar(folder, encodeNpy(makeInt64Array({count}, std::move(choices))), ".npy");
            if (!npy) return QString::fromStdString(npy.error().message());
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
                .key("ci95")
                .beginArray()
                .value(model.ci95.low)
                .value(model.ci95.high)
                .endArray()
                .key("ci95_objects")
                .beginArray()
                .value(model.ci95Objects.low)
                .value(model.ci95Objects.high)
                .endArray()
                .key("per_concept")
                .beginArray();
            for (const ConceptAccuracy& c : model.perConcept)
                json.beginObject()
                    .key("dimension")
                    .value(c.dimension)
                    .key("label")
                    .value(c.label)
                    .key("triplets")
                    .value(c.triplets)
                    .key("correct")
                    .value(c.correct)
                    .key("accuracy")
                    .value(c.accuracy)
                    .key("ci95")
                    .beginArray()
                    .value(c.ci95.low)
                    .value(c.ci95.high)
                    .endArray()
                    .endObject();
            json.endArray().endObject();
        }
        json.endArray().endObject();
    }
    json.key("rsa_cache").beginArray();
    for (const auto& analysis : window.rsa()->analyses())
        for (const RsaModelResult& model : analysis->models) {
            json.beginObject().key("fingerprint").value(model.fingerprint).key("r").value(model.r);
            if (model.ci95)
                json.key("ci95").beginArray().value(model.ci95->low).value(model.ci95->high).endArray();
            json.endObject();
        }
    json.endArray();
    // Computed results, as the tables and methods paragraph report them (for provenance and reports).
    json.key("results").beginObject();
    const auto analysis = window.oddOneOut()->analysis();
    auto table = [&json](const ReportTable& t) {
        json.beginObject()
            .key("caption")
            .value(t.caption)
            .key("header")
            .stringArray(t.header)
            .key("rows")
            .beginArray();
        for (const auto& row : t.rows)
            json.stringArray(row);
        json.endArray().endObject();
    };
    if (analysis) {
        json.key("odd_one_out");
        table(oddOneOutTable(*analysis));
    }
    if (!window.rsa()->analyses().empty()) {
        json.key("rsa");
        table(rsaTable(window.rsa()->analyses()));
    }
    json.key("methods").value(
        methodsParagraph(analysis.get(), window.rsa()->analyses(), applicationVersion()));
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

QString openProject(MainWindow& window, const QString& folder, QStringList* notes)
{
    auto json = readJsonFile(QDir(folder).filePath(QStringLiteral("project.json")).toStdString());
    if (!json) return QString::fromStdString(json.error().message());
    if (json->stringOr("format") != kFormat)
        return QObject::tr("%1: not an AlignScope project (format '%2')")
            .arg(QDir(folder).filePath(QStringLiteral("project.json")),
                 QString::fromStdString(json->stringOr("format")));
    auto note = [notes](const QString& text) {
        if (notes) *notes << text;
    };
    if (const JsonValue* settings = json->find("settings")) {
        if (auto kind = parseSimilarityKind(settings->stringOr("similarity", "cosine")))
            window.setSimilarity(*kind);
        auto method = parseRdmMethod(settings->stringOr("rdm", "correlation"));
        auto compare = parseCompareMethod(settings->stringOr("compare", "spearman"));
        if (method && compare) window.setRsaMethods(*method, *compare);
        window.oddOneOut()->setConceptPath(QString::fromStdString(settings->stringOr("concepts")));
        if (const JsonValue* identities = settings->find("row_identities");
            identities && identities->isArray())
            for (const JsonValue& entry : identities->array) {
                const std::string policy = entry.stringOr("policy");
                RowIdentity identity = policy == "canonical" ? RowIdentity::canonical()
                                       : policy == "sorted"  ? RowIdentity::sorted()
                                                             : RowIdentity{};
                if (policy == "ids")
                    if (const JsonValue* ids = entry.find("ids"); ids && ids->isArray())
                        for (const JsonValue& id : ids->array)
                            identity.ids.push_back(id.string);
                window.oddOneOut()->setRowIdentity(QString::fromStdString(entry.stringOr("path")), identity);
            }
    }
    QStringList paths;
    if (const JsonValue* inputs = json->find("inputs"); inputs && inputs->isArray())
        for (const JsonValue& input : inputs->array) {
            const QString reason = changedReason(input);
            if (!reason.isEmpty()) note(reason);
            const QString path = QString::fromStdString(input.stringOr("path"));
            if (QFileInfo::exists(path)) paths << path;
        }
    restoreResultCaches(window, folder, *json);
    window.openPaths(paths);
    if (const JsonValue* features = json->find("features"); features && features->isArray())
        for (const JsonValue& entry : features->array) {
            const QString name = QString::fromStdString(entry.stringOr("name"));
            if (const JsonValue* extraction = entry.find("extraction")) {
                const ExtractionRequest request = readExtraction(*extraction);
                auto key = featureCacheKey(request);
                if (!key || *key != extraction->stringOr("key")) {
                    note(QObject::tr("%1: the model or its images changed since the project was saved; "
                                     "extracting again")
                             .arg(name));
                    window.modelsPage()->queueExtraction(request, true);
                    continue;
                }
                window.modelsPage()->rememberExtraction(name, {request, *key});
            }
            auto array =
                readNpy(QDir(folder).filePath(QString::fromStdString(entry.stringOr("file"))).toStdString());
            if (!array) {
                note(QString::fromStdString(array.error().message()));
                continue;
            }
            auto matrix = std::make_shared<LoadedMatrix>();
            matrix->array = std::move(array).value();
            if (const JsonValue* ids = entry.find("row_ids"); ids && ids->isArray())
                for (const JsonValue& id : ids->array)
                    matrix->rowIds.push_back(id.string);
            matrix->rowIdOrigin = "project";
            LoadedItem item;
            item.kind = LoadedItem::Kind::Matrix;
            item.path = name;
            item.summary = QString::fromStdString(entry.stringOr("summary", name.toStdString()));
            item.matrix = std::move(matrix);
            window.workspace()->add(std::move(item));
        }
    if (const JsonValue* probe = json->find("probe")) {
        auto transform = loadTransform(
            QDir(folder).filePath(QString::fromStdString(probe->stringOr("transform"))).toStdString());
        if (transform) {
            ProbeResult result;
            result.transform = std::move(transform).value();
            result.lambda = probe->numberOr("lambda", 0);
            result.zeroShotAccuracy = probe->numberOr("zero_shot_accuracy", 0);
            result.cvAccuracy = probe->numberOr("cv_accuracy", 0);
            result.cvAccuracySd = probe->numberOr("cv_accuracy_sd", 0);
            result.device = probe->stringOr("device");
            window.probePage()->restore(result, QString::fromStdString(probe->stringOr("model")));
        } else {
            note(QString::fromStdString(transform.error().message()));
        }
    }
    return {};
}
