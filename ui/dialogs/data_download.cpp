#include "dialogs/data_download.h"

#include "alignscope/file_io.h"
#include "alignscope/sha256.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

DataDownloader::DataDownloader(QObject* parent) : QObject(parent), m_network(new QNetworkAccessManager(this))
{
}

DataDownloader::~DataDownloader()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
    // m_part's destructor removes an uncommitted temporary.
}

namespace {
// Empty when the file is absent or not a regular file (a FIFO would block a plain read).
QByteArray sha256Of(const QString& path)
{
    auto digest = alignscope::sha256OfFile(QFile::encodeName(path).toStdString());
    return digest ? QByteArray::fromStdString(*digest) : QByteArray();
}
} // namespace

void DataDownloader::start(const QList<DownloadEntry>& entries, const QString& folder)
{
    if (isRunning()) return;
    m_entries = entries;
    m_folder = folder;
    m_index = -1;
    m_report.clear();
    next();
}

void DataDownloader::cancel()
{
    if (!m_reply) return;
    fail(tr("Download cancelled; nothing partial was kept."));
}

void DataDownloader::next()
{
    ++m_index;
    if (m_index >= m_entries.size()) {
        Q_EMIT finished(true, m_report.join('\n'));
        return;
    }
    const DownloadEntry& entry = m_entries[m_index];
    const QString target = QDir(m_folder).filePath(entry.relativePath);
    if (!entry.sha256.isEmpty() && QFileInfo::exists(target) && sha256Of(target) == entry.sha256.toLatin1()) {
        m_report << tr("%1: already present, checksum verified").arg(entry.relativePath);
        next();
        return;
    }
    if (!QDir().mkpath(QFileInfo(target).absolutePath())) {
        fail(tr("%1: cannot create the folder").arg(QFileInfo(target).absolutePath()));
        return;
    }
    m_part = std::make_unique<alignscope::AtomicFileWriter>(QFile::encodeName(target).toStdString());
    if (auto opened = m_part->open(); !opened) {
        m_part.reset();
        fail(QString::fromStdString(opened.error().message()));
        return;
    }
    m_hash = std::make_unique<QCryptographicHash>(QCryptographicHash::Sha256);
    Q_EMIT fileStarted(m_index, entry.description.isEmpty() ? entry.relativePath : entry.description);
    QNetworkRequest request(entry.url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setTransferTimeout(30000);
    m_reply = m_network->get(request);
    connect(m_reply, &QNetworkReply::readyRead, this, &DataDownloader::onReadyRead);
    connect(m_reply, &QNetworkReply::downloadProgress, this,
            [this](qint64 received, qint64 total) { Q_EMIT progress(m_index, received, total); });
    connect(m_reply, &QNetworkReply::finished, this, &DataDownloader::onFinished);
}

void DataDownloader::onReadyRead()
{
    const QByteArray chunk = m_reply->readAll();
    m_hash->addData(chunk);
    if (!m_part->write(chunk.constData(), size_t(chunk.size()))) {
        auto status = m_part->commit(); // says why the write failed, and removes the temporary
        fail(QString::fromStdString(status ? std::string("write failed") : status.error().message()));
    }
}

void DataDownloader::onFinished()
{
    QNetworkReply* reply = m_reply;
    if (!reply) return;
    const DownloadEntry& entry = m_entries[m_index];
    if (reply->error() != QNetworkReply::NoError) {
        const bool offline = reply->error() == QNetworkReply::HostNotFoundError ||
                             reply->error() == QNetworkReply::ConnectionRefusedError ||
                             reply->error() == QNetworkReply::TimeoutError ||
                             reply->error() == QNetworkReply::TemporaryNetworkFailureError ||
                             reply->error() == QNetworkReply::NetworkSessionFailedError ||
                             reply->error() == QNetworkReply::UnknownNetworkError;
        fail(offline ? tr("%1: cannot reach the server (offline?): %2. Nothing was written; try again when "
                          "online, or "
                          "choose a folder you already have.")
                           .arg(entry.url.toString(), reply->errorString())
                     : tr("%1: %2").arg(entry.url.toString(), reply->errorString()));
        return;
    }
    onReadyRead();
    if (!m_part) return; // a write failed
    const QString digest = QString::fromLatin1(m_hash->result().toHex());
    if (!entry.sha256.isEmpty() && digest != entry.sha256) {
        fail(tr("%1: checksum mismatch (expected SHA-256 %2, got %3); the download was discarded")
                 .arg(entry.url.toString(), entry.sha256, digest));
        return;
    }
    if (auto committed = m_part->commit(); !committed) { // a full disk is reported here, the old file kept
        m_part.reset();
        fail(QString::fromStdString(committed.error().message()));
        return;
    }
    m_part.reset();
    m_report
        << (entry.sha256.isEmpty()
                ? tr("%1: downloaded (no published checksum; SHA-256 %2)").arg(entry.relativePath, digest)
                : tr("%1: downloaded, checksum verified").arg(entry.relativePath));
    reply->deleteLater();
    m_reply = nullptr;
    next();
}

void DataDownloader::fail(const QString& message)
{
    if (m_reply) {
        QNetworkReply* reply = m_reply;
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    m_part.reset(); // removes the temporary
    Q_EMIT finished(false, message);
}
