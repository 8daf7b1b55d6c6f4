#pragma once
// Downloads a list of files into a folder with progress, SHA-256 checks and cancel. Each file streams through
// core's checked atomic writer (AtomicFileWriter: a temporary beside the target, renamed into place only when
// complete, written and verified): a failed, offline, cancelled or full-disk download leaves nothing
// half-written behind, and a target that is not a regular file (a FIFO, a device) is refused.

#include <QCryptographicHash>
#include <QList>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <memory>

class QNetworkAccessManager;
namespace alignscope {
class AtomicFileWriter;
}

struct DownloadEntry
{
    QUrl url;
    QString relativePath; // inside the target folder, e.g. "concepts/things_concepts.tsv"
    QString sha256;       // lowercase hex; empty: no published checksum (the computed one is reported)
    QString description;
};

class DataDownloader : public QObject
{
    Q_OBJECT
public:
    explicit DataDownloader(QObject* parent = nullptr);
    ~DataDownloader() override;

    // Starts downloading `entries` into `folder`, one file after another; files already present with the
    // right checksum are kept.
    void start(const QList<DownloadEntry>& entries, const QString& folder);
    void cancel();
    bool isRunning() const { return m_reply != nullptr; }

Q_SIGNALS:
    void fileStarted(int index, const QString& description);
    void progress(int index, qint64 received, qint64 total);
    // ok: every file is in place; otherwise `message` names the URL/file and the reason.
    void finished(bool ok, const QString& message);

private:
    void next();
    void onReadyRead();
    void onFinished();
    void fail(const QString& message);

    QNetworkAccessManager* m_network;
    QList<DownloadEntry> m_entries;
    QString m_folder;
    int m_index = -1;
    QPointer<QNetworkReply> m_reply;
    std::unique_ptr<alignscope::AtomicFileWriter> m_part;
    std::unique_ptr<QCryptographicHash> m_hash;
    QStringList m_report;
};
