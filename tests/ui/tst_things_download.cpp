// "Get THINGS data": downloads from a local HTTP server (python3 -m http.server) with SHA-256 checks; bad
// checksums, missing files, an unreachable server and cancel leave nothing half-written; the dialog writes
// the VICE row-ID sidecar and announces the folder.
#include "file_size_limit.h"
#include "test_support.h"

#include "dialogs/data_download.h"
#include "dialogs/things_data_dialog.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QLabel>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <cstring>
#include <sys/stat.h>

namespace {

QString sha256Hex(const QByteArray& bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

int freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

bool hasPartialFiles(const QString& folder)
{
    QDirIterator it(folder, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        if (it.next().endsWith(".part") || it.filePath().contains(".tmp-")) return true;
    return false;
}

} // namespace

class TestThingsDownload : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void downloads_data();
    void downloads();
    void cancelLeavesNothing();
    void dialogDownloadsAndWritesViceRows();
    void dialogRefusesAFolderWithoutConcepts();

private:
    QUrl url(const QString& name) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/%2").arg(m_port).arg(name));
    }
    QTemporaryDir m_served;
    QProcess m_server;
    int m_port = 0;
    QByteArray m_concepts, m_triplets, m_big;
};

void TestThingsDownload::initTestCase()
{
    m_concepts = "Word\tuniqueID\nzebra\tzebra\naardvark\taardvark\nmoth\tmoth\n";
    m_triplets = "0 1 2 0\n2 1 0 1\n";
    m_big = QByteArray(8 << 20, 'x'); // large enough to cancel mid-way
    testsupport::writeBytes(QDir(m_served.path()), "concepts.tsv", m_concepts);
    testsupport::writeBytes(QDir(m_served.path()), "triplets.txt", m_triplets);
    testsupport::writeBytes(QDir(m_served.path()), "big.bin", m_big);
    m_port = freePort();
    m_server.setWorkingDirectory(m_served.path());
    m_server.start("/usr/bin/python3",
                   {"-u", "-m", "http.server", QString::number(m_port), "--bind", "127.0.0.1"});
    QVERIFY(m_server.waitForStarted());
    QByteArray banner; // the server says when it listens
    while (!banner.contains("Serving HTTP") && m_server.waitForReadyRead(20000))
        banner += m_server.readAllStandardOutput();
    QTcpSocket socket;
    socket.connectToHost("127.0.0.1", quint16(m_port));
    QVERIFY2(socket.waitForConnected(5000), banner.constData());
    QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
}

void TestThingsDownload::cleanupTestCase()
{
    m_server.kill();
    m_server.waitForFinished();
}

void TestThingsDownload::downloads_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<bool>("expectOk");
    QTest::addColumn<QString>("expectedText");
    QTest::newRow("checksums match") << "good" << true << "checksum verified";
    QTest::newRow("checksum mismatch") << "bad checksum" << false << "checksum mismatch";
    QTest::newRow("missing on server") << "404" << false << "nothing.txt";
    QTest::newRow("server unreachable") << "offline" << false << "offline";
    QTest::newRow("present file kept") << "present" << true << "already present";
    // Written through core's checked path: a FIFO is neither read (which would block) nor replaced.
    QTest::newRow("target is a FIFO") << "FIFO" << false << "is a FIFO (named pipe), not a regular file";
    // A full disk (RLIMIT_FSIZE) while downloading a file without a published checksum: reported, and the
    // file there before is kept.
    QTest::newRow("full disk") << "full disk" << false << QString::fromLocal8Bit(std::strerror(EFBIG));
}

