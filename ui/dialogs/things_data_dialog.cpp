#include "dialogs/things_data_dialog.h"

#include "alignscope/datasets.h"
#include "alignscope/file_io.h"

#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <algorithm>

QList<DownloadEntry> ThingsDataDialog::defaultSources()
{
    return {
        {QUrl(QStringLiteral("https://raw.githubusercontent.com/ViCCo-Group/thingsvision/master/data/files/"
                             "things_concepts.tsv")),
         QStringLiteral("concepts/things_concepts.tsv"),
         QStringLiteral("f6eb4ec6fcad61e50a746bee820f98d1595fe655e9e210a9a407e9a17fd8cee4"),
         QStringLiteral("THINGS concept table (1,854 objects)")},
        {QUrl(QStringLiteral("https://raw.githubusercontent.com/MirkoTh/semantic-representations-ID/master/"
                             "data/test_10_ID.txt")),
         QStringLiteral("triplets/test_10.txt"),
         QStringLiteral("aacb8159b89063b7a6a94553efc780ee9efec9a240dc2d9987c2f9846f080203"),
         QStringLiteral("THINGS odd-one-out triplets, held-out 10% split (124,121 judgments)")},
        {QUrl(QStringLiteral(
             "https://raw.githubusercontent.com/LukasMut/VICE/main/embeddings/things/final_embedding.npy")),
         QStringLiteral("vice/final_embedding.npy"),
         QStringLiteral("6c596ec9fe6e135e3fd32207d4d1d5eb004e3cef3810d5cb40474b1996d5392f"),
         QStringLiteral("VICE concept embedding (1,854 × 42)")},
    };
}

ThingsDataDialog::ThingsDataDialog(QWidget* parent)
    : QDialog(parent), m_sources(defaultSources()), m_downloader(new DataDownloader(this)),
      m_folder(new QLineEdit(this)), m_progress(new QProgressBar(this)), m_status(new QLabel(this)),
      m_downloadButton(new QPushButton(tr("Download into this folder"), this)),
      m_cancelButton(new QPushButton(tr("Cancel download"), this))
{
    setWindowTitle(tr("Get THINGS data"));
    auto* layout = new QVBoxLayout(this);
    auto* about = new QLabel(this);
    about->setObjectName(QStringLiteral("sources"));
    about->setWordWrap(true);
    about->setTextFormat(Qt::RichText);
    about->setOpenExternalLinks(true);
    about->setText(tr(
        "<p>AlignScope evaluates models against public human data:</p><ul>"
        "<li><b>THINGS concepts and triplets</b> (Hebart et al. 2019, 2023; CC-BY 4.0): published on OSF "
        "(<a href=\"https://osf.io/jum2f/\">osf.io/jum2f</a>, THINGS-data); the concept table is mirrored by "
        "<a href=\"https://github.com/ViCCo-Group/thingsvision\">thingsvision</a> and the triplet splits by "
        "<a href=\"https://github.com/MirkoTh/semantic-representations-ID\">semantic-representations-ID</a> "
        "on GitHub.</li>"
        "<li><b>VICE embedding</b> of the 1,854 objects (Muttenthaler et al. 2022) on GitHub "
        "(<a href=\"https://github.com/LukasMut/VICE\">LukasMut/VICE</a>); its rows are in <i>sorted</i> ID "
        "order.</li>"
        "<li><b>Images</b> (THINGS object images) are licensed separately: download them from OSF yourself "
        "and put them "
        "in <tt>images/</tt>.</li></ul>"
        "<p>Expected folder layout:</p><pre>  concepts/things_concepts.tsv\n  triplets/train_90.txt|npy   "
        "triplets/test_10.txt|npy\n"
        "  vice/final_embedding.npy     (+ final_embedding.rows.txt, written here)\n  "
        "images/&lt;uniqueID&gt;.jpg   (optional)</pre>"
        "<p>Downloads are checked against SHA-256 checksums and written only when complete.</p>"));
    layout->addWidget(about);
    auto* folderRow = new QHBoxLayout;
    m_folder->setObjectName(QStringLiteral("folder"));
    m_folder->setText(QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                          .filePath(QStringLiteral("things")));
    folderRow->addWidget(new QLabel(tr("Folder"), this));
    folderRow->addWidget(m_folder);
    auto* browse = new QPushButton(tr("Choose…"), this);
    folderRow->addWidget(browse);
    layout->addLayout(folderRow);
    layout->addWidget(m_progress);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);
    auto* buttons = new QHBoxLayout;
    auto* useButton = new QPushButton(tr("Use this folder"), this);
    auto* close = new QPushButton(tr("Close"), this);
    buttons->addWidget(useButton);
    buttons->addWidget(m_downloadButton);
    buttons->addWidget(m_cancelButton);
    buttons->addStretch();
    buttons->addWidget(close);
    layout->addLayout(buttons);
    m_cancelButton->setEnabled(false);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("THINGS data folder"), folder());
        if (!dir.isEmpty()) setFolder(dir);
    });
    connect(useButton, &QPushButton::clicked, this, &ThingsDataDialog::useExistingFolder);
    connect(m_downloadButton, &QPushButton::clicked, this, &ThingsDataDialog::download);
    connect(m_cancelButton, &QPushButton::clicked, m_downloader, &DataDownloader::cancel);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_downloader, &DataDownloader::fileStarted, this, [this](int index, const QString& description) {
        m_status->setText(
            tr("Downloading %1 (%2 of %3)…").arg(description).arg(index + 1).arg(m_sources.size()));
    });
    connect(m_downloader, &DataDownloader::progress, this, [this](int index, qint64 received, qint64 total) {
        const double within = total > 0 ? double(received) / double(total) : 0.0;
        m_progress->setValue(int(1000.0 * (index + within) / std::max<qsizetype>(1, m_sources.size())));
    });
    connect(m_downloader, &DataDownloader::finished, this, &ThingsDataDialog::downloadFinished);
}

