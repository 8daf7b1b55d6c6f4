#pragma once
// Cancellation and progress reporting shared by every long-running core function.

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace alignscope {

// Shared flag a caller sets to ask a running computation to stop at its next check.
class CancelToken
{
public:
    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
    bool isCancelled() const { return m_cancelled.load(std::memory_order_relaxed); }

private:
    std::atomic<bool> m_cancelled{false};
};

// fraction in [0, 1]; stage is a short human-readable label ("reading", "computing choices").
using ProgressSink = std::function<void(double fraction, const std::string& stage)>;

// What a long-running function receives: both parts are optional.
struct TaskContext
{
    const CancelToken* cancel = nullptr;
    ProgressSink progress;

    bool cancelled() const { return cancel && cancel->isCancelled(); }
    void report(double fraction, const std::string& stage) const
    {
        if (progress) progress(fraction, stage);
    }
};

} // namespace alignscope
