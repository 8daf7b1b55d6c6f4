#pragma once
// "Get THINGS data": where the public data comes from, the folder layout AlignScope expects, choosing an
// existing folder, or downloading the files (progress, SHA-256 checks, cancel; nothing half-written).

#include "dialogs/data_download.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

class ThingsDataDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ThingsDataDialog(QWidget* parent = nullptr);

    // The public files: THINGS concepts (thingsvision), a THINGS triplet split, the VICE embedding.
    static QList<DownloadEntry> defaultSources();
    void setSources(const QList<DownloadEntry>& sources) { m_sources = sources; }
    void setFolder(const QString& folder);
    QString folder() const;
    QString statusText() const;

    void useExistingFolder();
    void download();

Q_SIGNALS:
    // A folder with the expected layout is ready to open.
    void folderReady(const QString& folder);

private:
    void downloadFinished(bool ok, const QString& message);

    QList<DownloadEntry> m_sources;
    DataDownloader* m_downloader;
    QLineEdit* m_folder;
    QProgressBar* m_progress;
    QLabel* m_status;
    QPushButton* m_downloadButton;
    QPushButton* m_cancelButton;
};

// Writes "<folder>/vice/final_embedding.rows.txt" (the VICE rows are in sorted uniqueID order) from the
// folder's concept table, so the embedding maps to objects by ID. Returns an error message or empty.
QString writeViceRowIds(const QString& folder);
