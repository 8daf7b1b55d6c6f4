// alignscope-cli batch / merge under faults: a finished job is reused only while its parameters and input
// contents are unchanged, merge reports only the current manifest's jobs and treats corrupt files as
// incomplete, two runs on one folder exclude each other, and a killed batch takes its running job with it.
#include "test_support.h"

#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <csignal>

namespace {

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// PIDs of processes whose command line mentions `text`.
QList<qint64> processesMentioning(const QString& text)
{
    QList<qint64> pids;
    for (const QString& entry : QDir("/proc").entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool numeric = false;
        const qint64 pid = entry.toLongLong(&numeric);
        if (!numeric) continue;
        QByteArray cmdline = readAll("/proc/" + entry + "/cmdline");
        cmdline.replace('\0', ' ');
        if (cmdline.contains(text.toUtf8()) && pid != QCoreApplication::applicationPid()) pids << pid;
    }
    return pids;
}

} // namespace

class TestBatchFaults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void changedParameterOrInputReruns_data();
    void changedParameterOrInputReruns();
    void mergeReportsOnlyTheCurrentManifest();
    void corruptFilesAreIncomplete_data();
    void corruptFilesAreIncomplete();
    void secondRunOnTheSameFolderIsRefused();
    void killedBatchTakesItsJobWithIt();
    void jobIndexMustBeANumber_data();
    void jobIndexMustBeANumber();

private:
    QString manifest(const QString& name, const QString& models, const QString& analyses) const
    {
        const QString json =
            QString(
                R"({"models": [%1], "datasets": [{"name": "test", "objects": "demo/concepts/things_concepts.tsv",
            "triplets": "demo/triplets/test_10.txt"}], "analyses": [%2]})")
                .arg(models, analyses);
        return QString::fromStdString(testsupport::writeBytes(QDir(m_dir.path()), name, json.toUtf8()));
    }
    testsupport::CliResult batch(const QString& manifestPath, const QString& out) const
    {
        return testsupport::runCli({"batch", "--manifest", manifestPath, "--out", m_dir.filePath(out)});
    }
    QTemporaryDir m_dir;
};

void TestBatchFaults::initTestCase()
{
    const auto demo = testsupport::runCli({"demo", "--out", m_dir.filePath("demo")});
    QVERIFY2(demo.exitCode == 0, qPrintable(demo.err));
    QVERIFY(QFile::copy(m_dir.filePath("demo/models/colour_histogram.npy"), m_dir.filePath("features.npy")));
    QVERIFY(QFile::copy(m_dir.filePath("demo/models/colour_histogram.rows.txt"),
                        m_dir.filePath("features.rows.txt")));
}

void TestBatchFaults::changedParameterOrInputReruns_data()
{
    QTest::addColumn<QString>("secondAnalysis");
    QTest::addColumn<bool>("changeFeatures");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unchanged") << R"({"type": "ooo", "bootstrap": 10})" << false << "0 done, 1 skipped";
    QTest::newRow("bootstrap 10 -> 20")
        << R"({"type": "ooo", "bootstrap": 20})" << false << "1 done, 0 skipped";
    QTest::newRow("seed added") << R"({"type": "ooo", "bootstrap": 10, "seed": 7})" << false
                                << "1 done, 0 skipped";
    QTest::newRow("features rewritten, same size")
        << R"({"type": "ooo", "bootstrap": 10})" << true << "1 done, 0 skipped";
}

void TestBatchFaults::changedParameterOrInputReruns()
{
    QFETCH(QString, secondAnalysis);
    QFETCH(bool, changeFeatures);
    QFETCH(QString, expected);
    const QString out = QString("rerun-%1").arg(QTest::currentDataTag()).replace(' ', '_');
    const QString model = R"({"name": "m", "features": "features.npy"})";
    const auto first = batch(manifest("first.json", model, R"({"type": "ooo", "bootstrap": 10})"), out);
    QVERIFY2(first.exitCode == 0 && first.out.contains("1 done, 0 skipped"),
             qPrintable(first.out + first.err));
    const QByteArray original = readAll(m_dir.filePath("features.npy"));
    if (changeFeatures) { // same size and name, different content: flip the sign of the last value
        QByteArray changed = original;
        changed[changed.size() - 1] = char(changed[changed.size() - 1] ^ 0x80);
        testsupport::writeBytes(QDir(m_dir.path()), "features.npy", changed);
    }
    const auto second = batch(manifest("second.json", model, secondAnalysis), out);
    testsupport::writeBytes(QDir(m_dir.path()), "features.npy", original);
    QVERIFY2(second.exitCode == 0 && second.out.contains(expected), qPrintable(second.out + second.err));
    const QJsonObject status =
        QJsonDocument::fromJson(readAll(m_dir.filePath(out + "/jobs/ooo-cosine.m.test/status.json")))
            .object();
    QCOMPARE(status["fingerprint"].toString().size(), 64);
}

