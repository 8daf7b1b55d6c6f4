// TaskRunner: a job replaced by a newer one of the same slot is cancelled through its token (it stops, or
// never starts when it was still queued) and only the newest result is delivered; other slots and jobs
// without a slot are left alone.
#include "session/task_runner.h"

#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTest>
#include <array>
#include <atomic>
#include <thread>

using namespace alignscope;

Q_DECLARE_METATYPE(TaskRunner::Lane)

namespace {

// What a job saw of its token; written on the worker, read after the runner went idle.
struct JobTrace
{
    std::atomic<bool> started{false};
    std::atomic<bool> sawCancel{false};
};

// Polls the token as long analyses do, for at most `limitMs`: a job nobody cancels runs to that limit.
int pollUntilCancelled(const TaskContext& context, JobTrace& trace, int value, int limitMs)
{
    trace.started = true;
    context.report(0.0, "started");
    const QDeadlineTimer deadline(limitMs);
    while (!context.cancelled() && !deadline.hasExpired())
        std::this_thread::yield();
    trace.sawCancel = context.cancelled();
    return value;
}

} // namespace

class TestTaskRunner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void supersededJobsAreCancelled_data();
    void supersededJobsAreCancelled();
    void otherJobsAreNotCancelled_data();
    void otherJobsAreNotCancelled();
};

void TestTaskRunner::supersededJobsAreCancelled_data()
{
    QTest::addColumn<TaskRunner::Lane>("lane");
    QTest::newRow("cpu lane") << TaskRunner::Lane::Cpu;
    QTest::newRow("gpu lane (one worker: the second job waits in the queue)") << TaskRunner::Lane::Gpu;
}

// Three quick starts of one slot: the first two are cancelled (the running one sees its token cancelled
// and stops; a queued one may never start), and only the third result is delivered.
void TestTaskRunner::supersededJobsAreCancelled()
{
    QFETCH(TaskRunner::Lane, lane);
    TaskRunner runner;
    std::array<JobTrace, 3> traces;
    std::vector<int> delivered;
    QSignalSpy progress(&runner, &TaskRunner::progressChanged);
    auto start = [&](int job) {
        runner.run<int>(
            QStringLiteral("analysis"), this,
            [&traces, job](const TaskContext& context) {
                // The newest job returns at once; superseded ones run until cancelled (10 s otherwise).
                JobTrace& trace = traces[size_t(job)];
                if (job < 2) return pollUntilCancelled(context, trace, job, 10000);
                trace.started = true;
                trace.sawCancel = context.cancelled();
                return job;
            },
            [&delivered](int value) { delivered.push_back(value); }, lane);
    };
    start(0);
    QVERIFY(progress.wait(10000)); // the first job runs
    start(1);
    start(2);
    QSignalSpy busy(&runner, &TaskRunner::busyChanged);
    QVERIFY(busy.wait(30000));
    QCOMPARE(busy.last().front().toBool(), false);

    QVERIFY(traces[0].started);
    QVERIFY2(traces[0].sawCancel, "the running job was not cancelled when superseded");
    QVERIFY2(!traces[1].started || traces[1].sawCancel, "the second job ran to its end");
    QVERIFY(traces[2].started);
    QVERIFY(!traces[2].sawCancel);
    QCOMPARE(delivered, std::vector<int>{2});
}

void TestTaskRunner::otherJobsAreNotCancelled_data()
{
    QTest::addColumn<QString>("otherSlot");
    QTest::newRow("a job of another slot") << QStringLiteral("other");
    QTest::newRow("a job without a slot") << QString();
}

// A new job cancels only its own slot's job: another slot's job, or one without a slot (a project save),
// runs to its end and is delivered.
void TestTaskRunner::otherJobsAreNotCancelled()
{
    QFETCH(QString, otherSlot);
    TaskRunner runner;
    JobTrace other;
    std::vector<QString> delivered;
    QSignalSpy progress(&runner, &TaskRunner::progressChanged);
    runner.run<int>(
        otherSlot, this,
        [&other](const TaskContext& context) { return pollUntilCancelled(context, other, 0, 300); },
        [&delivered](int) { delivered.push_back(QStringLiteral("other")); });
    QVERIFY(progress.wait(10000));
    for (int job = 0; job < 2; ++job)
        runner.run<int>(
            QStringLiteral("analysis"), this, [job](const TaskContext&) { return job; },
            [&delivered](int value) { delivered.push_back(QString::number(value)); });
    QSignalSpy busy(&runner, &TaskRunner::busyChanged);
    QVERIFY(busy.wait(30000));
    QVERIFY(other.started);
    QVERIFY(!other.sawCancel);
    QVERIFY(delivered.size() >= 2);
    QVERIFY(std::count(delivered.begin(), delivered.end(), QStringLiteral("other")) == 1);
    QCOMPARE(delivered.back() == QStringLiteral("other") ? delivered.front() : delivered.back(),
             QStringLiteral("1"));
    QVERIFY(std::count(delivered.begin(), delivered.end(), QStringLiteral("0")) == 0);
}

QTEST_GUILESS_MAIN(TestTaskRunner)
#include "tst_task_runner.moc"
