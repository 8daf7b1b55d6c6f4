#include "pages/probe_page.h"

#include "charts/probe_curves.h"
#include "controllers/odd_one_out_controller.h"
#include "controllers/probe_controller.h"
#include "controllers/rsa_controller.h"
#include "export/figure_registry.h"
#include "session/session.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace alignscope;

ProbePage::ProbePage(Session* session, ProbeController* probe, OddOneOutController* oddOneOut,
                     RsaController* rsa, FigureRegistry* figures, QWidget* parent)
    : QWidget(parent), m_session(session), m_probe(probe), m_oddOneOut(oddOneOut), m_rsa(rsa),
      m_model(new QComboBox(this)), m_triplets(new QComboBox(this)),
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
    connect(applyButton, &QPushButton::clicked, m_probe, &ProbeController::apply);
    connect(saveButton, &QPushButton::clicked, this, [this] {
        if (!m_session->probe()) return;
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save transform"), QStringLiteral("transform.npz"), tr("NumPy archive (*.npz)"));
        if (path.isEmpty()) return;
        const QString error = m_probe->saveTransform(path);
        m_card->setText(error.isEmpty() ? tr("Saved %1").arg(path) : error);
    });
    connect(loadButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Load transform (weights, bias, mean, std)"), QString(), tr("NumPy archive (*.npz)"));
        if (path.isEmpty()) return;
        const QString error = m_probe->loadTransform(path, m_model->currentData().toInt());
        if (!error.isEmpty()) {
            m_card->setText(error);
            return;
        }
        const ProbeTransform& transform = m_session->probe()->result.transform;
        m_card->setText(tr("Loaded %1 (%2 → %3 dimensions). Apply it to the selected features with \"Apply "
                           "to all datasets\".")
                            .arg(path)
                            .arg(transform.inputDims)
                            .arg(transform.outputDims));
    });
    connect(m_probe, &ProbeController::started, m_card, &QLabel::setText);
    connect(m_probe, &ProbeController::failed, m_card, &QLabel::setText);
    connect(m_probe, &ProbeController::step, m_curves, &ProbeCurves::addStep);
    connect(m_probe, &ProbeController::trained, this, &ProbePage::showProbe);
    connect(m_session, &Session::itemsChanged, this, &ProbePage::refreshInputs);
    connect(m_session, &Session::probeChanged, this, &ProbePage::updateTransferTable);
    connect(m_oddOneOut, &OddOneOutController::analysisChanged, this, &ProbePage::updateTransferTable);
    connect(m_rsa, &RsaController::analysisChanged, this, &ProbePage::updateTransferTable);
    connect(m_session, &Session::probeChanged, this, [this] {
        const auto& probe = m_session->probe();
        if (!probe) return;
        // Show what the probe was trained on, whoever started it (the Train button, the demo, a project).
        if (const int model = m_model->findData(probe->sourceId); model >= 0) m_model->setCurrentIndex(model);
        if (const int triplets = m_triplets->findData(probe->tripletsId); triplets >= 0)
            m_triplets->setCurrentIndex(triplets);
        if (probe->fromProject) showProbe();
    });
    figures->add({QStringLiteral("probe-curves"),
                  tr("Probe training curves"),
                  m_curves->figure(),
                  {},
                  [curves = m_curves] { return curves->pointCount() > 0; }},
                 this);
}

QString ProbePage::cardText() const
{
    return m_card->text();
}

void ProbePage::refreshInputs()
{
    const int previousModel = m_model->currentData().toInt();
    m_model->clear();
    for (const SessionItem* item : m_session->itemsWithRole(ItemRole::ModelFeatures))
        if (item->data.matrix) m_model->addItem(QFileInfo(item->data.path).fileName(), item->id);
    m_model->setCurrentIndex(std::max(0, m_model->findData(previousModel)));
    // Default to the newest set (as the odd-one-out page uses), keep an explicit choice.
    const QVariant previousTriplets = m_triplets->currentData();
    const bool newestChosen = m_triplets->currentIndex() == m_triplets->count() - 1;
    m_triplets->clear();
    for (const SessionItem* item : m_session->itemsWithRole(ItemRole::Triplets))
        m_triplets->addItem(item->data.summary, item->id);
    const int kept = m_triplets->findData(previousTriplets);
    m_triplets->setCurrentIndex(kept >= 0 && !newestChosen ? kept : m_triplets->count() - 1);
}

bool ProbePage::selectInputs(int featuresId, const QString& tripletsContaining)
{
    refreshInputs();
    const int model = m_model->findData(featuresId);
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
    ProbeSettings settings;
    settings.featuresId = m_model->currentData().toInt();
    settings.tripletsId = m_triplets->currentData().toInt();
    for (const QString& part : m_lambdas->text().split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const double value = part.trimmed().toDouble(&ok);
        if (!ok || value < 0) {
            m_card->setText(tr("λ grid: '%1' is not a non-negative number").arg(part.trimmed()));
            return false;
        }
        settings.lambdas.push_back(value);
    }
    settings.folds = m_folds->value();
    settings.optimizer = ProbeOptimizer(m_optimizer->currentData().toInt());
    settings.lbfgsIterations = m_lbfgsIterations;
    settings.epochs = m_epochs;
    m_curves->clear();
    return m_probe->train(settings);
}

void ProbePage::showProbe()
{
    const auto& probe = m_session->probe();
    if (!probe) return;
    const ProbeResult& result = probe->result;
    if (probe->fromProject) {
        m_card->setText(
            tr("Restored from the project: %1, λ = %2. Its accuracies (zero-shot, cross-validated) are not "
               "verified, so they are not shown: train the probe again to recompute them.")
                .arg(QFileInfo(probe->sourcePath).fileName())
                .arg(result.lambda));
        return;
    }
    QString text = tr("<b>Zero-shot %1 → probed %2 ± %3</b> (cross-validated, λ = %4, %5 s on %6)<br>")
                       .arg(result.zeroShotAccuracy, 0, 'f', 4)
                       .arg(result.cvAccuracy, 0, 'f', 4)
                       .arg(result.cvAccuracySd, 0, 'f', 4)
                       .arg(result.lambda)
                       .arg(result.seconds, 0, 'f', 1)
                       .arg(QString::fromStdString(result.device));
    for (const auto& fold : result.folds)
        text += tr("fold %1: %2 train / %3 test triplets, zero-shot %4, probed %5<br>")
                    .arg(fold.fold + 1)
                    .arg(fold.trainTriplets)
                    .arg(fold.testTriplets)
                    .arg(fold.zeroShot, 0, 'f', 4)
                    .arg(fold.probed, 0, 'f', 4);
    m_card->setText(text);
}

void ProbePage::updateTransferTable()
{
    m_transfer->setRowCount(0);
    for (const TransferRow& row : ProbeController::transferRows(*m_session, *m_oddOneOut, *m_rsa)) {
        const int r = m_transfer->rowCount();
        m_transfer->insertRow(r);
        const QStringList cells = {row.analysis, row.model, QString::number(row.zeroShot, 'f', 4),
                                   QString::number(row.transformed, 'f', 4)};
        for (int c = 0; c < cells.size(); ++c)
            m_transfer->setItem(r, c, new QTableWidgetItem(cells[c]));
    }
}
