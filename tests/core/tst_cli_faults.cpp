// The CLI against hostile files and models: writes go only to regular files (a FIFO stays a FIFO, a symbolic
// link is followed to its regular file), temporaries of killed runs are cleaned up, features and their row
// IDs are written as one unit, distinct outputs never share a file; FIFOs as inputs, decompression bombs,
// huge declared images and hanging, raising or NaN-returning models end with an error naming the file, not a
// hang or a crash; and
// --verify-cache notices an image replaced behind the cache's back.
#include "test_support.h"

#include "alignscope/file_io.h"

#include <QDirIterator>
#include <QTemporaryDir>

#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <zip.h>

using namespace alignscope;

namespace {

bool isFifo(const QString& path)
{
    struct stat info
    {
    };
    return ::lstat(path.toLocal8Bit().constData(), &info) == 0 && S_ISFIFO(info.st_mode);
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestCliFaults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void writesGoOnlyToRegularFiles_data();
    void writesGoOnlyToRegularFiles();
    void staleTemporariesAreRemoved();
    void sidecarsAreWrittenWithTheirFile();
    void fifoInputsAreRefused_data();
    void fifoInputsAreRefused();
    void decompressionBombIsRefused();
    void hugeDeclaredImageIsRefused();
    void misbehavingModels_data();
    void misbehavingModels();
    void distinctOutputsGetDistinctFiles();
    void nestedOutputNamesAreAccepted();
    void verifyCacheNoticesReplacedImages();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QString fixture(const QString& name) const { return m_dir.filePath("fx/" + name); }
    QStringList ooo() const
    {
        return {"ooo",
                "--objects",
                path("demo/concepts/things_concepts.tsv"),
                "--triplets",
                path("demo/triplets/test_10.txt"),
                "--bootstrap",
                "0"};
    }
    QTemporaryDir m_dir;
};

void TestCliFaults::initTestCase()
{
    const auto demo = testsupport::runCli({"demo", "--out", path("demo")});
    QVERIFY2(demo.exitCode == 0, qPrintable(demo.err));
    QProcess script;
    script.start("/usr/bin/python3", {QStringLiteral(ALIGNSCOPE_FIXTURE_SCRIPT), path("fx")});
    QVERIFY(script.waitForFinished(300000));
    QVERIFY2(script.exitCode() == 0, script.readAllStandardError().constData());
}

void TestCliFaults::writesGoOnlyToRegularFiles_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<bool>("refused");
    QTest::addColumn<QString>("expected");
    QTest::newRow("FIFO") << "fifo" << true
                          << "is a FIFO (named pipe), not a regular file; refusing to replace it";
    QTest::newRow("folder") << "folder" << true << "is a directory, not a regular file";
    QTest::newRow("link to a FIFO") << "link-to-fifo" << true << "is a FIFO (named pipe), not a regular file";
    QTest::newRow("dangling link") << "dangling" << true << "cannot be followed";
    QTest::newRow("link to a regular file") << "link-to-file" << false << "";
}

void TestCliFaults::writesGoOnlyToRegularFiles()
{
    QFETCH(QString, target);
    QFETCH(bool, refused);
    QFETCH(QString, expected);
    const QString dir = path("targets-" + target);
    QDir().mkpath(dir);
    const QString out = dir + "/out.npy";
    if (target == "fifo") QCOMPARE(::mkfifo(out.toLocal8Bit().constData(), 0644), 0);
    if (target == "folder") QVERIFY(QDir().mkpath(out));
    if (target == "link-to-fifo") {
        QCOMPARE(::mkfifo((dir + "/real").toLocal8Bit().constData(), 0644), 0);
        QVERIFY(QFile::link(dir + "/real", out));
    }
    if (target == "dangling") QVERIFY(QFile::link(dir + "/nowhere", out));
    if (target == "link-to-file") {
        testsupport::writeBytes(QDir(dir), "real.npy", "old");
        QVERIFY(QFile::link(dir + "/real.npy", out));
    }
    const auto result =
        testsupport::runCli({"concept-similarity", "--objects", path("demo/concepts/things_concepts.tsv"),
                             "--concepts", path("demo/concept_space.npy"), "--out", out});
    if (refused) {
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(expected), qPrintable(result.err));
        if (target == "fifo") QVERIFY(isFifo(out));
        if (target == "link-to-fifo") QVERIFY(isFifo(dir + "/real") && QFileInfo(out).isSymLink());
        // Nothing was left behind beside it.
        QDirIterator leftovers(dir, {"*.tmp-*"}, QDir::Files | QDir::Hidden);
        QVERIFY(!leftovers.hasNext());
        return;
    }
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY(QFileInfo(out).isSymLink());                         // the link stays a link...
    QVERIFY(readAll(dir + "/real.npy").startsWith("\x93NUMPY")); // ...and its file holds the result
}

