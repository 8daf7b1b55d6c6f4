#include "controllers/extraction_controller.h"

#include "controllers/model_process.h"
#include "session/session.h"
#include "session/task_runner.h"

#include "alignscope/file_io.h"
#include "alignscope/matrix_file.h"
#include "alignscope/npy.h"
#include "alignscope/text_matrix.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace alignscope;

namespace {

std::string text(const QJsonObject& object, const char* key)
{
    return object.value(QLatin1String(key)).toString().toStdString();
}

ModelInfo modelInfoFromJson(const QJsonObject& json)
{
    ModelInfo info;
    info.path = text(json, "path");
    info.sha256 = text(json, "sha256");
    info.fileBytes = std::int64_t(json.value(QLatin1String("file_bytes")).toDouble());
    info.parameterCount = std::int64_t(json.value(QLatin1String("parameters")).toDouble());
    info.bufferCount = std::int64_t(json.value(QLatin1String("buffer_values")).toDouble());
    for (const QJsonValue& method : json.value(QLatin1String("methods")).toArray())
        info.methods.push_back({text(method.toObject(), "name"), text(method.toObject(), "schema")});
    for (const QJsonValue& child : json.value(QLatin1String("submodules")).toArray())
        info.submodules.push_back(child.toString().toStdString());
    info.probeSize = json.value(QLatin1String("probe_size")).toInt();
    for (const QJsonValue& value : json.value(QLatin1String("outputs")).toArray()) {
        ModelOutput output;
        output.selector = text(value.toObject(), "selector");
        for (const QJsonValue& d : value.toObject().value(QLatin1String("shape")).toArray())
            output.shape.push_back(std::int64_t(d.toDouble()));
        info.probeOutputs.push_back(std::move(output));
    }
    info.probeError = text(json, "probe_error");
    return info;
}

QString triple(const std::array<float, 3>& values)
{
    return QStringLiteral("%1,%2,%3")
        .arg(double(values[0]), 0, 'g', 9)
        .arg(double(values[1]), 0, 'g', 9)
        .arg(double(values[2]), 0, 'g', 9);
}

// A model by name: the child exports it (or finds its export in the cache) and takes the preprocessing from
// its file, so none is passed; several outputs are extracted in one run and the chosen ones kept.
QStringList modelByNameArguments(const ExtractionController::Job& job, const QString& imageList,
                                 const QString& out)
{
    const ExtractionController::ModelByName& model = *job.byName;
    QStringList layers;
    for (const QString& output : model.outputs)
        if (output != QLatin1String("penultimate") && output != QLatin1String("logits")) layers << output;
    QStringList arguments{QStringLiteral("extract"),
                          QStringLiteral("--model"),
                          model.spec,
                          QStringLiteral("--weights"),
                          model.weights,
                          QStringLiteral("--images"),
                          imageList,
                          QStringLiteral("--out"),
                          out,
                          QStringLiteral("--output"),
                          model.outputs.size() == 1 ? model.outputs.front() : QStringLiteral("all"),
                          QStringLiteral("--batch-size"),
                          QString::number(job.request.batchSize),
                          QStringLiteral("--timeout"),
                          QString::number(ModelProcess::modelCallTimeoutSeconds()),
                          QStringLiteral("--json"),
                          QStringLiteral("--progress-json")};
    if (!layers.isEmpty()) arguments << QStringLiteral("--layers") << layers.join(QLatin1Char(','));
    if (!job.useCache) arguments << QStringLiteral("--no-cache");
    return arguments;
}

// The CLI arguments that make alignscope-cli build exactly `request` (and so the same feature cache key).
QStringList extractArguments(const ExtractionRequest& request, const QString& imageList, const QString& out,
                             bool useCache)
{
    const Preprocessing& p = request.preprocessing;
    QStringList arguments{QStringLiteral("extract"),
                          QStringLiteral("--model"),
                          QString::fromStdString(request.modelPath),
                          QStringLiteral("--images"),
                          imageList,
                          QStringLiteral("--out"),
                          out,
                          QStringLiteral("--method"),
                          QString::fromStdString(request.output.method),
                          QStringLiteral("--pool"),
                          QString::fromLatin1(poolingName(request.output.pooling)),
                          QStringLiteral("--resize"),
                          QString::number(p.resize),
                          QStringLiteral("--crop"),
                          QString::number(p.crop),
                          QStringLiteral("--interpolation"),
                          QString::fromLatin1(resizeFilterName(p.filter)),
                          QStringLiteral("--mean"),
                          triple(p.mean),
                          QStringLiteral("--std"),
                          triple(p.std),
                          QStringLiteral("--batch-size"),
                          QString::number(request.batchSize),
                          QStringLiteral("--device"),
                          QString::fromLatin1(computeDeviceName(request.device)),
                          QStringLiteral("--timeout"),
                          QString::number(ModelProcess::modelCallTimeoutSeconds()),
                          QStringLiteral("--json"),
                          QStringLiteral("--progress-json")};
    if (!request.output.output.empty())
        arguments << QStringLiteral("--output") << QString::fromStdString(request.output.output);
    if (request.half) arguments << QStringLiteral("--half");
    if (request.onBrokenImage == BrokenImagePolicy::Skip) arguments << QStringLiteral("--skip-broken");
    if (!useCache) arguments << QStringLiteral("--no-cache");
    return arguments;
}

struct ExtractedFiles
{
    ExtractionResult result;
    std::string modelFile;          // the exported file of a model by name, else empty
    ExportedModelManifest manifest; // what the model file says about itself (present: exported by AlignScope)
};

// The features the child wrote (its JSON names the files) and the model file's manifest, read back on a
// worker.
Result<ExtractedFiles> readExtraction(const QJsonObject& json, const std::string& modelPath)
{
    ExtractedFiles files;
    files.modelFile = text(json, "model_file");
    auto manifest = readExportedModelManifest(files.modelFile.empty() ? modelPath : files.modelFile);
    if (manifest) files.manifest = std::move(manifest).value(); // a file it cannot read has no metadata
    ExtractionResult& result = files.result;
    result.device = text(json, "device");
    result.fromCache = json.value(QLatin1String("from_cache")).toBool();
    result.seconds = json.value(QLatin1String("seconds")).toDouble();
    result.modelSha256 = text(json, "model_sha256");
    result.cacheKey = text(json, "cache_key");
    for (const QJsonValue& value : json.value(QLatin1String("skipped")).toArray())
        result.skipped.push_back({text(value.toObject(), "path"), text(value.toObject(), "reason")});
    for (const QJsonValue& value : json.value(QLatin1String("outputs")).toArray()) {
        const std::string file = text(value.toObject(), "file");
        auto array = readNpy(file);
        if (!array) return array.error();
        if (array->shape.size() != 2) return makeError(file, "", "the model process wrote no n × p matrix");
        if (result.outputs.empty()) {
            auto rows = readIdList(rowsSidecarPath(file));
            if (!rows) return rows.error();
            result.rowIds = std::move(rows).value();
        }
        if (std::int64_t(result.rowIds.size()) != array->shape[0])
            return makeError(file, "", "its rows file does not have a line per row");
        result.outputs.push_back(
            {text(value.toObject(), "selector"), array->shape[0], array->shape[1], array->toFloat32()});
    }
    if (result.outputs.empty()) return makeError("", "", "the model process reported no output");
    return files;
}

// What an exported model's job extracted, as a request for its file: what a project saves and extracts again
// through the ordinary path.
ExtractionRequest exportedRequest(ExtractionRequest request,
                                  const std::optional<ExtractionController::ModelByName>& byName,
                                  const std::string& modelFile, const ExportedModelManifest& manifest)
{
    if (!byName || modelFile.empty()) return request;
    request.modelPath = modelFile;
    if (manifest.present) request.preprocessing = manifest.preprocessing;
    request.output.output = byName->outputs.size() == 1 ? byName->outputs.front().toStdString() : "all";
    return request;
}

} // namespace

