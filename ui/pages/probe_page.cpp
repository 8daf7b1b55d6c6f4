#include "pages/probe_page.h"

#include "charts/probe_curves.h"
#include "controllers/odd_one_out_controller.h"
#include "controllers/rsa_controller.h"
#include "main_window.h"
#include "session/task_runner.h"
#include "session/workspace.h"

#include "alignscope/npy.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace alignscope;

namespace {

// The transformed copy of a model's features joins the workspace under this (virtual) path.
QString probedPath(const QString& path)
{
    const QFileInfo info(path);
    return info.dir().filePath(info.completeBaseName() + QStringLiteral("+probe.") + info.suffix());
}

} // namespace

ProbePage::ProbePage(MainWindow* window)
    : QWidget(window), m_window(window), m_model(new QComboBox(this)), m_triplets(new QComboBox(this)),
      m_lambdas(new QLineEdit(QStringLiteral("1, 0.1, 0.01, 0.001, 0.0001, 0.00001"), this)),
      m_folds(new QSpinBox(this)), m_optimizer(new QComboBox(this)), m_card(new QLabel(this)),
      m_curves(new ProbeCurves(this)), m_transfer(new QTableWidget(this))
{
    m_folds->setRange(2, 10);
    m_folds->setValue(3);
    m_optimizer->addItem(tr("L-BFGS (full batch)"), int(ProbeOptimizer::Lbfgs));
    m_optimizer->addItem(tr("Adam (minibatch 256, lr 1e-3, early stopping)"), int(ProbeOptimizer::Adam));
    auto* form = new QFormLayout;
    form->addRow(tr("Features"), m_model);
    form->addRow(tr("Triplets"), m_triplets);
    form->addRow(tr("λ grid"), m_lambdas);
    form->addRow(tr("Folds (disjoint objects)"), m_folds);
    form->addRow(tr("Optimizer"), m_optimizer);
    auto* trainButton = new QPushButton(tr("Train"), this);
    auto* saveButton = new QPushButton(tr("Save transform…"), this);
    auto* loadButton = new QPushButton(tr("Load transform…"), this);
    auto* applyButton = new QPushButton(tr("Apply to all datasets"), this);
    auto* buttons = new QHBoxLayout;
    for (QPushButton* button : {trainButton, saveButton, loadButton, applyButton})
        buttons->addWidget(button);
    buttons->addStretch();
    m_card->setWordWrap(true);
    m_card->setText(tr("Train a linear transform of a model's features on the human triplets "
                       "(cross-validated over objects)."));
    m_transfer->setColumnCount(4);
    m_transfer->setHorizontalHeaderLabels({tr("Analysis"), tr("Model"), tr("Zero-shot"), tr("Transformed")});
    m_transfer->verticalHeader()->hide();
    m_transfer->horizontalHeader()->setStretchLastSection(true);
    m_transfer->setMaximumHeight(140);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_card);
    layout->addWidget(m_curves, 1);
    layout->addWidget(new QLabel(tr("Transfer: zero-shot vs transformed features on every analysis"), this));
    layout->addWidget(m_transfer);

    connect(trainButton, &QPushButton::clicked, this, [this] { train(); });
    connect(applyButton, &QPushButton::clicked, this, [this] { applyToDatasets(); });
    connect(saveButton, &QPushButton::clicked, this, [this] {
        if (!m_result) return;
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save transform"), QStringLiteral("transform.npz"), tr("NumPy archive (*.npz)"));
        if (path.isEmpty()) return;
        auto status = saveTransform(path.toStdString(), m_result->transform);
        m_card->setText(status ? tr("Saved %1").arg(path) : QString::fromStdString(status.error().message()));
    });
    connect(loadButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Load transform (weights, bias, mean, std)"), QString(), tr("NumPy archive (*.npz)"));
        if (path.isEmpty()) return;
        auto transform = loadTransform(path.toStdString());
        if (!transform) {
            m_card->setText(QString::fromStdString(transform.error().message()));
            return;
        }
        ProbeResult loaded;
        loaded.transform = std::move(transform).value();
        m_result = std::move(loaded);
        m_modelPath = m_model->currentData().toString();
        m_card->setText(tr("Loaded %1 (%2 → %3 dimensions). Apply it to the selected features with \"Apply "
                           "to all datasets\".")
                            .arg(path)
                            .arg(m_result->transform.inputDims)
                            .arg(m_result->transform.outputDims));
    });
}

