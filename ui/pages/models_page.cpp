#include "pages/models_page.h"

#include "dialogs/extraction_dialog.h"
#include "main_window.h"
#include "session/task_runner.h"
#include "session/workspace.h"

#include "alignscope/feature_cache.h"
#include "alignscope/npy.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace alignscope;

namespace {
enum JobColumn
{
    ModelColumn,
    ImagesColumn,
    OutputColumn,
    StatusColumn,
    ProgressColumn,
    CancelColumn,
    ColumnCount
};
}

ModelsPage::ModelsPage(MainWindow* window)
    : QWidget(window), m_window(window), m_models(new QListWidget(this)), m_card(new QLabel(this)),
      m_extract(new QPushButton(tr("Extract features…"), this)),
      m_jobs(new QTableWidget(0, ColumnCount, this))
{
    auto* layout = new QVBoxLayout(this);
    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add model…"), this);
    buttons->addWidget(add);
    buttons->addWidget(m_extract);
    buttons->addStretch();
    buttons->addWidget(new QLabel(tr("Drop TorchScript models (.pt) anywhere on the window"), this));
    layout->addLayout(buttons);
    auto* split = new QSplitter(Qt::Horizontal, this);
    m_models->setObjectName(QStringLiteral("modelList"));
    split->addWidget(m_models);
    m_card->setObjectName(QStringLiteral("modelCard"));
    m_card->setTextFormat(Qt::RichText);
    m_card->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_card->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_card->setWordWrap(true);
    m_card->setText(
        tr("No TorchScript model yet. Add one (torch.jit.save file) to extract features from images."));
    split->addWidget(m_card);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 2);
    layout->addWidget(new QLabel(tr("Extraction jobs (run one at a time on the compute worker)"), this));
    m_jobs->setObjectName(QStringLiteral("jobs"));
    m_jobs->setHorizontalHeaderLabels(
        {tr("Model"), tr("Images"), tr("Output"), tr("Status"), tr("Progress"), QString()});
    m_jobs->horizontalHeader()->setSectionResizeMode(StatusColumn, QHeaderView::Stretch);
    m_jobs->verticalHeader()->hide();
    m_jobs->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(m_jobs, 1);
    m_extract->setEnabled(false);

    connect(add, &QPushButton::clicked, this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("TorchScript models"), QString(), tr("TorchScript (*.pt *.pth *.ts);;All files (*)"));
        m_window->openPaths(files);
    });
    connect(m_extract, &QPushButton::clicked, this, &ModelsPage::openSettings);
    connect(m_models, &QListWidget::currentRowChanged, this, &ModelsPage::showCard);
    connect(m_window->tasks(), &TaskRunner::progressChanged, this,
            [this](const QString& slot, double fraction) {
                for (size_t row = 0; row < m_jobList.size(); ++row) {
                    if (m_jobList[row].slot != slot) continue;
                    if (m_jobList[row].state == JobState::Queued)
                        setJobState(int(row), JobState::Running, tr("running"));
                    if (auto* bar = qobject_cast<QProgressBar*>(m_jobs->cellWidget(int(row), ProgressColumn)))
                        bar->setValue(int(fraction * 1000));
                }
            });
}

void ModelsPage::refreshModels()
{
    const QString current = selectedModel();
    m_models->clear();
    for (const LoadedItem& item : m_window->workspace()->items()) {
        if (item.kind != LoadedItem::Kind::Model) continue;
        auto* entry = new QListWidgetItem(QFileInfo(item.path).fileName(), m_models);
        entry->setData(Qt::UserRole, item.path);
        entry->setToolTip(item.path);
        if (!m_infos.contains(item.path) && !m_inspectErrors.contains(item.path)) inspect(item.path);
    }
    if (m_models->count() > 0)
        selectModel(current.isEmpty() ? m_models->item(m_models->count() - 1)->data(Qt::UserRole).toString()
                                      : current);
}

void ModelsPage::inspect(const QString& path)
{
    m_inspectErrors.insert(path, tr("inspecting…"));
    m_window->tasks()->run<Result<ModelInfo>>(
        QStringLiteral("inspect:") + path, this,
        [path](const TaskContext&) { return inspectModel(path.toStdString()); },
        [this, path](Result<ModelInfo> info) {
            if (info) {
                m_inspectErrors.remove(path);
                m_infos.insert(path, *info);
            } else {
                m_inspectErrors.insert(path, QString::fromStdString(info.error().message()));
            }
            showCard();
        });
}