void TestCliFaults::staleTemporariesAreRemoved()
{
    const QString dir = path("temporaries");
    QDir().mkpath(dir);
    // A PID that runs no process: the temporary of a killed writer. Our own PID stands for a writer still at
    // work.
    qint64 dead = 4000000;
    while (QFile::exists("/proc/" + QString::number(dead)))
        ++dead;
    testsupport::writeBytes(QDir(dir), QString("out.npy.tmp-%1-a1b2c3").arg(dead), "partial");
    testsupport::writeBytes(
        QDir(dir), QString("out.npy.tmp-%1-d4e5f6").arg(QCoreApplication::applicationPid()), "in progress");
    testsupport::writeBytes(QDir(dir), "notes.tmp-old.txt", "not ours");
    const auto result =
        testsupport::runCli({"concept-similarity", "--objects", path("demo/concepts/things_concepts.tsv"),
                             "--concepts", path("demo/concept_space.npy"), "--out", dir + "/out.npy"});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY(!QFile::exists(dir + QString("/out.npy.tmp-%1-a1b2c3").arg(dead)));
    QVERIFY(QFile::exists(dir + QString("/out.npy.tmp-%1-d4e5f6").arg(QCoreApplication::applicationPid())));
    QVERIFY(QFile::exists(dir + "/notes.tmp-old.txt"));
}

void TestCliFaults::sidecarsAreWrittenWithTheirFile()
{
    const QString dir = path("unit");
    QDir().mkpath(dir);
    testsupport::writeBytes(QDir(dir), "f.npy", "old features");
    testsupport::writeBytes(QDir(dir), "f.rows.txt", "old\nids\n");
    // A sidecar target that cannot be written: nothing changes, the old pair stays together.
    QCOMPARE(::mkfifo((dir + "/g.rows.txt").toLocal8Bit().constData(), 0644), 0);
    testsupport::writeBytes(QDir(dir), "g.npy", "old g");
    auto refused = writeFileWithSidecars(
        {{(dir + "/g.npy").toStdString(), "new g"}, {(dir + "/g.rows.txt").toStdString(), "a\n"}});
    QVERIFY(!refused);
    QCOMPARE(readAll(dir + "/g.npy"), QByteArray("old g"));
    QVERIFY(isFifo(dir + "/g.rows.txt"));
    auto written = writeFileWithSidecars(
        {{(dir + "/f.npy").toStdString(), "new features"}, {(dir + "/f.rows.txt").toStdString(), "new\n"}});
    QVERIFY2(written, written ? "" : written.error().message().c_str());
    QCOMPARE(readAll(dir + "/f.npy"), QByteArray("new features"));
    QCOMPARE(readAll(dir + "/f.rows.txt"), QByteArray("new\n"));
    // Through extract: features and row IDs come from the same run.
    const auto extract =
        testsupport::runCli({"extract", "--model", fixture("tiny_cnn.pt"), "--images", fixture("images"),
                             "--out", dir + "/f.npy", "--output", "0", "--no-cache", "--quiet"});
    QVERIFY2(extract.exitCode == 0, qPrintable(extract.err));
    QCOMPARE(readAll(dir + "/f.rows.txt").count('\n'), QDir(fixture("images")).entryList(QDir::Files).size());
}

void TestCliFaults::fifoInputsAreRefused_data()
{
    QTest::addColumn<QString>("role");
    QTest::newRow("features") << "features";
    QTest::newRow("objects") << "objects";
    QTest::newRow("triplets") << "triplets";
    QTest::newRow("model") << "model";
    QTest::newRow("info") << "info";
}

void TestCliFaults::fifoInputsAreRefused()
{
    QFETCH(QString, role);
    const QString fifo = path("input-" + role + ".fifo");
    QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0644), 0);
    QStringList arguments;
    if (role == "info")
        arguments = {"info", fifo};
    else if (role == "model")
        arguments = {"inspect", "--model", fifo};
    else if (role == "features")
        arguments = ooo() + QStringList{"--features", fifo};
    else {
        arguments = {"ooo",
                     "--objects",
                     role == "objects" ? fifo : path("demo/concepts/things_concepts.tsv"),
                     "--triplets",
                     role == "triplets" ? fifo : path("demo/triplets/test_10.txt"),
                     "--features",
                     path("demo/concept_space.npy")};
    }
    // A reader that opened the FIFO would wait for a writer forever; runCli gives up after 120 s and reports
    // -1.
    const auto result = testsupport::runCli(arguments);
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains(fifo) && result.err.contains("FIFO"), qPrintable(result.err));
}

