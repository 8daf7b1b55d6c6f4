#include "session/task_runner.h"

#include <QCoreApplication>

TaskRunner::TaskRunner(QObject* parent) : QObject(parent)
{
    m_gpuPool.setMaxThreadCount(1); // one GPU worker: kernels from several jobs would only contend
}

TaskRunner::~TaskRunner()
{
    cancelAll();
    m_cpuPool.waitForDone();
    m_gpuPool.waitForDone();
}

TaskRunner::Job TaskRunner::startJob(const QString& slot)
{
    Job job{m_nextGeneration++, std::make_shared<alignscope::CancelToken>()};
    if (!slot.isEmpty()) {
        // The job it replaces would only be dropped: stop it now (hotspot's JobTracker does the same).
        if (auto superseded = m_slotTokens.value(slot).lock()) superseded->cancel();
        m_latest[slot] = job.generation;
        m_slotTokens[slot] = job.cancel;
    }
    m_tokens.erase(
        std::remove_if(m_tokens.begin(), m_tokens.end(), [](const auto& t) { return t.expired(); }),
        m_tokens.end());
    m_tokens.push_back(job.cancel);
    for (auto it = m_slotTokens.begin(); it != m_slotTokens.end();)
        it = it->expired() && it.key() != slot ? m_slotTokens.erase(it) : ++it;
    if (m_active++ == 0) Q_EMIT busyChanged(true);
    return job;
}

bool TaskRunner::isCurrent(const QString& slot, quint64 generation) const
{
    return slot.isEmpty() || m_latest.value(slot) == generation;
}

void TaskRunner::finishJob()
{
    if (--m_active == 0) Q_EMIT busyChanged(false);
}

void TaskRunner::submit(Lane lane, std::function<void()> task)
{
    (lane == Lane::Gpu ? m_gpuPool : m_cpuPool).start(std::move(task));
}

void TaskRunner::cancelAll()
{
    for (const auto& weak : m_tokens)
        if (auto token = weak.lock()) token->cancel();
}

void TaskRunner::cancel(const QString& slot)
{
    if (auto token = m_slotTokens.value(slot).lock()) token->cancel();
}
