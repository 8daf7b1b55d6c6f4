// The one checked write path (file_io.h): every atomic writer writes regular files only, follows a symbolic
// link to a regular file, and refuses anything else naming the file and the reason, leaving it as it was; a
// full disk, a failing fsync or rename is reported naming the file and the reason, and the old file and its
// folder are left as they were (no partial file, no temporary).
#include "file_size_limit.h"

#include "alignscope/file_io.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

using namespace alignscope;

class TestFileIo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writeTargets_data();
    void writeTargets();
    void failuresKeepTheOldFile_data();
    void failuresKeepTheOldFile();
};

namespace {

const char* const kWriters[] = {"writeFileAtomically", "writeFileWithSidecars", "AtomicFileWriter"};

Status writeWith(const QString& writer, const std::string& path, const std::string& bytes)
{
    if (writer == QLatin1String("writeFileAtomically")) return writeFileAtomically(path, bytes);
    if (writer == QLatin1String("writeFileWithSidecars"))
        return writeFileWithSidecars({{path, bytes}, {path + ".rows.txt", "a\nb\n"}});
    AtomicFileWriter streamed(path);
    if (auto opened = streamed.open(); !opened) return opened;
    for (size_t at = 0; at < bytes.size(); at += 1000)
        if (!streamed.write(bytes.substr(at, 1000))) break; // commit() says why
    return streamed.commit();
}

// What a path is, without following it: its type, where a link points, a file's contents.
QString describe(const QString& path)
{
    struct stat info
    {
    };
    if (::lstat(path.toLocal8Bit().constData(), &info) != 0) return QStringLiteral("absent");
    if (S_ISLNK(info.st_mode)) return QStringLiteral("link to ") + QFile::symLinkTarget(path);
    if (S_ISREG(info.st_mode)) {
        QFile file(path);
        file.open(QIODevice::ReadOnly);
        return QStringLiteral("file: ") + QString::fromLatin1(file.readAll().left(200));
    }
    return QStringLiteral("type %1").arg(info.st_mode & S_IFMT);
}

QStringList temporariesIn(const QDir& dir)
{
    return dir.entryList({QStringLiteral("*.tmp-*")}, QDir::AllEntries | QDir::Hidden | QDir::System);
}

} // namespace

void TestFileIo::writeTargets_data()
{
    QTest::addColumn<QString>("writer");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("refusal"); // empty: written
    const std::pair<const char*, const char*> targets[] = {
        {"absent", ""},
        {"regular file", ""},
        {"symbolic link to a regular file", ""},
        {"FIFO", "is a FIFO (named pipe), not a regular file"},
        {"symbolic link to a FIFO", "FIFO (named pipe)"},
        {"symbolic link to a device", "character device"},
        {"directory", "is a directory, not a regular file"},
        {"dangling symbolic link", "cannot be followed"}};
    for (const char* writer : kWriters)
        for (const auto& [target, refusal] : targets)
            QTest::addRow("%s, %s", writer, target) << writer << target << refusal;
}

