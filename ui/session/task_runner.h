#pragma once
// The one owner of background work in the UI. Jobs run on a private thread pool (and a single-thread
// pool for GPU work); results come back on the GUI thread through a context object and are dropped
// when the job was superseded, cancelled or the context died. A job superseded by a newer one of its slot
// is cancelled through its token (a queued one never starts), so quick changes do not queue up whole
// analyses whose results nobody will see. The destructor cancels and joins all.

#include "alignscope/progress.h"

#include <QCoreApplication>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <functional>
#include <memory>

class TaskRunner : public QObject
{
    Q_OBJECT
public:
    explicit TaskRunner(QObject* parent = nullptr);
    ~TaskRunner() override;

    enum class Lane
    {
        Cpu,
        Gpu
    };

    // Runs `work` off the GUI thread; `deliver` runs on the GUI thread with its result unless the job
    // was superseded by a newer job with the same non-empty `slot`, was cancelled, or `context` died.
    // A newer job of the same slot cancels this one's token (`work` should poll it); a job of a slot that
    // is cancelled before it starts does not run `work`. Jobs without a slot always run `work` (a save).
    template <class R>
    void run(const QString& slot, QObject* context, std::function<R(const alignscope::TaskContext&)> work,
             std::function<void(R)> deliver, Lane lane = Lane::Cpu);

    void cancelAll();
    // Cancels the newest job run under `slot` (a queued job then ends as soon as it starts).
    void cancel(const QString& slot);
    int activeJobs() const { return m_active; }

Q_SIGNALS:
    void progressChanged(const QString& label, double fraction);
    void busyChanged(bool busy);

private:
    struct Job
    {
        quint64 generation = 0;
        std::shared_ptr<alignscope::CancelToken> cancel;
    };
    Job startJob(const QString& slot);
    bool isCurrent(const QString& slot, quint64 generation) const;
    void finishJob();
    void submit(Lane lane, std::function<void()> task);

    QThreadPool m_cpuPool;
    QThreadPool m_gpuPool;
    QHash<QString, quint64> m_latest;
    quint64 m_nextGeneration = 1;
    std::vector<std::weak_ptr<alignscope::CancelToken>> m_tokens;
    QHash<QString, std::weak_ptr<alignscope::CancelToken>> m_slotTokens;
    int m_active = 0;
};

template <class R>
void TaskRunner::run(const QString& slot, QObject* context,
                     std::function<R(const alignscope::TaskContext&)> work, std::function<void(R)> deliver,
                     Lane lane)
{
    const Job job = startJob(slot);
    QPointer<QObject> guard(context);
    QPointer<TaskRunner> self(this);
    submit(lane, [=]() {
        if (!slot.isEmpty() && job.cancel->isCancelled()) { // superseded or cancelled while queued
            QMetaObject::invokeMethod(
                self ? static_cast<QObject*>(self) : QCoreApplication::instance(),
                [self] {
                    if (self) self->finishJob();
                },
                Qt::QueuedConnection);
            return;
        }
        alignscope::TaskContext task;
        task.cancel = job.cancel.get();
        task.progress = [self, slot](double fraction, const std::string&) {
            if (self)
                QMetaObject::invokeMethod(
                    self,
                    [self, slot, fraction] {
                        if (self) Q_EMIT self->progressChanged(slot, fraction);
                    },
                    Qt::QueuedConnection);
        };
        auto result = std::make_shared<R>(work(task));
        QMetaObject::invokeMethod(
            self ? static_cast<QObject*>(self) : QCoreApplication::instance(),
            [=]() {
                if (!self) return;
                if (guard && !job.cancel->isCancelled() && self->isCurrent(slot, job.generation))
                    deliver(std::move(*result));
                // After delivery: jobs it starts keep the runner busy, so "idle" means the chain is done.
                if (self) self->finishJob();
            },
            Qt::QueuedConnection);
    });
}
