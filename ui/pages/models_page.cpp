#include "pages/models_page.h"

#include "controllers/extraction_controller.h"
#include "controllers/model_process.h"
#include "dialogs/extraction_dialog.h"
#include "dialogs/model_catalogue_dialog.h"
#include "session/session.h"

#include "alignscope/feature_extraction.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
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

ModelsPage::ModelsPage(Session* session, ExtractionController* extraction, QWidget* parent)
    : QWidget(parent), m_session(session), m_extraction(extraction), m_models(new QListWidget(this)),
      m_card(new QLabel(this)), m_extract(new QPushButton(tr("Extract features…"), this)),
      m_jobs(new QTableWidget(0, ColumnCount, this))
{
    auto* layout = new QVBoxLayout(this);
    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add model…"), this);
    buttons->addWidget(add);
    auto* addByName = new QPushButton(tr("Add models…"), this);
    addByName->setObjectName(QStringLiteral("addModels"));
    addByName->setToolTip(
        tr("Models by name: torchvision's catalogue, exported with their own preprocessing"));
    buttons->addWidget(addByName);
    buttons->addWidget(m_extract);
    buttons->addStretch();
    buttons->addWidget(new QLabel(tr("Drop TorchScript models (.pt), exporters (.py) or torchvision weights "
                                     "(resnet50-….pth) on the window"),
                                  this));
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
    layout->addWidget(
        new QLabel(tr("Extraction jobs (one at a time, each in its own process: a failing model "
                      "fails only its job)"),
                   this));
    m_jobs->setObjectName(QStringLiteral("jobs"));
    m_jobs->setHorizontalHeaderLabels(
        {tr("Model"), tr("Images"), tr("Output"), tr("Status"), tr("Progress"), QString()});
    m_jobs->horizontalHeader()->setSectionResizeMode(StatusColumn, QHeaderView::Stretch);
    m_jobs->verticalHeader()->hide();
    // A finished job's model name is editable: it renames the features it made everywhere.
    m_jobs->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    layout->addWidget(m_jobs, 1);
    m_extract->setEnabled(false);

    connect(add, &QPushButton::clicked, this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("TorchScript models"), QString(), tr("TorchScript (*.pt *.pth *.ts);;All files (*)"));
        if (!files.isEmpty()) Q_EMIT openRequested(files);
    });
    connect(addByName, &QPushButton::clicked, this, [this] { showCatalogue(); });
    connect(m_extract, &QPushButton::clicked, this, &ModelsPage::openSettings);
    connect(m_models, &QListWidget::currentRowChanged, this, &ModelsPage::showCard);
    connect(m_session, &Session::itemsChanged, this, &ModelsPage::refreshModels);
    connect(m_extraction, &ExtractionController::modelInfoChanged, this, &ModelsPage::showCard);
    connect(m_extraction, &ExtractionController::jobAdded, this, &ModelsPage::addJobRow);
    connect(m_extraction, &ExtractionController::jobChanged, this, &ModelsPage::showJob);
    connect(m_jobs, &QTableWidget::itemChanged, this, &ModelsPage::renameFromTable);
    connect(m_session, &Session::itemsChanged, this, [this] { // renamed elsewhere too
        for (int job = 0; job < m_jobs->rowCount(); ++job)
            showJob(job);
    });
}

void ModelsPage::renameFromTable(QTableWidgetItem* cell)
{
    if (cell->column() != ModelColumn || !(cell->flags() & Qt::ItemIsEditable)) return;
    const int job = cell->row();
    if (cell->text() == m_extraction->jobModelName(job)) return;
    QString error;
    if (!m_extraction->renameJob(job, cell->text(), &error)) {
        Q_EMIT m_session->message(error, true);
        showJob(job); // back to the name the features have
    }
}

std::optional<ModelsPage::DroppedModel> ModelsPage::modelByNameOf(const QString& path)
{
    const QFileInfo file(path);
    if (file.suffix() == QLatin1String("py"))
        return DroppedModel{QStringLiteral("python:") + file.absoluteFilePath(), QStringLiteral("none")};
    // torchvision names its weights files ARCHITECTURE-HASH.pth (resnet50-0676ba61.pth).
    static const QRegularExpression weights(QStringLiteral("^([a-z][a-z0-9_]*)-[0-9a-f]+\\.pth$"));
    if (const auto match = weights.match(file.fileName()); match.hasMatch())
        return DroppedModel{QStringLiteral("torchvision:") + match.captured(1), file.absoluteFilePath()};
    return std::nullopt;
}

ModelCatalogueDialog* ModelsPage::catalogueDialog() const
{
    return m_catalogue.data();
}

