#pragma once
// One run of alignscope-cli for a model (inspect or extract) in a child process. A model that crashes,
// aborts, runs past its time limit or exhausts its memory cap ends that process, never the app: the run
// finishes with a one-line reason instead. Progress comes from the child's JSON lines on stderr.

#include <QByteArray>
#include <QObject>
#include <QProcess>
#include <QStringList>

class ModelProcess : public QObject
{
    Q_OBJECT
public:
    explicit ModelProcess(QObject* parent = nullptr);
    ~ModelProcess() override; // ends a running child and waits for it

    // Runs `alignscope-cli arguments…`, memory capped (memoryLimitBytes). `what` names the run in messages
    // (e.g. the model's file).
    void start(const QStringList& arguments, const QString& what);
    // Ends the child (SIGTERM, SIGKILL after 2 s); finished() follows with ok = false and "cancelled".
    void cancel();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

    // $ALIGNSCOPE_CLI; else alignscope-cli beside this program; else the one in the build tree.
    static QString cliPath();
    // $ALIGNSCOPE_MODEL_MEMORY_MB, else three quarters of the physical memory.
    static qint64 memoryLimitBytes();
    // $ALIGNSCOPE_MODEL_TIMEOUT_S, else 600: seconds one call into a model may take.
    static double modelCallTimeoutSeconds();

Q_SIGNALS:
    void progress(double fraction, const QString& stage);
    // ok: the child exited with 0 and `output` is its stdout; otherwise `error` says why, in one line.
    void finished(bool ok, const QByteArray& output, const QString& error);

private:
    void readProgress();
    void report(int exitCode, QProcess::ExitStatus status);

    QProcess m_process;
    QString m_what;
    QByteArray m_stderrLine; // an incomplete last line
    QString m_lastMessage;   // the child's last line that was not progress
    bool m_cancelled = false;
    bool m_reported = false;
};
