#include "dialogs/data_download.h"

#include <QDir>
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
    if (m_part) m_part->remove();
}

namespace {
QByteArray sha256Of(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result().toHex();
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
    m_part = std::make_unique<QFile>(target + QStringLiteral(".part"));
    if (!m_part->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        const QString reason = m_part->errorString();
        m_part.reset();
        fail(tr("%1: cannot write: %2").arg(target + QStringLiteral(".part"), reason));
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
    if (m_part->write(chunk) != chunk.size())
        fail(tr("%1: write failed: %2").arg(m_part->fileName(), m_part->errorString()));
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
    m_part->flush();
    m_part->close();
    const QString digest = QString::fromLatin1(m_hash->result().toHex());
    if (!entry.sha256.isEmpty() && digest != entry.sha256) {
        fail(tr("%1: checksum mismatch (expected SHA-256 %2, got %3); the download was discarded")
                 .arg(entry.url.toString(), entry.sha256, digest));
        return;
    }
    const QString target = QDir(m_folder).filePath(entry.relativePath);
    QFile::remove(target);
    if (!m_part->rename(target)) {
        fail(tr("%1: cannot move the download into place: %2").arg(target, m_part->errorString()));
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
    if (m_part) {
        m_part->close();
        m_part->remove();
        m_part.reset();
    }
    Q_EMIT finished(false, message);
}