ModelCatalogueDialog* ModelsPage::showCatalogue(const QStringList& dropped)
{
    if (!m_catalogue) {
        m_catalogue = new ModelCatalogueDialog(this);
        m_catalogue->setAttribute(Qt::WA_DeleteOnClose);
        auto* catalogue = new ModelProcess(m_catalogue);
        connect(catalogue, &ModelProcess::finished, m_catalogue,
                [dialog = m_catalogue.data()](bool ok, const QByteArray& output, const QString& error) {
                    if (ok)
                        dialog->setCatalogue(output);
                    else
                        dialog->setCatalogueProblem(error);
                });
        catalogue->start({QStringLiteral("models"), QStringLiteral("list"), QStringLiteral("--json")},
                         tr("the model catalogue"));
        connect(m_catalogue, &QDialog::accepted, this, [this, dialog = m_catalogue.data()] {
            const auto chosen = dialog->choices();
            if (!chosen) return;
            for (const ModelCatalogueDialog::Choice& choice : *chosen)
                m_extraction->queueModelByName({choice.spec, choice.weights, choice.outputs},
                                               choice.imagePaths, true);
        });
    }
    for (const QString& path : dropped)
        if (const auto model = modelByNameOf(path)) m_catalogue->addChosenModel(model->spec, model->weights);
    m_catalogue->show();
    m_catalogue->raise();
    return m_catalogue;
}

void ModelsPage::refreshModels()
{
    const QString current = selectedModel();
    m_models->clear();
    for (const SessionItem* item : m_session->itemsWithRole(ItemRole::TorchScriptModel)) {
        auto* entry = new QListWidgetItem(QFileInfo(item->data.path).fileName(), m_models);
        entry->setData(Qt::UserRole, item->data.path);
        entry->setToolTip(item->data.path);
    }
    if (m_models->count() > 0)
        selectModel(current.isEmpty() ? m_models->item(m_models->count() - 1)->data(Qt::UserRole).toString()
                                      : current);
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

QString ModelsPage::cardText() const
{
    return m_card->text();
}

void ModelsPage::showCard()
{
    const QString path = selectedModel();
    const ModelInfo* info = m_extraction->modelInfo(path);
    m_extract->setEnabled(info != nullptr);
    if (!info) {
        m_card->setText(path.isEmpty() ? tr("No model selected.")
                                       : QStringLiteral("<b>%1</b><br>%2")
                                             .arg(path.toHtmlEscaped(),
                                                  m_extraction->inspectError(path).toHtmlEscaped()));
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
    const ModelInfo* info = m_extraction->modelInfo(selectedModel());
    if (!info) return;
    ExtractionDialog dialog(*info, m_extraction->exportedManifest(selectedModel()), this);
    while (dialog.exec() == QDialog::Accepted) {
        auto request = dialog.request();
        if (request) {
            m_extraction->queueExtraction(*request, dialog.useCache());
            return;
        }
        QMessageBox::warning(this, tr("Extraction settings"),
                             QString::fromStdString(request.error().message()));
    }
}

void ModelsPage::addJobRow(int job)
{
    const ExtractionRequest& request = m_extraction->jobs()[size_t(job)].request;
    m_jobs->insertRow(job);
    const QSignalBlocker quiet(m_jobs);
    auto* model = new QTableWidgetItem(QFileInfo(QString::fromStdString(request.modelPath)).fileName());
    model->setFlags(model->flags() & ~Qt::ItemIsEditable); // until its features joined
    m_jobs->setItem(job, ModelColumn, model);
    m_jobs->setItem(job, ImagesColumn, new QTableWidgetItem(tr("%1 images").arg(request.imagePaths.size())));
    m_jobs->setItem(
        job, OutputColumn,
        new QTableWidgetItem(QString::fromStdString(request.output.method + " " + request.output.output)));
    m_jobs->setItem(job, StatusColumn, new QTableWidgetItem);
    auto* bar = new QProgressBar(m_jobs);
    bar->setRange(0, 1000);
    m_jobs->setCellWidget(job, ProgressColumn, bar);
    auto* cancel = new QPushButton(tr("Cancel"), m_jobs);
    m_jobs->setCellWidget(job, CancelColumn, cancel);
    connect(cancel, &QPushButton::clicked, this, [this, job] { m_extraction->cancelJob(job); });
    showJob(job);
}

void ModelsPage::showJob(int job)
{
    if (job >= m_jobs->rowCount()) return;
    const ExtractionController::Job& state = m_extraction->jobs()[size_t(job)];
    const QSignalBlocker quiet(m_jobs); // what the job shows is not an edit
    if (const QString name = m_extraction->jobModelName(job); !name.isEmpty()) {
        QTableWidgetItem* model = m_jobs->item(job, ModelColumn);
        model->setText(name);
        model->setFlags(model->flags() | Qt::ItemIsEditable);
        model->setToolTip(tr("Double-click to rename the model: its features keep the name in every view, "
                             "figure, table and project"));
    }
    m_jobs->item(job, StatusColumn)->setText(state.status);
    m_jobs->item(job, StatusColumn)->setToolTip(state.status);
    if (auto* bar = qobject_cast<QProgressBar*>(m_jobs->cellWidget(job, ProgressColumn)))
        bar->setValue(int(state.progress * 1000));
    using State = ExtractionController::JobState;
    if (auto* cancel = m_jobs->cellWidget(job, CancelColumn))
        cancel->setEnabled(state.state == State::Queued || state.state == State::Running);
}