ExtractionController::ExtractionController(Session* session, TaskRunner* tasks, QObject* parent)
    : QObject(parent), m_session(session), m_tasks(tasks)
{
    connect(session, &Session::itemAdded, this, [this](int id) {
        const SessionItem* item = m_session->item(id);
        if (item && item->role == ItemRole::TorchScriptModel && !m_infos.contains(item->data.path) &&
            !m_inspectErrors.contains(item->data.path))
            inspect(item->data.path);
    });
}

bool ExtractionController::isBusy() const
{
    if (m_inspecting > 0 || m_runningJob >= 0) return true;
    return std::any_of(m_jobs.begin(), m_jobs.end(),
                       [](const Job& job) { return job.state == JobState::Queued; });
}

void ExtractionController::checkIdle()
{
    if (!isBusy()) Q_EMIT idle();
}

void ExtractionController::inspect(const QString& path)
{
    m_inspectErrors.insert(path, tr("inspecting…"));
    ++m_inspecting;
    auto* process = new ModelProcess(this);
    connect(process, &ModelProcess::finished, this,
            [this, process, path](bool ok, const QByteArray& output, const QString& error) {
                process->deleteLater();
                --m_inspecting;
                const QJsonObject json = QJsonDocument::fromJson(output).object();
                if (ok && json.contains(QLatin1String("sha256"))) {
                    m_inspectErrors.remove(path);
                    m_infos.insert(path, modelInfoFromJson(json));
                    if (json.value(QLatin1String("alignscope")).isObject()) readManifest(path);
                } else {
                    m_inspectErrors.insert(
                        path, ok ? tr("%1: the model process printed no model card").arg(path) : error);
                }
                Q_EMIT modelInfoChanged(path);
                checkIdle();
            });
    process->start({QStringLiteral("inspect"), QStringLiteral("--model"), path, QStringLiteral("--json"),
                    QStringLiteral("--timeout"), QString::number(ModelProcess::modelCallTimeoutSeconds())},
                   QFileInfo(path).fileName());
}

