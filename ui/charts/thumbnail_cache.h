#pragma once
// Small images of stimuli for the triplet browser, decoded and scaled on a worker thread as QImage (never
// QPixmap off the GUI thread). get() returns a null image at first and schedules the load; thumbnailReady
// says when to repaint.

#include <QHash>
#include <QImage>
#include <QObject>
#include <QSet>

class TaskRunner;

class ThumbnailCache : public QObject
{
    Q_OBJECT
public:
    ThumbnailCache(TaskRunner* tasks, int edge, QObject* parent = nullptr);
    QImage get(const QString& path);
    // Decodes on the calling thread when not cached yet (figure export: the images must be in the file).
    QImage getNow(const QString& path);
    int loadedCount() const { return int(m_images.size()); }

Q_SIGNALS:
    void thumbnailReady();

private:
    TaskRunner* m_tasks;
    int m_edge;
    QHash<QString, QImage> m_images; // null image: unreadable, do not retry
    QSet<QString> m_pending;
};