void TestCliFaults::decompressionBombIsRefused()
{
    // An .npz whose member inflates far beyond its size; the limit is lowered so the test stays small.
    QByteArray npy("\x93NUMPY\x01\x00", 8);
    QByteArray header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 1000), }";
    while ((10 + header.size() + 1) % 64)
        header += ' ';
    header += '\n';
    npy += char(header.size() & 0xff);
    npy += char(header.size() >> 8);
    npy += header + QByteArray(4000000, '\0');
    const QString archive = path("bomb.npz");
    int error = 0;
    zip_t* zip = zip_open(archive.toLocal8Bit().constData(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    QVERIFY(zip);
    zip_source_t* source = zip_source_buffer(zip, npy.constData(), zip_uint64_t(npy.size()), 0);
    QVERIFY(zip_file_add(zip, "features.npy", source, 0) >= 0);
    QCOMPARE(zip_close(zip), 0);
    QVERIFY(QFileInfo(archive).size() < 100000);
    qputenv("ALIGNSCOPE_MAX_ARRAY_BYTES", "1000000");
    const auto result = testsupport::runCli({"info", archive});
    const auto load = testsupport::runCli(
        ooo() + QStringList{"--features", archive + ":features", "--feature-rows", "canonical"});
    qunsetenv("ALIGNSCOPE_MAX_ARRAY_BYTES");
    QCOMPARE(load.exitCode, 1);
    QVERIFY2(load.err.contains("bomb.npz") &&
                 load.err.contains(
                     QString("inflates to %1 bytes, more than the limit of 1000000").arg(npy.size())),
             qPrintable(load.err));
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("more than the limit"), qPrintable(result.err));
}

void TestCliFaults::hugeDeclaredImageIsRefused()
{
    // 20000 × 20000 declared in a PNG header of a few bytes: refused before the decoder allocates 3 GB.
    QByteArray png("\x89PNG\r\n\x1a\n", 8);
    png += QByteArray("\x00\x00\x00\x0dIHDR", 8);
    png += QByteArray("\x00\x00\x4e\x20\x00\x00\x4e\x20\x10\x02\x00\x00\x00", 13);
    png += QByteArray(4, '\0') + QByteArray(1000, 'x');
    QDir().mkpath(path("bomb-images"));
    testsupport::writeBytes(QDir(path("bomb-images")), "huge.png", png);
    const auto result =
        testsupport::runCli({"extract", "--model", fixture("tiny_cnn.pt"), "--images", path("bomb-images"),
                             "--out", path("bomb.npy"), "--output", "0", "--no-cache", "--quiet"});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("huge.png") && result.err.contains("declares 400000000 pixels"),
             qPrintable(result.err));
}

void TestCliFaults::misbehavingModels_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expected");
    QTest::newRow("never returns")
        << "faulty/hang.pt" << QStringList{"--timeout", "2"} << 124
        << "the model call did not finish within 2 s (the time limit; raise it with --timeout)";
    QTest::newRow("returns NaN") << "faulty/nan.pt" << QStringList{} << 1 << "the model returned";
    QTest::newRow("returns inf") << "faulty/inf.pt" << QStringList{} << 1
                                 << "the model returned infinite values (first for ";
    QTest::newRow("raises")
        << "faulty/raises.pt" << QStringList{} << 1
        << "failed on a 8×3×224×224 input: the model raised RuntimeError: this model only takes empty images";
}

void TestCliFaults::misbehavingModels()
{
    QFETCH(QString, model);
    QFETCH(QStringList, extra);
    QFETCH(int, exitCode);
    QFETCH(QString, expected);
    const QString out = path("faulty-out.npy");
    const auto result =
        testsupport::runCli(QStringList{"extract", "--model", fixture(model), "--images", fixture("images"),
                                        "--out", out, "--no-cache", "--quiet"} +
                            extra);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(result.err.contains(fixture(model)) && result.err.contains(expected), qPrintable(result.err));
    QVERIFY(!QFile::exists(out));
    if (model.contains("hang")) {
        const auto inspect = testsupport::runCli({"inspect", "--model", fixture(model), "--timeout", "1"});
        QCOMPARE(inspect.exitCode, 124);
        QVERIFY2(inspect.err.contains("probe forward") && inspect.err.contains("within 1 s"),
                 qPrintable(inspect.err));
    }
}