void TestBatchFaults::mergeReportsOnlyTheCurrentManifest()
{
    const QString two =
        R"({"name": "a", "features": "features.npy"}, {"name": "b", "features": "features.npy"})";
    QVERIFY(batch(manifest("two.json", two, R"({"type": "ooo", "bootstrap": 0})"), "current").exitCode == 0);
    const auto one = batch(manifest("one.json", R"({"name": "a", "features": "features.npy"})",
                                    R"({"type": "ooo", "bootstrap": 0})"),
                           "current");
    QVERIFY2(one.exitCode == 0 && one.out.contains("0 done, 1 skipped"), qPrintable(one.out + one.err));
    const auto merge = testsupport::runCli({"merge", m_dir.filePath("current")});
    QVERIFY2(merge.exitCode == 0, qPrintable(merge.err));
    QVERIFY(merge.err.contains("1 job folder(s) not in the current manifest left out"));
    const QByteArray csv = readAll(m_dir.filePath("current/merged.csv"));
    QVERIFY(csv.contains("ooo-cosine.a.test"));
    QVERIFY(!csv.contains("ooo-cosine.b.test"));
}

void TestBatchFaults::corruptFilesAreIncomplete_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("state");
    QTest::newRow("half a result") << "result.json" << QByteArray("{\"models\": [") << "corrupt result";
    QTest::newRow("result not an object") << "result.json" << QByteArray("[]") << "corrupt result";
    QTest::newRow("empty status") << "status.json" << QByteArray() << "corrupt status";
    QTest::newRow("status not an object") << "status.json" << QByteArray("42") << "corrupt status";
}

void TestBatchFaults::corruptFilesAreIncomplete()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QFETCH(QString, state);
    const QString out = QString("corrupt-%1").arg(QTest::currentDataTag()).replace(' ', '_');
    const QString manifestPath = manifest("corrupt.json", R"({"name": "m", "features": "features.npy"})",
                                          R"({"type": "ooo", "bootstrap": 0})");
    QVERIFY(batch(manifestPath, out).exitCode == 0);
    testsupport::writeBytes(QDir(m_dir.filePath(out + "/jobs/ooo-cosine.m.test")), file, content);
    const auto merge = testsupport::runCli({"merge", m_dir.filePath(out)});
    QCOMPARE(merge.exitCode, 1);
    QVERIFY2(merge.err.contains(file), qPrintable(merge.err));
    QVERIFY(readAll(m_dir.filePath(out + "/merged.csv")).contains("ooo-cosine.m.test,"));
    QVERIFY(readAll(m_dir.filePath(out + "/merged.csv")).contains(state.toUtf8()));
    // The next run does the job again instead of trusting the damaged folder.
    const auto rerun = batch(manifestPath, out);
    QVERIFY2(rerun.exitCode == 0 && rerun.out.contains("1 done, 0 skipped"),
             qPrintable(rerun.out + rerun.err));
    QCOMPARE(testsupport::runCli({"merge", m_dir.filePath(out)}).exitCode, 0);
}

void TestBatchFaults::secondRunOnTheSameFolderIsRefused()
{
    QFile source(QStringLiteral(ALIGNSCOPE_DEMO_MANIFEST));
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QString manifestPath = QString::fromStdString(
        testsupport::writeBytes(QDir(m_dir.path()), "demo_manifest.json", source.readAll()));
    QProcess first;
    first.start(qEnvironmentVariable("ALIGNSCOPE_CLI"),
                {"batch", "--manifest", manifestPath, "--out", m_dir.filePath("locked")});
    QByteArray out;
    while (!out.contains("running ") && first.waitForReadyRead(60000))
        out += first.readAllStandardOutput();
    QVERIFY(out.contains("running "));
    const auto second = batch(manifestPath, "locked");
    QCOMPARE(second.exitCode, 1);
    QVERIFY2(second.err.contains("is in use by another alignscope-cli batch (process " +
                                 QString::number(first.processId()) + ")"),
             qPrintable(second.err));
    // A Slurm array task cannot start beside a whole-batch run either...
    const auto task = testsupport::runCli(
        {"batch", "--manifest", manifestPath, "--out", m_dir.filePath("locked"), "--job-index", "3"});
    QCOMPARE(task.exitCode, 1);
    QVERIFY2(task.err.contains("is in use by another alignscope-cli batch"), qPrintable(task.err));
    ::kill(pid_t(first.processId()), SIGKILL);
    first.waitForFinished();
    // The kernel released the lock with the process: the folder can be used again.
    const auto third = testsupport::runCli(
        {"batch", "--manifest", manifestPath, "--out", m_dir.filePath("locked"), "--stage", "extract"});
    QVERIFY2(third.exitCode == 0, qPrintable(third.err));
    // ...but array tasks run side by side, each on its own job.
    QProcess firstTask;
    firstTask.start(qEnvironmentVariable("ALIGNSCOPE_CLI"), {"batch", "--manifest", manifestPath, "--out",
                                                             m_dir.filePath("array"), "--job-index", "0"});
    out.clear();
    while (!out.contains("running ") && firstTask.waitForReadyRead(60000))
        out += firstTask.readAllStandardOutput();
    const auto secondTask = testsupport::runCli(
        {"batch", "--manifest", manifestPath, "--out", m_dir.filePath("array"), "--job-index", "1"});
    QVERIFY2(secondTask.exitCode == 0, qPrintable(secondTask.err));
    QVERIFY(firstTask.waitForFinished(120000));
    QCOMPARE(firstTask.exitCode(), 0);
}