// An AlignScope export's own preprocessing and outputs prefill its extraction settings; the archive is read
// on a worker (a cancelled read leaves the model without them, as a plain TorchScript file).
void ExtractionController::readManifest(const QString& path)
{
    m_tasks->run<Result<ExportedModelManifest>>(
        QString(), this,
        [file = path.toStdString()](const TaskContext&) { return readExportedModelManifest(file); },
        [this, path](Result<ExportedModelManifest> manifest) {
            if (!manifest || !manifest->present || !m_infos.contains(path)) return;
            m_manifests.insert(path, std::move(manifest).value());
            Q_EMIT modelInfoChanged(path);
        });
}

const ModelInfo* ExtractionController::modelInfo(const QString& path) const
{
    const auto it = m_infos.find(path);
    return it == m_infos.end() ? nullptr : &it.value();
}

const ExportedModelManifest* ExtractionController::exportedManifest(const QString& path) const
{
    const auto it = m_manifests.find(path);
    return it == m_manifests.end() ? nullptr : &it.value();
}

int ExtractionController::queueModelByName(const ModelByName& model,
                                           const std::vector<std::string>& imagePaths, bool useCache)
{
    ExtractionRequest request;
    request.modelPath = model.spec.toStdString();
    request.imagePaths = imagePaths;
    request.output.output = model.outputs.join(QLatin1Char(',')).toStdString();
    const int job = int(m_jobs.size());
    m_jobs.push_back(
        {request, model, QStringLiteral("extract:%1").arg(job + 1), JobState::Queued, tr("queued"), 0});
    m_jobs.back().useCache = useCache;
    Q_EMIT jobAdded(job);
    if (m_runningJob < 0) startNextJob();
    return job;
}

int ExtractionController::queueExtraction(const ExtractionRequest& request, bool useCache)
{
    const int job = int(m_jobs.size());
    m_jobs.push_back({request, std::nullopt, QStringLiteral("extract:%1").arg(job + 1), JobState::Queued,
                      tr("queued"), 0});
    m_jobs.back().useCache = useCache;
    Q_EMIT jobAdded(job);
    if (m_runningJob < 0) startNextJob();
    return job;
}

void ExtractionController::startNextJob()
{
    const auto next = std::find_if(m_jobs.begin(), m_jobs.end(),
                                   [](const Job& job) { return job.state == JobState::Queued; });
    if (next == m_jobs.end()) {
        checkIdle();
        return;
    }
    const int job = int(next - m_jobs.begin());
    m_runningJob = job;
    m_jobFolder = std::make_unique<QTemporaryDir>();
    const QString imageList = m_jobFolder->filePath(QStringLiteral("images.txt"));
    std::string lines;
    for (const std::string& path : next->request.imagePaths)
        lines += path + '\n';
    const auto written = m_jobFolder->isValid()
                             ? alignscope::writeFileAtomically(imageList.toStdString(), lines)
                             : alignscope::Status(alignscope::makeError(imageList.toStdString(), "",
                                                                        "cannot create a temporary folder"));
    if (!written) {
        finishJob(job, false, {},
                  tr("cannot write the image list for the model process: %1")
                      .arg(QString::fromStdString(written.error().message())));
        return;
    }
    m_extraction = new ModelProcess(this);
    connect(m_extraction, &ModelProcess::progress, this, [this, job](double fraction, const QString& stage) {
        m_jobs[size_t(job)].progress = fraction;
        setJobState(job, JobState::Running, stage.isEmpty() ? tr("running") : stage);
    });
    connect(m_extraction, &ModelProcess::finished, this,
            [this, job](bool ok, const QByteArray& output, const QString& error) {
                finishJob(job, ok, output, error);
            });
    setJobState(job, JobState::Running, tr("starting the model process"));
    const QString features = m_jobFolder->filePath(QStringLiteral("features.npy"));
    m_extraction->start(next->byName ? modelByNameArguments(*next, imageList, features)
                                     : extractArguments(next->request, imageList, features, next->useCache),
                        next->byName ? next->byName->spec
                                     : QFileInfo(QString::fromStdString(next->request.modelPath)).fileName());
}

