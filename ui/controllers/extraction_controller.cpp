#include "controllers/extraction_controller.h"

#include "session/session.h"
#include "session/task_runner.h"

#include "alignscope/feature_cache.h"
#include "alignscope/npy.h"

#include <QFileInfo>

using namespace alignscope;

ExtractionController::ExtractionController(Session* session, TaskRunner* tasks, QObject* parent)
    : QObject(parent), m_session(session), m_tasks(tasks)
{
    connect(session, &Session::itemAdded, this, [this](int id) {
        const SessionItem* item = m_session->item(id);
        if (item && item->role == ItemRole::TorchScriptModel && !m_infos.contains(item->data.path) &&
            !m_inspectErrors.contains(item->data.path))
            inspect(item->data.path);
    });
    connect(tasks, &TaskRunner::progressChanged, this, [this](const QString& slot, double fraction) {
        for (size_t job = 0; job < m_jobs.size(); ++job) {
            if (m_jobs[job].slot != slot) continue;
            m_jobs[job].progress = fraction;
            if (m_jobs[job].state == JobState::Queued)
                setJobState(int(job), JobState::Running, tr("running"));
            else
                Q_EMIT jobChanged(int(job));
        }
    });
}

void ExtractionController::inspect(const QString& path)
{
    m_inspectErrors.insert(path, tr("inspecting…"));
    m_tasks->run<Result<ModelInfo>>(
        QStringLiteral("inspect:") + path, this,
        [path](const TaskContext&) { return inspectModel(path.toStdString()); },
        [this, path](Result<ModelInfo> info) {
            if (info) {
                m_inspectErrors.remove(path);
                m_infos.insert(path, *info);
            } else {
                m_inspectErrors.insert(path, QString::fromStdString(info.error().message()));
            }
            Q_EMIT modelInfoChanged(path);
        });
}

const ModelInfo* ExtractionController::modelInfo(const QString& path) const
{
    const auto it = m_infos.find(path);
    return it == m_infos.end() ? nullptr : &it.value();
}

int ExtractionController::queueExtraction(const ExtractionRequest& request, bool useCache)
{
    const int job = int(m_jobs.size());
    m_jobs.push_back({request, QStringLiteral("extract:%1").arg(job + 1), JobState::Queued, tr("queued"), 0});
    Q_EMIT jobAdded(job);
    const std::string cacheFolder = useCache ? defaultFeatureCacheFolder() : std::string();
    m_tasks->run<Result<ExtractionResult>>(
        m_jobs.back().slot, this,
        [request, cacheFolder](const TaskContext& context) {
            return extractFeaturesCached(request, cacheFolder, context);
        },
        [this, job, request](Result<ExtractionResult> result) {
            if (!result) {
                setJobState(job, JobState::Failed, QString::fromStdString(result.error().message()));
                return;
            }
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
            Q_EMIT featuresExtracted(addFeatures(request, *result, job));
        },
        TaskRunner::Lane::Gpu);
    return job;
}

void ExtractionController::cancelJob(int job)
{
    if (job < 0 || size_t(job) >= m_jobs.size()) return;
    const JobState state = m_jobs[size_t(job)].state;
    if (state != JobState::Queued && state != JobState::Running) return;
    m_tasks->cancel(m_jobs[size_t(job)].slot);
    setJobState(job, JobState::Cancelled, tr("cancelled"));
}

void ExtractionController::setJobState(int job, JobState state, const QString& status)
{
    m_jobs[size_t(job)].state = state;
    m_jobs[size_t(job)].status = status;
    Q_EMIT jobChanged(job);
}

QList<int> ExtractionController::addFeatures(const ExtractionRequest& request, const ExtractionResult& result,
                                             int job)
{
    const QString model = QFileInfo(QString::fromStdString(request.modelPath)).completeBaseName();
    QList<int> added;
    for (const ExtractedFeatures& output : result.outputs) {
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
        item.summary = QStringLiteral("%1: %2×%3 extracted").arg(item.path).arg(output.rows).arg(output.cols);
        item.matrix = std::move(matrix);
        const int id = m_session->add(std::move(item), Session::Origin::Computed);
        m_session->recordExtraction(id, {request, result.cacheKey});
        added << id;
    }
    return added;
}
