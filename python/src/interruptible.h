#pragma once
// Runs a core computation without the GIL on a worker thread while the calling thread watches for Ctrl-C:
// a KeyboardInterrupt cancels the computation through the core's cancel token, waits for it to stop, and
// is raised in Python. Other Python threads run meanwhile.

#include "alignscope/progress.h"

#include <pybind11/pybind11.h>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

namespace alignscope::python {

template <class Work> auto interruptible(Work work) -> decltype(work(TaskContext{}))
{
    using Value = decltype(work(TaskContext{}));
    CancelToken token;
    TaskContext context;
    context.cancel = &token;
    std::optional<Value> value;
    std::exception_ptr failure;
    bool interrupted = false;
    {
        pybind11::gil_scoped_release release;
        std::mutex mutex;
        std::condition_variable finished;
        bool done = false;
        std::thread worker([&] {
            try {
                value.emplace(work(context));
            } catch (...) {
                failure = std::current_exception();
            }
            std::lock_guard<std::mutex> lock(mutex);
            done = true;
            finished.notify_one();
        });
        std::unique_lock<std::mutex> lock(mutex);
        while (!finished.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; })) {
            if (interrupted) continue;
            lock.unlock();
            {
                pybind11::gil_scoped_acquire acquire;
                if (PyErr_CheckSignals() != 0) interrupted = true; // the exception stays set for below
            }
            if (interrupted) token.cancel();
            lock.lock();
        }
        lock.unlock();
        worker.join();
    }
    if (interrupted) throw pybind11::error_already_set();
    if (failure) std::rethrow_exception(failure);
    return std::move(*value);
}

} // namespace alignscope::python
