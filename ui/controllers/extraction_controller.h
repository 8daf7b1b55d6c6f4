#pragma once
// Owns feature extraction: inspects every TorchScript model the Session gets, runs a queue of extraction
// jobs (one at a time, each with progress and cancel), and adds the features to the Session with the
// extraction that produced them. Models run in alignscope-cli child processes (ModelProcess): a model that
// crashes, aborts, hangs or exhausts memory fails its job, and the app and its workspace carry on.

#include "alignscope/exported_model.h"
#include "alignscope/feature_extraction.h"
#include "alignscope/json_reader.h"
#include "alignscope/model_metadata.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QTemporaryDir>
#include <map>
#include <memory>
#include <optional>
#include <vector>

class ModelProcess;
class Session;
class TaskRunner;

class ExtractionController : public QObject
{
    Q_OBJECT
public:
    ExtractionController(Session* session, TaskRunner* tasks, QObject* parent = nullptr);

    // A model's card (null until inspected, or when inspection failed: see inspectError).
    const alignscope::ModelInfo* modelInfo(const QString& path) const;
    QString inspectError(const QString& path) const { return m_inspectErrors.value(path); }
    // What an inspected model file exported by AlignScope says about itself (its preprocessing and named
    // outputs); null for a plain TorchScript file or before inspection.
    const alignscope::ExportedModelManifest* exportedManifest(const QString& path) const;

    enum class JobState
    {
        Queued,
        Running,
        Done,
        Failed,
        Cancelled
    };
    // A model by name that the job's child exports (once, into the feature cache) and extracts with the
    // preprocessing its file carries.
    struct ModelByName
    {
        QString spec;                                       // "torchvision:resnet18", "python:/abs/lab.py"
        QString weights = QStringLiteral("DEFAULT");        // DEFAULT, none, an enum name or a .pth file
        QStringList outputs{QStringLiteral("penultimate")}; // named outputs: penultimate, logits, node names
    };
    struct Job
    {
        alignscope::ExtractionRequest request; // a model by name: its spec as modelPath until exported
        std::optional<ModelByName> byName;
        QString slot;
        JobState state = JobState::Queued;
        QString status;
        double progress = 0;
        bool useCache = true;
        // The Session items its features joined as, each with the output its name carries after the model's
        // ("" when the job gave one).
        std::vector<std::pair<int, QString>> joined;
    };
    // Queues an extraction; returns the job's index.
    int queueExtraction(const alignscope::ExtractionRequest& request, bool useCache);
    // Queues the export and extraction of a model by name on `imagePaths`; returns the job's index.
    int queueModelByName(const ModelByName& model, const std::vector<std::string>& imagePaths, bool useCache);
    void cancelJob(int job);
    // Gives the features a finished job made the model name `name` (with each one's output after it when it
    // gave several): Session::rename, refused when another item has the name or the job made nothing.
    bool renameJob(int job, const QString& name, QString* error = nullptr);
    // The model name the job's features carry now (renamed anywhere), empty until they joined.
    QString jobModelName(int job) const;
    void cancelAll(); // every queued and running job (a new workspace)
    const std::vector<Job>& jobs() const { return m_jobs; }
    // A model process is running or a job is queued.
    bool isBusy() const;
    // What exported models' files say about them (family, parameters, top-1, training data, objective: the
    // manifest's "metadata" object), by the Session item their features joined as.
    const std::map<int, alignscope::JsonValue>& exportedModelMetadata() const { return m_exportedMetadata; }
    // The same as a model table, by the items' names now (for the Compare page).
    alignscope::ModelMetadata exportedModelTable() const;

Q_SIGNALS:
    void modelInfoChanged(const QString& path);
    void jobAdded(int job);
    void jobChanged(int job);
    // A job's features joined the Session as these items.
    void featuresExtracted(const QList<int>& itemIds);
    void idle(); // isBusy() became false
    void exportedModelMetadataChanged();

private:
    void inspect(const QString& path);
    void readManifest(const QString& path);
    void startNextJob();
    void finishJob(int job, bool ok, const QByteArray& output, const QString& error);
    void checkIdle();
    void setJobState(int job, JobState state, const QString& status);
    QList<int> addFeatures(const alignscope::ExtractionRequest& request,
                           const alignscope::ExtractionResult& result,
                           const alignscope::ExportedModelManifest& manifest, int job);

    Session* m_session;
    TaskRunner* m_tasks;
    QHash<QString, alignscope::ModelInfo> m_infos;
    QHash<QString, QString> m_inspectErrors;
    QHash<QString, alignscope::ExportedModelManifest> m_manifests;
    std::vector<Job> m_jobs;
    std::map<int, alignscope::JsonValue> m_exportedMetadata;
    int m_inspecting = 0;
    int m_runningJob = -1;
    ModelProcess* m_extraction = nullptr;       // the running job's process
    std::unique_ptr<QTemporaryDir> m_jobFolder; // its image list and output files
};