QString ModelsPage::selectedModel() const
{
    const QListWidgetItem* item = m_models->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

void ModelsPage::selectModel(const QString& path)
{
    for (int i = 0; i < m_models->count(); ++i)
        if (m_models->item(i)->data(Qt::UserRole).toString() == path) m_models->setCurrentRow(i);
}

const ModelInfo* ModelsPage::modelInfo(const QString& path) const
{
    const auto it = m_infos.find(path);
    return it == m_infos.end() ? nullptr : &it.value();
}

void ModelsPage::showCard()
{
    const QString path = selectedModel();
    const ModelInfo* info = modelInfo(path);
    m_extract->setEnabled(info != nullptr);
    if (!info) {
        m_card->setText(path.isEmpty()
                            ? tr("No model selected.")
                            : QStringLiteral("<b>%1</b><br>%2")
                                  .arg(path.toHtmlEscaped(), m_inspectErrors.value(path).toHtmlEscaped()));
        return;
    }
    QString html = QStringLiteral("<h3>%1</h3><table>").arg(QFileInfo(path).fileName().toHtmlEscaped());
    auto row = [&html](const QString& key, const QString& value) {
        html += QStringLiteral("<tr><td><b>%1</b>&nbsp;</td><td>%2</td></tr>").arg(key, value);
    };
    row(tr("File"), path.toHtmlEscaped());
    row(tr("SHA-256"), QStringLiteral("<tt>%1</tt>").arg(QString::fromStdString(info->sha256)));
    row(tr("Parameters"), QLocale().toString(qlonglong(info->parameterCount)));
    row(tr("Device"), cudaAvailable() ? tr("CUDA available (auto uses it)") : tr("CPU (no CUDA device)"));
    QStringList methods;
    for (const ModelMethod& method : info->methods)
        methods << QString::fromStdString(method.schema).toHtmlEscaped();
    row(tr("Methods"), methods.join(QStringLiteral("<br>")));
    QStringList children;
    for (const std::string& child : info->submodules)
        children << QString::fromStdString(child).toHtmlEscaped();
    row(tr("Submodules"), children.join(QStringLiteral(", ")));
    QStringList outputs;
    for (const ModelOutput& output : info->probeOutputs) {
        QStringList dims;
        for (std::int64_t d : output.shape)
            dims << QString::number(d);
        outputs << QStringLiteral("%1 [%2]").arg(
            output.selector.empty() ? tr("tensor") : QString::fromStdString(output.selector),
            dims.join(QStringLiteral("×")));
    }
    if (!info->probeError.empty())
        outputs
            << tr("probe forward failed: %1").arg(QString::fromStdString(info->probeError).toHtmlEscaped());
    row(tr("Outputs (1×3×%1×%1 input)").arg(info->probeSize), outputs.join(QStringLiteral("<br>")));
    m_card->setText(html + QStringLiteral("</table>"));
}

void ModelsPage::openSettings()
{
    const ModelInfo* info = modelInfo(selectedModel());
    if (!info) return;
    ExtractionDialog dialog(*info, this);
    while (dialog.exec() == QDialog::Accepted) {
        auto request = dialog.request();
        if (request) {
            queueExtraction(*request, dialog.useCache());
            return;
        }
        QMessageBox::warning(this, tr("Extraction settings"),
                             QString::fromStdString(request.error().message()));
    }
}

int ModelsPage::queueExtraction(const ExtractionRequest& request, bool useCache)
{
    const int row = m_jobs->rowCount();
    m_jobs->insertRow(row);
    const QString imagesText = tr("%1 images").arg(request.imagePaths.size());
    m_jobs->setItem(row, ModelColumn,
                    new QTableWidgetItem(QFileInfo(QString::fromStdString(request.modelPath)).fileName()));
    m_jobs->setItem(row, ImagesColumn, new QTableWidgetItem(imagesText));
    m_jobs->setItem(
        row, OutputColumn,
        new QTableWidgetItem(QString::fromStdString(request.output.method + " " + request.output.output)));
    m_jobs->setItem(row, StatusColumn, new QTableWidgetItem);
    auto* bar = new QProgressBar(m_jobs);
    bar->setRange(0, 1000);
    m_jobs->setCellWidget(row, ProgressColumn, bar);
    auto* cancel = new QPushButton(tr("Cancel"), m_jobs);
    m_jobs->setCellWidget(row, CancelColumn, cancel);
    const QString slot = QStringLiteral("extract:%1").arg(m_nextJob++);
    m_jobList.push_back({slot, JobState::Queued, {}});
    setJobState(row, JobState::Queued, tr("queued"));
    connect(cancel, &QPushButton::clicked, this, [this, row] { cancelJob(row); });
    const std::string cacheFolder = useCache ? defaultFeatureCacheFolder() : std::string();
    m_window->tasks()->run<Result<ExtractionResult>>(
        slot, this,
        [request, cacheFolder](const TaskContext& context) {
            return extractFeaturesCached(request, cacheFolder, context);
        },
        [this, row, request](Result<ExtractionResult> result) {
            if (!result) {
                setJobState(row, JobState::Failed, QString::fromStdString(result.error().message()));
                return;
            }
            if (auto* bar = qobject_cast<QProgressBar*>(m_jobs->cellWidget(row, ProgressColumn)))
                bar->setValue(1000);
            setJobState(row, JobState::Done,
                        tr("%1 rows%2%3")
                            .arg(result->rowIds.size())
                            .arg(result->fromCache ? tr(", from the cache")
                                                   : tr(", %1 s on %2")
                                                         .arg(result->seconds, 0, 'f', 1)
                                                         .arg(QString::fromStdString(result->device)))
                            .arg(result->skipped.empty()
                                     ? QString()
                                     : tr(", %1 images skipped").arg(result->skipped.size())));
            addExtractedFeatures(request, *result, row);
        },
        TaskRunner::Lane::Gpu);
    return row;
}

void ModelsPage::cancelJob(int row)
{
    if (row < 0 || size_t(row) >= m_jobList.size()) return;
    Job& job = m_jobList[size_t(row)];
    if (job.state != JobState::Queued && job.state != JobState::Running) return;
    m_window->tasks()->cancel(job.slot);
    setJobState(row, JobState::Cancelled, tr("cancelled"));
}

void ModelsPage::setJobState(int row, JobState state, const QString& status)
{
    m_jobList[size_t(row)].state = state;
    m_jobList[size_t(row)].status = status;
    m_jobs->item(row, StatusColumn)->setText(status);
    m_jobs->item(row, StatusColumn)->setToolTip(status);
    if (auto* cancel = m_jobs->cellWidget(row, CancelColumn))
        cancel->setEnabled(state == JobState::Queued || state == JobState::Running);
}

const ModelsPage::Extraction* ModelsPage::extractionOf(const QString& workspacePath) const
{
    const auto it = m_extractions.find(workspacePath);
    return it == m_extractions.end() ? nullptr : &it->second;
}

QString ModelsPage::jobStatus(int row) const
{
    return row >= 0 && size_t(row) < m_jobList.size() ? m_jobList[size_t(row)].status : QString();
}
int ModelsPage::jobCount() const
{
    return int(m_jobList.size());
}

void ModelsPage::addExtractedFeatures(const ExtractionRequest& request, const ExtractionResult& result,
                                      int job)
{
    const QString model = QFileInfo(QString::fromStdString(request.modelPath)).completeBaseName();
    QStringList added;
    for (const ExtractedFeatures& output : result.outputs) {
        auto matrix = std::make_shared<LoadedMatrix>();
        matrix->array = makeFloat32Array({output.rows, output.cols}, output.values);
        matrix->rowIds = result.rowIds;
        matrix->rowIdOrigin = "image file stems";
        LoadedItem item;
        item.kind = LoadedItem::Kind::Matrix;
        // A virtual path naming the model, its output and the job (no dots: pages name models by base name).
        item.path =
            QStringLiteral("%1 %2%3 (job %4)")
                .arg(model, QString::fromStdString(request.output.method),
                     output.selector.empty() ? QString()
                                             : QStringLiteral(" ") + QString::fromStdString(output.selector))
                .arg(job + 1)
                .replace('.', '_');
        item.summary = QStringLiteral("%1: %2×%3 extracted").arg(item.path).arg(output.rows).arg(output.cols);
        item.matrix = std::move(matrix);
        added << item.path;
        m_extractions[item.path] = {request, result.cacheKey};
        m_window->workspace()->add(std::move(item));
    }
    Q_EMIT featuresExtracted(added);
}