void TestFileIo::writeTargets()
{
    QFETCH(QString, writer);
    QFETCH(QString, target);
    QFETCH(QString, refusal);
    QTemporaryDir dir;
    const QString path = dir.filePath("out.txt");
    const QByteArray local = path.toLocal8Bit();
    auto writeOld = [](const QString& file) {
        QFile old(file);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("old contents");
    };
    if (target == "regular file") writeOld(path);
    if (target == "symbolic link to a regular file") {
        writeOld(dir.filePath("real.txt"));
        QVERIFY(QFile::link(dir.filePath("real.txt"), path));
    }
    if (target.endsWith("FIFO")) {
        const QString fifo = target == "FIFO" ? path : dir.filePath("fifo");
        QVERIFY(::mkfifo(fifo.toLocal8Bit().constData(), 0644) == 0);
        if (fifo != path) QVERIFY(QFile::link(fifo, path));
    }
    if (target == "symbolic link to a device") {
        // A device node of its own where one may be made (root): a regression then replaces that node, never
        // the system's /dev/null, which an unprivileged process cannot replace anyway.
        const QString device = dir.filePath("null-device");
        const bool made = ::mknod(device.toLocal8Bit().constData(), S_IFCHR | 0666, makedev(1, 3)) == 0;
        QVERIFY(QFile::link(made ? device : QStringLiteral("/dev/null"), path));
    }
    if (target == "directory") QVERIFY(QDir(dir.path()).mkdir("out.txt"));
    if (target == "dangling symbolic link") QVERIFY(QFile::link(dir.filePath("missing.txt"), path));
    const QString before = describe(path);

    const std::string contents = "new contents\n";
    auto status = writeWith(writer, local.toStdString(), contents);

    QCOMPARE(temporariesIn(QDir(dir.path())), QStringList());
    if (!refusal.isEmpty()) {
        QVERIFY2(!status, qPrintable(before));
        const QString message = QString::fromStdString(status.error().message());
        QVERIFY2(message.startsWith(path), qPrintable(message));
        QVERIFY2(message.contains(refusal), qPrintable(message));
        QCOMPARE(describe(path), before);
        return;
    }
    QVERIFY2(status, status ? "" : status.error().message().c_str());
    const QString written = target == "symbolic link to a regular file" ? dir.filePath("real.txt") : path;
    QCOMPARE(describe(written), QStringLiteral("file: ") + QString::fromStdString(contents));
    if (target == "symbolic link to a regular file") QCOMPARE(describe(path), before); // still the link
    QCOMPARE(QFileInfo(written).permissions() & QFile::ReadOther, QFile::ReadOther);
}

void TestFileIo::failuresKeepTheOldFile_data()
{
    QTest::addColumn<QString>("writer");
    QTest::addColumn<QString>("failure");
    QTest::addColumn<QString>("reason");
    for (const char* writer : kWriters) {
        QTest::addRow("%s, full disk", writer)
            << writer << "full disk" << QString("write failed: ") + std::strerror(EFBIG);
        QTest::addRow("%s, fsync fails", writer)
            << writer << "fsync" << QString("fsync failed: ") + std::strerror(EIO);
        QTest::addRow("%s, rename fails", writer)
            << writer << "rename" << QString("rename failed: ") + std::strerror(EROFS);
    }
}

void TestFileIo::failuresKeepTheOldFile()
{
    QFETCH(QString, writer);
    QFETCH(QString, failure);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    const QString path = dir.filePath("figure.svg");
    const std::string old = "<svg>the good old figure</svg>";
    QVERIFY(writeFileAtomically(path.toStdString(), old));
    const std::string replacement(64 * 1024, 'x'); // more than the full disk takes
    Status status = okStatus();
    if (failure == "full disk") {
        testsupport::FileSizeLimit fullDisk(4096);
        QVERIFY(fullDisk.active());
        status = writeWith(writer, path.toStdString(), replacement);
    } else {
        const WriteStep step = failure == "fsync" ? WriteStep::Sync : WriteStep::Rename;
        simulateWriteFailure(step, failure == "fsync" ? EIO : EROFS);
        status = writeWith(writer, path.toStdString(), replacement);
        simulateWriteFailure(step, 0);
    }
    QVERIFY(!status);
    const QString message = QString::fromStdString(status.error().message());
    QVERIFY2(message.startsWith(path + ": "), qPrintable(message));
    QVERIFY2(message.contains(reason), qPrintable(message));
    QCOMPARE(describe(path), QStringLiteral("file: ") + QString::fromStdString(old));
    QCOMPARE(temporariesIn(QDir(dir.path())), QStringList());
    QVERIFY(writeFileAtomically(path.toStdString(), replacement)); // and the disk works again
}

QTEST_GUILESS_MAIN(TestFileIo)
#include "tst_file_io.moc"
