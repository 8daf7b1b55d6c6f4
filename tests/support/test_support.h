#pragma once
// Helpers shared by the tests: locating ../shared/data, writing byte buffers, running the CLI.

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QTest>
#include <string>

namespace testsupport {

// Path of a file under ../shared/data, or an empty string when the shared folder is absent.
inline QString sharedData(const QString& relative)
{
    const QString root = qEnvironmentVariable("ALIGNSCOPE_SHARED_DIR");
    const QString path = root + QStringLiteral("/data/") + relative;
    return !root.isEmpty() && QFile::exists(path) ? path : QString();
}

inline std::string writeBytes(const QDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
    file.write(bytes);
    return path.toStdString();
}

struct CliResult
{
    int exitCode = -1;
    QString out;
    QString err;
};

inline CliResult runCli(const QStringList& arguments)
{
    QProcess process;
    process.start(qEnvironmentVariable("ALIGNSCOPE_CLI"), arguments);
    if (!process.waitForStarted())
        return {-1, {}, QStringLiteral("cannot start the CLI (is ALIGNSCOPE_CLI set? run through ctest)")};
    process.waitForFinished(120000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

} // namespace testsupport

#define SKIP_WITHOUT_SHARED(path)                                                                            \
    if ((path).isEmpty()) QSKIP("../shared/data is absent")