void TestThingsDownload::downloads()
{
    QFETCH(QString, scenario);
    QFETCH(bool, expectOk);
    QFETCH(QString, expectedText);
    QTemporaryDir target;
    QList<DownloadEntry> entries{
        {url("concepts.tsv"), "concepts/things_concepts.tsv", sha256Hex(m_concepts), "concepts"},
        {url("triplets.txt"), "triplets/test_10.txt", sha256Hex(m_triplets), "triplets"}};
    if (scenario == "bad checksum") entries[1].sha256 = sha256Hex("something else");
    if (scenario == "404") entries[1].url = url("nothing.txt");
    if (scenario == "offline")
        entries[0].url = QUrl(QStringLiteral("http://127.0.0.1:%1/concepts.tsv").arg(freePort()));
    if (scenario == "present") {
        QVERIFY(QDir().mkpath(target.filePath("triplets")));
        testsupport::writeBytes(QDir(target.path()), "triplets/test_10.txt", m_triplets);
        entries[1].url = url("nothing.txt"); // would fail if fetched
    }
    const QString secondFile = target.filePath("triplets/test_10.txt");
    if (scenario == "FIFO") {
        QVERIFY(QDir().mkpath(target.filePath("triplets")));
        QVERIFY(::mkfifo(secondFile.toLocal8Bit().constData(), 0644) == 0);
    }
    if (scenario == "full disk") {
        QVERIFY(QDir().mkpath(target.filePath("triplets")));
        testsupport::writeBytes(QDir(target.path()), "triplets/test_10.txt", "the old file");
        entries[1] = {url("big.bin"), "triplets/test_10.txt", "", "big"};
    }
    DataDownloader downloader;
    QSignalSpy finished(&downloader, &DataDownloader::finished);
    {
        testsupport::FileSizeLimit fullDisk(scenario == "full disk" ? 64 * 1024 : RLIM_INFINITY);
        downloader.start(entries, target.path());
        QVERIFY(finished.wait(30000));
    }
    QCOMPARE(finished.first()[0].toBool(), expectOk);
    const QString message = finished.first()[1].toString();
    QVERIFY2(message.contains(expectedText), qPrintable(message));
    QVERIFY(!hasPartialFiles(target.path()));
    if (expectOk) {
        QFile concepts(target.filePath("concepts/things_concepts.tsv"));
        QVERIFY(concepts.open(QIODevice::ReadOnly));
        QCOMPARE(concepts.readAll(), m_concepts);
    } else if (scenario == "FIFO") {
        QVERIFY2(message.contains(secondFile), qPrintable(message));
        struct stat info
        {
        };
        QVERIFY(::lstat(secondFile.toLocal8Bit().constData(), &info) == 0 && S_ISFIFO(info.st_mode));
    } else if (scenario == "full disk") {
        QVERIFY2(message.contains(secondFile), qPrintable(message));
        QFile old(secondFile);
        QVERIFY(old.open(QIODevice::ReadOnly));
        QCOMPARE(old.readAll(), QByteArray("the old file"));
    } else {
        // The failing file is absent; nothing else half-written (earlier complete files may stay).
        QVERIFY(!QFile::exists(secondFile));
        if (scenario == "offline") QVERIFY(!QFile::exists(target.filePath("concepts/things_concepts.tsv")));
    }
}

void TestThingsDownload::cancelLeavesNothing()
{
    QTemporaryDir target;
    DataDownloader downloader;
    QSignalSpy finished(&downloader, &DataDownloader::finished);
    connect(&downloader, &DataDownloader::progress, &downloader, [&downloader](int, qint64 received, qint64) {
        if (received > 0) downloader.cancel();
    });
    downloader.start({{url("big.bin"), "big/big.bin", sha256Hex(m_big), "big"}}, target.path());
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first()[0].toBool(), false);
    QVERIFY(finished.first()[1].toString().contains("cancelled"));
    QVERIFY(!QFile::exists(target.filePath("big/big.bin")));
    QVERIFY(!hasPartialFiles(target.path()));
}

void TestThingsDownload::dialogDownloadsAndWritesViceRows()
{
    QTemporaryDir target;
    ThingsDataDialog dialog;
    QVERIFY(dialog.findChild<QLabel*>("sources")->text().contains("OSF"));
    testsupport::writeBytes(QDir(m_served.path()), "vice.npy", "not checked here");
    dialog.setSources(
        {{url("concepts.tsv"), "concepts/things_concepts.tsv", sha256Hex(m_concepts), "concepts"},
         {url("triplets.txt"), "triplets/test_10.txt", sha256Hex(m_triplets), "triplets"},
         {url("vice.npy"), "vice/final_embedding.npy", QString(), "VICE"}});
    dialog.setFolder(target.path());
    QSignalSpy ready(&dialog, &ThingsDataDialog::folderReady);
    dialog.download();
    QVERIFY(ready.wait(30000));
    QCOMPARE(ready.first()[0].toString(), target.path());
    QVERIFY2(dialog.statusText().contains("no published checksum"), qPrintable(dialog.statusText()));
    QFile rows(target.filePath("vice/final_embedding.rows.txt"));
    QVERIFY(rows.open(QIODevice::ReadOnly));
    QCOMPARE(rows.readAll(), QByteArray("aardvark\nmoth\nzebra\n")); // VICE rows are in sorted ID order
}

void TestThingsDownload::dialogRefusesAFolderWithoutConcepts()
{
    QTemporaryDir empty;
    ThingsDataDialog dialog;
    dialog.setFolder(empty.path());
    QSignalSpy ready(&dialog, &ThingsDataDialog::folderReady);
    dialog.useExistingFolder();
    QCOMPARE(ready.count(), 0);
    QVERIFY(dialog.statusText().contains("not a THINGS folder"));
}

QTEST_MAIN(TestThingsDownload)
#include "tst_things_download.moc"