void TestBatchFaults::killedBatchTakesItsJobWithIt()
{
    // A model that never returns: without the parent-death signal its extraction would run on for good.
    QProcess script;
    script.start("/usr/bin/python3", {QStringLiteral(ALIGNSCOPE_FIXTURE_SCRIPT), m_dir.filePath("fx")});
    QVERIFY(script.waitForFinished(300000));
    QVERIFY2(script.exitCode() == 0, script.readAllStandardError().constData());
    const QString manifestPath = QString::fromStdString(testsupport::writeBytes(
        QDir(m_dir.path()), "hang.json",
        R"({"models": [{"name": "hang", "torchscript": "fx/faulty/hang.pt", "images": "fx/images"}],
            "datasets": [{"name": "test", "objects": "demo/concepts/things_concepts.tsv", "triplets": "demo/triplets/test_10.txt"}],
            "analyses": [{"type": "ooo"}]})"));
    const QString out = m_dir.filePath("orphans");
    QProcess run;
    run.start(qEnvironmentVariable("ALIGNSCOPE_CLI"),
              {"batch", "--manifest", manifestPath, "--out", out, "--stage", "extract"});
    QVERIFY(run.waitForStarted());
    // The extraction child names the batch folder (its feature cache) on its command line.
    QTRY_VERIFY_WITH_TIMEOUT(processesMentioning(out + "/cache").size() == 1, 30000);
    const qint64 child = processesMentioning(out + "/cache").first();
    // Whatever the outcome, do not leave an orphan spinning in the model.
    const auto reap = qScopeGuard([child] { ::kill(pid_t(child), SIGKILL); });
    ::kill(pid_t(run.processId()), SIGKILL);
    run.waitForFinished();
    // Gone, or a zombie waiting to be reaped: never still running the model.
    auto stopped = [&] {
        const QByteArray stat = readAll("/proc/" + QString::number(child) + "/stat");
        const int paren = stat.lastIndexOf(')');
        return stat.isEmpty() ||
               (paren > 0 && (stat.mid(paren + 2, 1) == "Z" || stat.mid(paren + 2, 1) == "X"));
    };
    QTRY_VERIFY_WITH_TIMEOUT(stopped(), 10000);
}

void TestBatchFaults::jobIndexMustBeANumber_data()
{
    QTest::addColumn<QString>("index");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty (unset Slurm variable)") << ""
                                                  << "--job-index: '' is not a whole number";
    QTest::newRow("text") << "abc"
                          << "is not a whole number";
    QTest::newRow("negative") << "-1"
                              << "must be from 0 to";
    QTest::newRow("exponent") << "1e3"
                              << "is not a whole number";
    QTest::newRow("past the end") << "99"
                                  << "--job-index 99 is outside 0..0";
}

void TestBatchFaults::jobIndexMustBeANumber()
{
    QFETCH(QString, index);
    QFETCH(QString, expected);
    const QString manifestPath = manifest("index.json", R"({"name": "m", "features": "features.npy"})",
                                          R"({"type": "ooo", "bootstrap": 0})");
    const auto result = testsupport::runCli(
        {"batch", "--manifest", manifestPath, "--out", m_dir.filePath("index"), "--job-index", index});
    QVERIFY(result.exitCode != 0);
    QVERIFY2(result.err.contains(expected), qPrintable(result.err));
    QVERIFY(!QFile::exists(m_dir.filePath("index/jobs")));
}

QTEST_GUILESS_MAIN(TestBatchFaults)
#include "tst_batch_faults.moc"