void TestCliFaults::distinctOutputsGetDistinctFiles()
{
    const QString out = path("names/features.npy");
    const auto result =
        testsupport::runCli({"extract", "--model", fixture("faulty/slash_names.pt"), "--images",
                             fixture("images"), "--out", out, "--output", "all", "--no-cache", "--quiet"});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    // "a/b", "a_b" and "a b" map to one safe name: numbered, each with its own rows file.
    const QStringList files = QDir(path("names")).entryList({"*.npy"}, QDir::Files, QDir::Name);
    QCOMPARE(files, QStringList({"features.a_b-2.npy", "features.a_b-3.npy", "features.a_b.npy"}));
    QVERIFY(readAll(path("names/features.a_b.npy")) != readAll(path("names/features.a_b-2.npy")));
    QCOMPARE(QDir(path("names")).entryList({"*.rows.txt"}, QDir::Files).size(), 3);
}

void TestCliFaults::nestedOutputNamesAreAccepted()
{
    const auto inspect = testsupport::runCli(
        {"inspect", "--model", fixture("faulty/nested.pt"), "--probe-size", "16", "--json"});
    QVERIFY2(inspect.exitCode == 0 && inspect.out.contains("\"0.a\""), qPrintable(inspect.err + inspect.out));
    const auto extract =
        testsupport::runCli({"extract", "--model", fixture("faulty/nested.pt"), "--images", fixture("images"),
                             "--out", path("nested.npy"), "--output", "0.a", "--no-cache", "--quiet"});
    QVERIFY2(extract.exitCode == 0, qPrintable(extract.err));
    const auto wrong =
        testsupport::runCli({"extract", "--model", fixture("faulty/nested.pt"), "--images", fixture("images"),
                             "--out", path("nested.npy"), "--output", "0.c", "--no-cache", "--quiet"});
    QCOMPARE(wrong.exitCode, 1);
    QVERIFY2(wrong.err.contains("outputs: 0.a, 0.b, 1"), qPrintable(wrong.err));
}

void TestCliFaults::verifyCacheNoticesReplacedImages()
{
    QDir().mkpath(path("cached-images"));
    for (const QString& name : QDir(fixture("images")).entryList(QDir::Files))
        QVERIFY(QFile::copy(fixture("images/" + name), path("cached-images/" + name)));
    const QStringList extract{"extract",
                              "--model",
                              fixture("identity.pt"),
                              "--images",
                              path("cached-images"),
                              "--output",
                              "",
                              "--preset",
                              "imagenet",
                              "--cache",
                              path("cache"),
                              "--quiet",
                              "--json",
                              "--out"};
    auto run = [&](const QString& out, const QStringList& extra) {
        return testsupport::runCli(extract + QStringList{path(out)} + extra);
    };
    QVERIFY(run("first.npy", {"--verify-cache"}).exitCode == 0);
    QVERIFY(run("cached.npy", {}).out.contains("\"from_cache\":true"));
    // Replace an image by another of the same size and restore its modification time: the fast key cannot
    // tell. (A BMP: its pixels can be changed in place, with no checksum to update.)
    const QString target = path("cached-images/cherry.bmp");
    struct stat before
    {
    };
    QCOMPARE(::stat(target.toLocal8Bit().constData(), &before), 0);
    QByteArray bytes = readAll(target);
    for (int i = bytes.size() / 2; i < bytes.size() / 2 + 3000; ++i)
        bytes[i] = char(255 - static_cast<unsigned char>(bytes[i]));
    testsupport::writeBytes(QDir(path("cached-images")), "cherry.bmp", bytes);
    const struct timespec restore[2] = {before.st_atim, before.st_mtim};
    QCOMPARE(::utimensat(AT_FDCWD, target.toLocal8Bit().constData(), restore, 0), 0);
    QVERIFY2(run("stale.npy", {}).out.contains("\"from_cache\":true"),
             "the fast key trusts size and modification time");
    const auto verified = run("verified.npy", {"--verify-cache"});
    QVERIFY2(verified.exitCode == 0 && verified.out.contains("\"from_cache\":false"),
             qPrintable(verified.out + verified.err));
    QVERIFY(readAll(path("verified.npy")) != readAll(path("stale.npy")));
}

QTEST_GUILESS_MAIN(TestCliFaults)
#include "tst_cli_faults.moc"
