#pragma once
// Runs a function once on the next turn of the event loop, however often it was requested before then:
// several files arriving together (a folder, a multi-file drop) recompute an analysis once.

#include <QObject>
#include <functional>

class CoalescedCall
{
public:
    // `context` owns the call: it is dropped when the context is destroyed first.
    CoalescedCall(QObject* context, std::function<void()> work) : m_context(context), m_work(std::move(work))
    {
    }

    void request()
    {
        if (m_pending) return;
        m_pending = true;
        QMetaObject::invokeMethod(
            m_context,
            [this] {
                m_pending = false;
                m_work();
            },
            Qt::QueuedConnection);
    }
    bool isPending() const { return m_pending; }

private:
    QObject* m_context;
    std::function<void()> m_work;
    bool m_pending = false;
};