void ProbePage::refreshInputs()
{
    const QString previous = m_model->currentData().toString();
    m_model->clear();
    const auto objects = m_window->workspace()->objects();
    for (const LoadedItem& item : m_window->workspace()->items()) {
        if (item.kind != LoadedItem::Kind::Matrix || !item.matrix ||
            item.path == m_window->oddOneOut()->conceptPath())
            continue;
        if (objects && item.matrix->array.rows() == std::int64_t(objects->size()) &&
            item.matrix->array.cols() == item.matrix->array.rows())
            continue; // n×n human data
        m_model->addItem(QFileInfo(item.path).fileName(), item.path);
    }
    m_model->setCurrentIndex(std::max(0, m_model->findData(previous)));
    const int previousTriplets = m_triplets->currentIndex();
    m_triplets->clear();
    int index = 0;
    for (const LoadedItem& item : m_window->workspace()->items()) {
        if (item.kind == LoadedItem::Kind::Triplets) m_triplets->addItem(item.summary, index);
        ++index;
    }
    // Default to the newest set (as the odd-one-out page uses), keep an explicit choice.
    m_triplets->setCurrentIndex(previousTriplets >= 0 && previousTriplets < m_triplets->count() - 1
                                    ? previousTriplets
                                    : m_triplets->count() - 1);
}

bool ProbePage::selectInputs(const QString& modelPath, const QString& tripletsContaining)
{
    refreshInputs();
    const int model = m_model->findData(modelPath);
    int triplets = -1;
    for (int i = 0; i < m_triplets->count(); ++i)
        if (m_triplets->itemText(i).contains(tripletsContaining)) triplets = i;
    if (model < 0 || triplets < 0) return false;
    m_model->setCurrentIndex(model);
    m_triplets->setCurrentIndex(triplets);
    return true;
}

void ProbePage::setLambdas(const QString& text)
{
    m_lambdas->setText(text);
}

void ProbePage::restore(const ProbeResult& result, const QString& modelPath)
{
    m_result = result;
    m_modelPath = modelPath;
    m_card->setText(tr("Restored from the project: %1, λ = %2, zero-shot %3 → probed %4 (cross-validated).")
                        .arg(QFileInfo(modelPath).fileName())
                        .arg(result.lambda)
                        .arg(result.zeroShotAccuracy, 0, 'f', 4)
                        .arg(result.cvAccuracy, 0, 'f', 4));
    Q_EMIT trained();
}
void ProbePage::setOptimizer(ProbeOptimizer optimizer)
{
    m_optimizer->setCurrentIndex(m_optimizer->findData(int(optimizer)));
}
void ProbePage::setIterationsForTesting(int lbfgsIterations, int epochs)
{
    m_lbfgsIterations = lbfgsIterations;
    m_epochs = epochs;
}

bool ProbePage::train()
{
    Workspace* workspace = m_window->workspace();
    auto objects = workspace->sharedObjects();
    std::shared_ptr<const TripletSet> triplets;
    const int tripletItem = m_triplets->currentData().isValid() ? m_triplets->currentData().toInt() : -1;
    if (tripletItem >= 0 && size_t(tripletItem) < workspace->items().size())
        triplets = workspace->items()[size_t(tripletItem)].triplets;
    const QString path = m_model->currentData().toString();
    if (!objects || !triplets || path.isEmpty()) {
        m_card->setText(tr("The probe needs objects, triplets and a feature file."));
        return false;
    }
    auto inputs = m_window->oddOneOut()->gatherModelInputs(*objects);
    const std::string name = QFileInfo(path).completeBaseName().toStdString();
    std::optional<FeatureMatrix> features;
    for (auto& [modelName, matrix] : inputs.models)
        if (modelName == name) features = std::move(matrix);
    if (!features) {
        m_card->setText(inputs.problem.isEmpty() ? tr("%1 cannot be mapped to the objects.").arg(path)
                                                 : inputs.problem);
        return false;
    }
    ProbeOptions options;
    options.lambdas.clear();
    for (const QString& part : m_lambdas->text().split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const double value = part.trimmed().toDouble(&ok);
        if (!ok || value < 0) {
            m_card->setText(tr("λ grid: '%1' is not a non-negative number").arg(part.trimmed()));
            return false;
        }
        options.lambdas.push_back(value);
    }
    if (options.lambdas.empty()) return false;
    options.folds = m_folds->value();
    options.optimizer = ProbeOptimizer(m_optimizer->currentData().toInt());
    options.lbfgsIterations = m_lbfgsIterations;
    options.epochs = m_epochs;
    QPointer<ProbeCurves> curves(m_curves);
    options.onStep = [curves](const ProbeStep& step) { // computing thread -> GUI thread
        QMetaObject::invokeMethod(
            qApp,
            [curves, step] {
                if (curves) curves->addStep(step);
            },
            Qt::QueuedConnection);
    };
    m_curves->clear();
    m_modelPath = path;
    m_card->setText(tr("Training on %1 triplets…").arg(triplets->size()));
    m_window->tasks()->run<Result<ProbeResult>>(
        QStringLiteral("probe"), this,
        [features = std::move(*features), triplets, options](const TaskContext& context) {
            return runProbe(features, *triplets, options, context);
        },
        [this](Result<ProbeResult> result) {
            if (!result) {
                m_card->setText(QString::fromStdString(result.error().message()));
                return;
            }
            m_result = std::move(result).value();
            QString text =
                tr("<b>Zero-shot %1 → probed %2 ± %3</b> (cross-validated, λ = %4, %5 s on %6)<br>")
                    .arg(m_result->zeroShotAccuracy, 0, 'f', 4)
                    .arg(m_result->cvAccuracy, 0, 'f', 4)
                    .arg(m_result->cvAccuracySd, 0, 'f', 4)
                    .arg(m_result->lambda)
                    .arg(m_result->seconds, 0, 'f', 1)
                    .arg(QString::fromStdString(m_result->device));
            for (const auto& fold : m_result->folds)
                text += tr("fold %1: %2 train / %3 test triplets, zero-shot %4, probed %5<br>")
                            .arg(fold.fold + 1)
                            .arg(fold.trainTriplets)
                            .arg(fold.testTriplets)
                            .arg(fold.zeroShot, 0, 'f', 4)
                            .arg(fold.probed, 0, 'f', 4);
            m_card->setText(text);
            Q_EMIT trained();
        },
        TaskRunner::Lane::Gpu);
    return true;
}