void ExtractionController::finishJob(int job, bool ok, const QByteArray& output, const QString& error)
{
    if (m_extraction) m_extraction->deleteLater();
    m_extraction = nullptr;
    auto startNext = [this] {
        m_jobFolder.reset();
        m_runningJob = -1;
        startNextJob();
    };
    if (m_jobs[size_t(job)].state == JobState::Cancelled) { // the user's cancel ended it
        startNext();
        return;
    }
    if (!ok) {
        setJobState(job, JobState::Failed, error);
        startNext();
        return;
    }
    const QJsonObject json = QJsonDocument::fromJson(output).object();
    const ExtractionRequest request = m_jobs[size_t(job)].request;
    // Reading the files back may take a moment for large outputs: on a worker, then the next job.
    m_tasks->run<Result<ExtractedFiles>>(
        m_jobs[size_t(job)].slot, this,
        [json, model = request.modelPath](const TaskContext&) { return readExtraction(json, model); },
        [this, job, request, startNext](Result<ExtractedFiles> files) {
            const ExtractionResult* result = files ? &files->result : nullptr;
            if (m_jobs[size_t(job)].state == JobState::Cancelled) {
                // cancelled while its files were read back: nothing joins the Session
            } else if (!files) {
                setJobState(job, JobState::Failed, QString::fromStdString(files.error().message()));
            } else {
                m_jobs[size_t(job)].progress = 1;
                setJobState(job, JobState::Done,
                            tr("%1 rows%2%3")
                                .arg(result->rowIds.size())
                                .arg(result->fromCache ? tr(", from the cache")
                                                       : tr(", %1 s on %2")
                                                             .arg(result->seconds, 0, 'f', 1)
                                                             .arg(QString::fromStdString(result->device)))
                                .arg(result->skipped.empty()
                                         ? QString()
                                         : tr(", %1 images skipped").arg(result->skipped.size())));
                const QList<int> added = addFeatures(
                    exportedRequest(request, m_jobs[size_t(job)].byName, files->modelFile, files->manifest),
                    *result, files->manifest, job);
                Q_EMIT jobChanged(job); // its features joined (Job::joined): the job can name them now
                Q_EMIT featuresExtracted(added);
            }
            startNext();
        });
}

void ExtractionController::cancelJob(int job)
{
    if (job < 0 || size_t(job) >= m_jobs.size()) return;
    const JobState state = m_jobs[size_t(job)].state;
    if (state != JobState::Queued && state != JobState::Running) return;
    setJobState(job, JobState::Cancelled, tr("cancelled"));
    // A running process ends and finishJob follows; a job whose files are being read back is dropped when
    // they arrive.
    if (job == m_runningJob && m_extraction) m_extraction->cancel();
    checkIdle();
}

void ExtractionController::cancelAll()
{
    for (size_t job = 0; job < m_jobs.size(); ++job)
        cancelJob(int(job));
}

void ExtractionController::setJobState(int job, JobState state, const QString& status)
{
    m_jobs[size_t(job)].state = state;
    m_jobs[size_t(job)].status = status;
    Q_EMIT jobChanged(job);
}
ModelMetadata ExtractionController::exportedModelTable() const
{
    JsonValue document;
    document.type = JsonValue::Type::Object;
    for (const auto& [id, metadata] : m_exportedMetadata) {
        const SessionItem* item = m_session->item(id);
        if (!item) continue;
        const std::string name = item->modelName().toStdString();
        if (document.find(name)) continue; // one row a name
        JsonValue cells;
        cells.type = JsonValue::Type::Object;
        for (const auto& cell : metadata.object)
            if (!cell.second.isObject() && !cell.second.isArray()) cells.object.push_back(cell);
        document.object.emplace_back(name, std::move(cells));
    }
    if (document.object.empty()) return {};
    auto table = modelMetadataFromJson(document, "the exported models' files");
    return table ? std::move(table).value() : ModelMetadata{};
}

