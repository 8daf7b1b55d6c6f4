#include "demo_session.h"

#include "controllers/odd_one_out_controller.h"
#include "main_window.h"
#include "pages/models_page.h"
#include "pages/probe_page.h"
#include "session/file_loader.h"
#include "session/task_runner.h"
#include "session/workspace.h"

#include "alignscope/feature_extraction.h"
#include "alignscope/human_similarity.h"

#include <QLabel>
#include <QStatusBar>

using namespace alignscope;

DemoSession::DemoSession(MainWindow* window) : QObject(window), m_window(window) {}

void DemoSession::start(const QString& folder)
{
    const std::string target = folder.isEmpty() ? defaultDemoFolder() : folder.toStdString();
    m_window->setWindowTitle(tr("AlignScope — synthetic demo"));
    auto* badge = new QLabel(
        tr("  Synthetic demo: rendered objects and simulated human judgments, not real data  "), m_window);
    badge->setObjectName(QStringLiteral("demoBadge"));
    badge->setStyleSheet(
        QStringLiteral("QLabel { background: #fff3c4; color: #5a4500; border-radius: 3px; }"));
    m_window->statusBar()->addPermanentWidget(badge);
    m_window->tasks()->run<Result<DemoDataset>>(
        QStringLiteral("demo"), this,
        [target](const TaskContext& context) { return generateDemoDataset(target, context); },
        [this](Result<DemoDataset> demo) {
            if (!demo) {
                Q_EMIT failed(QString::fromStdString(demo.error().message()));
                return;
            }
            m_dataset = *demo;
            load(*demo);
        });
}

void DemoSession::load(const DemoDataset& demo)
{
    const QString concepts = QString::fromStdString(demo.conceptSpace);
    m_window->oddOneOut()->setConceptPath(concepts);
    QStringList paths{QString::fromStdString(demo.folder), concepts};
    for (const std::string& model : demo.featureModels)
        paths << QString::fromStdString(model);
    // The ratings over a subset load as a human dataset: square, symmetric, rows named by a sidecar.
    paths << QString::fromStdString(demo.cnnModel) << QString::fromStdString(demo.humanSubset);
    m_window->openPaths(paths);
    extractCnnFeatures();
}

void DemoSession::extractCnnFeatures()
{
    ExtractionRequest request;
    request.modelPath = m_dataset->cnnModel;
    auto images = listImages(m_dataset->folder + "/images");
    if (!images) {
        Q_EMIT failed(QString::fromStdString(images.error().message()));
        return;
    }
    request.imagePaths = std::move(images).value();
    request.output.output = "0";
    request.preprocessing = *preprocessingPreset("none"); // the demo images are already 128×128
    request.device = ComputeDevice::Cpu;
    ModelsPage* models = m_window->modelsPage();
    connect(
        models, &ModelsPage::featuresExtracted, this,
        [this](const QStringList& paths) {
            if (!paths.isEmpty()) trainProbe(paths.front());
        },
        Qt::SingleShotConnection);
    models->queueExtraction(request, true);
}

void DemoSession::trainProbe(const QString& featuresPath)
{
    ProbePage* probe = m_window->probePage();
    if (!probe->selectInputs(featuresPath, tr("train"))) {
        // The object table and triplets may still be loading on another worker: try again when they arrive.
        if (++m_probeAttempts > 20) {
            Q_EMIT failed(tr("demo: the probe found no %1 or no training triplets").arg(featuresPath));
            return;
        }
        connect(
            m_window->workspace(), &Workspace::changed, this,
            [this, featuresPath] { trainProbe(featuresPath); }, Qt::SingleShotConnection);
        return;
    }
    probe->setLambdas(QStringLiteral("0.01,0.1"));
    connect(
        probe, &ProbePage::trained, this,
        [this, probe] {
            probe->applyToDatasets();
            m_ready = true;
            Q_EMIT ready();
        },
        Qt::SingleShotConnection);
    if (!probe->train()) Q_EMIT failed(tr("demo: probe training could not start"));
}