bool ProbePage::applyToDatasets()
{
    if (!m_result || m_modelPath.isEmpty()) return false;
    for (const LoadedItem& item : m_window->workspace()->items()) {
        if (item.path != m_modelPath || !item.matrix) continue;
        FeatureMatrix raw;
        raw.rows = item.matrix->array.rows();
        raw.cols = item.matrix->array.cols();
        raw.values = item.matrix->array.toFloat32();
        raw.origin = item.path.toStdString();
        auto transformed = applyTransform(m_result->transform, raw);
        if (!transformed) {
            m_card->setText(QString::fromStdString(transformed.error().message()));
            return false;
        }
        auto matrix = std::make_shared<LoadedMatrix>(*item.matrix);
        matrix->array =
            makeFloat32Array({transformed->rows, transformed->cols}, std::move(transformed->values));
        LoadedItem added;
        added.kind = LoadedItem::Kind::Matrix;
        added.path = probedPath(item.path);
        added.summary = QStringLiteral("%1: (%2, %3) probed")
                            .arg(QFileInfo(added.path).fileName())
                            .arg(matrix->array.rows())
                            .arg(matrix->array.cols());
        added.matrix = std::move(matrix);
        if (auto identity = m_window->oddOneOut()->rowIdentity(item.path))
            m_window->oddOneOut()->setRowIdentity(added.path, *identity);
        m_window->workspace()->add(std::move(added)); // recomputes odd-one-out and RSA with the new model
        return true;
    }
    return false;
}

void ProbePage::updateTransferTable()
{
    m_transfer->setRowCount(0);
    if (m_modelPath.isEmpty()) return;
    const QString base = QFileInfo(m_modelPath).completeBaseName();
    const std::string zeroShot = base.toStdString(),
                      transformed = QFileInfo(probedPath(m_modelPath)).completeBaseName().toStdString();
    auto addRow = [this](const QString& analysis, double before, double after) {
        const int row = m_transfer->rowCount();
        m_transfer->insertRow(row);
        const QStringList cells = {analysis, QFileInfo(m_modelPath).completeBaseName(),
                                   QString::number(before, 'f', 4), QString::number(after, 'f', 4)};
        for (int c = 0; c < cells.size(); ++c)
            m_transfer->setItem(row, c, new QTableWidgetItem(cells[c]));
    };
    if (auto analysis = m_window->oddOneOut()->analysis()) {
        double before = -1, after = -1;
        for (const auto& model : analysis->models) {
            if (model.name == zeroShot) before = model.choices.accuracy();
            if (model.name == transformed) after = model.choices.accuracy();
        }
        if (before >= 0 && after >= 0) addRow(tr("odd-one-out accuracy"), before, after);
    }
    for (const auto& analysis : m_window->rsa()->analyses()) {
        double before = -2, after = -2;
        for (const auto& model : analysis->models) {
            if (model.name == zeroShot) before = model.r;
            if (model.name == transformed) after = model.r;
        }
        if (before > -2 && after > -2)
            addRow(tr("RSA r: %1").arg(QString::fromStdString(analysis->dataset)), before, after);
    }
}