QList<int> ExtractionController::addFeatures(const ExtractionRequest& request, const ExtractionResult& result,
                                             const ExportedModelManifest& manifest, int job)
{
    // An exported model is named as it was exported ("resnet18"), not by its file in the cache.
    // (a python: model by its file's stem, "lab_net" for lab_net.py).
    QString model = QFileInfo(QString::fromStdString(request.modelPath)).completeBaseName();
    if (manifest.present && !manifest.name.empty())
        model = manifest.source == "python"
                    ? QFileInfo(QString::fromStdString(manifest.name)).completeBaseName()
                    : QString::fromStdString(manifest.name);
    const std::optional<ModelByName>& byName = m_jobs[size_t(job)].byName;
    // Settings the user chose over the file's own are kept, and said so where the features are described.
    QString difference;
    if (manifest.present && request.preprocessing.describe() != manifest.preprocessing.describe())
        difference = tr("preprocessing %1 differs from the model file's (%2, from %3)")
                         .arg(QString::fromStdString(request.preprocessing.describe()),
                              QString::fromStdString(manifest.preprocessing.describe()),
                              QString::fromStdString(manifest.preprocessingFrom));
    if (!difference.isEmpty())
        Q_EMIT m_session->message(QStringLiteral("%1: %2").arg(model, difference), false);
    QList<int> added;
    for (const ExtractedFeatures& output : result.outputs) {
        if (byName && byName->outputs.size() > 1 &&
            !byName->outputs.contains(QString::fromStdString(output.selector)))
            continue; // --output all also gave outputs nobody chose
        auto matrix = std::make_shared<LoadedMatrix>();
        matrix->array = makeFloat32Array({output.rows, output.cols}, output.values);
        matrix->rowIds = result.rowIds;
        matrix->rowIdOrigin = "image file stems";
        LoadedItem item;
        item.kind = LoadedItem::Kind::Matrix;
        // A virtual path naming the model, its output and the job (no dots: a model's name is the base name).
        item.path =
            QStringLiteral("%1 %2%3 (job %4)")
                .arg(model, QString::fromStdString(request.output.method),
                     output.selector.empty() ? QString()
                                             : QStringLiteral(" ") + QString::fromStdString(output.selector))
                .arg(job + 1)
                .replace('.', '_');
        // Shown as the model's name, with the output when one run gave several ("demo_cnn", "resnet50
        // layer4").
        const QString namedOutput = result.outputs.size() < 2 || output.selector.empty()
                                        ? QString()
                                        : QString::fromStdString(output.selector);
        item.name = namedOutput.isEmpty() ? model : model + QLatin1Char(' ') + namedOutput;
        item.summary = QStringLiteral("%1: %2×%3 extracted").arg(item.path).arg(output.rows).arg(output.cols);
        if (!difference.isEmpty()) item.summary += QStringLiteral("; ") + difference;
        item.matrix = std::move(matrix);
        const int id = m_session->add(std::move(item), Session::Origin::Computed);
        ExtractionRequest single = request;
        if (byName && byName->outputs.size() > 1) single.output.output = output.selector;
        m_session->recordExtraction(id, {single, result.cacheKey});
        if (manifest.present && manifest.metadata.isObject()) m_exportedMetadata[id] = manifest.metadata;
        added << id;
        m_jobs[size_t(job)].joined.emplace_back(id, namedOutput);
    }
    if (manifest.present && manifest.metadata.isObject()) Q_EMIT exportedModelMetadataChanged();
    return added;
}

bool ExtractionController::renameJob(int job, const QString& name, QString* error)
{
    if (job < 0 || size_t(job) >= m_jobs.size() || m_jobs[size_t(job)].joined.empty()) {
        if (error) *error = tr("job %1 has made no features to name").arg(job + 1);
        return false;
    }
    const QString wanted = name.trimmed();
    if (wanted.isEmpty()) {
        if (error) *error = tr("a model's name cannot be empty");
        return false;
    }
    const auto& joined = m_jobs[size_t(job)].joined;
    const auto nameOf = [&wanted](const QString& output) {
        return output.isEmpty() ? wanted : wanted + QLatin1Char(' ') + output;
    };
    // Every name is checked before any is given: a sweep is renamed whole or not at all.
    for (const auto& [id, output] : joined)
        if (!m_session->nameIsFree(nameOf(output), id)) {
            if (error) *error = tr("\"%1\" is already the name of another item").arg(nameOf(output));
            return false;
        }
    for (const auto& [id, output] : joined)
        if (!m_session->rename(id, nameOf(output), error)) return false;
    return true;
}

QString ExtractionController::jobModelName(int job) const
{
    if (job < 0 || size_t(job) >= m_jobs.size() || m_jobs[size_t(job)].joined.empty()) return {};
    const auto& [id, output] = m_jobs[size_t(job)].joined.front();
    const SessionItem* item = m_session->item(id);
    if (!item) return {};
    QString name = item->modelName();
    if (!output.isEmpty() && name.endsWith(QLatin1Char(' ') + output)) name.chop(output.size() + 1);
    return name;
}
