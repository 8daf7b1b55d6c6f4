#include "charts/thumbnail_cache.h"

#include "session/task_runner.h"

#include <QImageReader>

ThumbnailCache::ThumbnailCache(TaskRunner* tasks, int edge, QObject* parent)
    : QObject(parent), m_tasks(tasks), m_edge(edge)
{
}

namespace {

QImage decodeSmall(const QString& path, int edge)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid()) reader.setScaledSize(size.scaled(edge, edge, Qt::KeepAspectRatio)); // decode small
    return reader.read();
}

} // namespace

QImage ThumbnailCache::getNow(const QString& path)
{
    if (path.isEmpty()) return {};
    const auto found = m_images.constFind(path);
    if (found != m_images.constEnd()) return *found;
    const QImage image = decodeSmall(path, m_edge);
    m_images.insert(path, image);
    return image;
}

QImage ThumbnailCache::get(const QString& path)
{
    if (path.isEmpty()) return {};
    const auto found = m_images.constFind(path);
    if (found != m_images.constEnd()) return *found;
    if (m_pending.contains(path) || m_images.size() > 20000) return {};
    m_pending.insert(path);
    const int edge = m_edge;
    m_tasks->run<QImage>(
        QString(), this, [path, edge](const alignscope::TaskContext&) { return decodeSmall(path, edge); },
        [this, path](QImage image) {
            m_pending.remove(path);
            m_images.insert(path, image);
            Q_EMIT thumbnailReady();
        });
    return {};
}
