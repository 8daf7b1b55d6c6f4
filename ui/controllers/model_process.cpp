#include "controllers/model_process.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <csignal>
#include <cstring>
#include <sys/resource.h>
#include <unistd.h>

ModelProcess::ModelProcess(QObject* parent) : QObject(parent)
{
    connect(&m_process, &QProcess::readyReadStandardError, this, &ModelProcess::readProgress);
    connect(&m_process, &QProcess::finished, this, &ModelProcess::report);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart && !m_reported) {
            m_reported = true;
            Q_EMIT finished(false, {},
                            tr("%1: cannot run %2: %3").arg(m_what, cliPath(), m_process.errorString()));
        }
    });
}

ModelProcess::~ModelProcess()
{
    if (isRunning()) {
        m_reported = true; // nobody is left to tell
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString ModelProcess::cliPath()
{
    if (const QString forced = qEnvironmentVariable("ALIGNSCOPE_CLI"); !forced.isEmpty()) return forced;
    const QString beside =
        QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("alignscope-cli"));
    if (QFileInfo(beside).isExecutable()) return beside;
#ifdef ALIGNSCOPE_CLI_BUILD_PATH
    if (QFileInfo(QStringLiteral(ALIGNSCOPE_CLI_BUILD_PATH)).isExecutable())
        return QStringLiteral(ALIGNSCOPE_CLI_BUILD_PATH);
#endif
    return beside;
}

qint64 ModelProcess::memoryLimitBytes()
{
    bool ok = false;
    const qint64 megabytes = qEnvironmentVariableIntValue("ALIGNSCOPE_MODEL_MEMORY_MB", &ok);
    if (ok && megabytes > 0) return megabytes << 20;
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && pageSize > 0 ? qint64(pages) * pageSize / 4 * 3 : qint64(8) << 30;
}

double ModelProcess::modelCallTimeoutSeconds()
{
    bool ok = false;
    const double seconds = qEnvironmentVariable("ALIGNSCOPE_MODEL_TIMEOUT_S").toDouble(&ok);
    return ok && seconds > 0 ? seconds : 600.0;
}

void ModelProcess::start(const QStringList& arguments, const QString& what)
{
    m_what = what;
    m_cancelled = m_reported = false;
    m_stderrLine.clear();
    m_lastMessage.clear();
    const rlim_t limit = rlim_t(memoryLimitBytes());
    // In the child, between fork and exec: RLIMIT_DATA caps what the model can allocate (heap and private
    // mappings), while the address space CUDA reserves stays free.
    m_process.setChildProcessModifier([limit] {
        const rlimit cap{limit, limit};
        ::setrlimit(RLIMIT_DATA, &cap);
    });
    m_process.start(cliPath(), arguments);
}

void ModelProcess::cancel()
{
    if (!isRunning()) return;
    m_cancelled = true;
    m_process.terminate();
    QTimer::singleShot(2000, this, [this] {
        if (isRunning()) m_process.kill();
    });
}

void ModelProcess::readProgress()
{
    m_stderrLine += m_process.readAllStandardError();
    qsizetype end;
    while ((end = m_stderrLine.indexOf('\n')) >= 0) {
        const QByteArray line = m_stderrLine.left(end).trimmed();
        m_stderrLine.remove(0, end + 1);
        if (line.isEmpty()) continue;
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        if (object.contains(QLatin1String("progress")))
            Q_EMIT progress(object.value(QLatin1String("progress")).toDouble(),
                            object.value(QLatin1String("stage")).toString());
        else
            m_lastMessage = QString::fromUtf8(line);
    }
}

void ModelProcess::report(int exitCode, QProcess::ExitStatus status)
{
    readProgress();
    if (!m_stderrLine.trimmed().isEmpty()) m_lastMessage = QString::fromUtf8(m_stderrLine.trimmed());
    if (m_reported) return;
    m_reported = true;
    if (m_cancelled) {
        Q_EMIT finished(false, {}, tr("cancelled"));
        return;
    }
    if (status == QProcess::NormalExit && exitCode == 0) {
        Q_EMIT finished(true, m_process.readAllStandardOutput(), {});
        return;
    }
    QString reason;
    if (status == QProcess::CrashExit) {
        // Qt reports the terminating signal as the exit code.
        const char* name = exitCode == SIGSEGV   ? "SIGSEGV"
                           : exitCode == SIGABRT ? "SIGABRT"
                           : exitCode == SIGKILL ? "SIGKILL"
                           : exitCode == SIGBUS  ? "SIGBUS"
                                                 : nullptr;
        reason = tr("the model process crashed (%1: %2)")
                     .arg(name ? QString::fromLatin1(name) : tr("signal %1").arg(exitCode),
                          QString::fromLocal8Bit(::strsignal(exitCode)).toLower());
        if (exitCode == SIGKILL) reason += tr("; the system may have run out of memory");
        if (!m_lastMessage.isEmpty()) reason += QStringLiteral(" after: ") + m_lastMessage;
    } else {
        reason = m_lastMessage.isEmpty() ? tr("the model process ended with exit code %1").arg(exitCode)
                                         : m_lastMessage;
        if (exitCode == 124)
            reason +=
                tr(" (in the app: ALIGNSCOPE_MODEL_TIMEOUT_S, now %1 s)").arg(modelCallTimeoutSeconds());
        if (reason.contains(QLatin1String("allocate memory")) || reason.contains(QLatin1String("bad_alloc")))
            reason += tr(" (a model process may use %1 MB; ALIGNSCOPE_MODEL_MEMORY_MB changes it)")
                          .arg(memoryLimitBytes() >> 20);
    }
    Q_EMIT finished(false, {}, tr("%1: %2; the workspace is unaffected").arg(m_what, reason));
}