void ThingsDataDialog::setFolder(const QString& folder)
{
    m_folder->setText(folder);
}
QString ThingsDataDialog::folder() const
{
    return m_folder->text().trimmed();
}
QString ThingsDataDialog::statusText() const
{
    return m_status->text();
}

void ThingsDataDialog::useExistingFolder()
{
    const QDir dir(folder());
    if (!dir.exists(QStringLiteral("concepts/things_concepts.tsv"))) {
        m_status->setText(tr("%1: not a THINGS folder (concepts/things_concepts.tsv is missing). Download "
                             "the files, or choose another folder.")
                              .arg(folder()));
        return;
    }
    if (dir.exists(QStringLiteral("vice/final_embedding.npy")) &&
        !dir.exists(QStringLiteral("vice/final_embedding.rows.txt"))) {
        const QString error = writeViceRowIds(folder());
        if (!error.isEmpty()) m_status->setText(error);
    }
    Q_EMIT folderReady(folder());
    accept();
}

void ThingsDataDialog::download()
{
    if (folder().isEmpty()) {
        m_status->setText(tr("Choose a folder first."));
        return;
    }
    m_downloadButton->setEnabled(false);
    m_cancelButton->setEnabled(true);
    m_progress->setValue(0);
    m_downloader->start(m_sources, folder());
}

void ThingsDataDialog::downloadFinished(bool ok, const QString& message)
{
    m_downloadButton->setEnabled(true);
    m_cancelButton->setEnabled(false);
    if (!ok) {
        m_status->setText(message);
        return;
    }
    m_progress->setValue(1000);
    const QString sidecar = QDir(folder()).exists(QStringLiteral("vice/final_embedding.npy"))
                                ? writeViceRowIds(folder())
                                : QString();
    m_status->setText(message + (sidecar.isEmpty() ? QString() : QStringLiteral("\n") + sidecar));
    Q_EMIT folderReady(folder());
}

QString writeViceRowIds(const QString& folder)
{
    const QDir dir(folder);
    auto objects =
        alignscope::loadObjects(dir.filePath(QStringLiteral("concepts/things_concepts.tsv")).toStdString());
    if (!objects) return QString::fromStdString(objects.error().message());
    std::vector<std::string> ids = objects->ids();
    std::sort(ids.begin(), ids.end());
    std::string text;
    for (const std::string& id : ids)
        text += id + "\n";
    auto written = alignscope::writeFileAtomically(
        dir.filePath(QStringLiteral("vice/final_embedding.rows.txt")).toStdString(), text);
    return written ? QString() : QString::fromStdString(written.error().message());
}
