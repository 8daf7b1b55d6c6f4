#pragma once
// Owns feature extraction: inspects every TorchScript model the Session gets, runs a queue of extraction
// jobs (one at a time on the compute lane, each with progress and cancel), and adds the features to the
// Session with the extraction that produced them.

#include "alignscope/feature_extraction.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <vector>

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

    enum class JobState
    {
        Queued,
        Running,
        Done,
        Failed,
        Cancelled
    };
    struct Job
    {
        alignscope::ExtractionRequest request;
        QString slot;
        JobState state = JobState::Queued;
        QString status;
        double progress = 0;
    };
    // Queues an extraction; returns the job's index.
    int queueExtraction(const alignscope::ExtractionRequest& request, bool useCache);
    void cancelJob(int job);
    const std::vector<Job>& jobs() const { return m_jobs; }

Q_SIGNALS:
    void modelInfoChanged(const QString& path);
    void jobAdded(int job);
    void jobChanged(int job);
    // A job's features joined the Session as these items.
    void featuresExtracted(const QList<int>& itemIds);

private:
    void inspect(const QString& path);
    void setJobState(int job, JobState state, const QString& status);
    QList<int> addFeatures(const alignscope::ExtractionRequest& request,
                           const alignscope::ExtractionResult& result, int job);

    Session* m_session;
    TaskRunner* m_tasks;
    QHash<QString, alignscope::ModelInfo> m_infos;
    QHash<QString, QString> m_inspectErrors;
    std::vector<Job> m_jobs;
};
