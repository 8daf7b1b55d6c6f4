#include "demo_session.h"

#include "controllers/extraction_controller.h"
#include "controllers/load_controller.h"
#include "controllers/population_controller.h"
#include "controllers/probe_controller.h"
#include "controllers/workbench.h"
#include "session/session.h"
#include "session/task_runner.h"

#include "alignscope/demo_population.h"
#include "alignscope/feature_extraction.h"
#include "alignscope/model_population.h"

using namespace alignscope;

DemoSession::DemoSession(Workbench* workbench, QObject* parent) : QObject(parent), m_workbench(workbench) {}

void DemoSession::start(const QString& folder)
{
    const std::string target = folder.isEmpty() ? defaultDemoFolder() : folder.toStdString();
    struct Generated
    {
        DemoDataset dataset;
        DemoPopulation population;
        ModelPopulation results;
        ModelMetadata metadata;
    };
    m_workbench->tasks()->run<Result<Generated>>(
        QStringLiteral("demo"), this,
        [target](const TaskContext& context) -> Result<Generated> {
            Generated out;
            auto demo = generateDemoDataset(target, context);
            if (!demo) return demo.error();
            out.dataset = std::move(demo).value();
            auto population = generateDemoPopulation(out.dataset, context);
            if (!population) return population.error();
            out.population = std::move(population).value();
            if (auto read = readPopulationResults(out.population.results, out.results); !read)
                return read.error();
            auto metadata = loadModelMetadata(out.population.metadata);
            if (!metadata) return metadata.error();
            out.metadata = std::move(metadata).value();
            return out;
        },
        [this](Result<Generated> generated) {
            if (!generated) {
                Q_EMIT failed(QString::fromStdString(generated.error().message()));
                return;
            }
            m_dataset = generated->dataset;
            m_workbench->population()->setLoaded(
                {QString::fromStdString(generated->population.results)}, std::move(generated->results),
                QString::fromStdString(generated->population.metadata), std::move(generated->metadata));
            open(m_dataset.value());
        });
}

void DemoSession::open(const DemoDataset& demo)
{
    const QString concepts = QString::fromStdString(demo.conceptSpace);
    m_workbench->session()->setConceptPath(concepts);
    m_paths = QStringList{QString::fromStdString(demo.folder), concepts};
    for (const std::string& model : demo.featureModels)
        m_paths << QString::fromStdString(model);
    // The ratings over a subset load as a human dataset: square, symmetric, rows named by a sidecar.
    m_paths << QString::fromStdString(demo.cnnModel) << QString::fromStdString(demo.humanSubset);
    // The CNN's features are extracted once the files are in: the models then always appear in the same
    // order.
    connect(m_workbench->loader(), &LoadController::loaded, this, [this](const QStringList& paths) {
        if (paths != m_paths || m_opened) return;
        m_opened = true;
        extractCnnFeatures();
    });
    m_workbench->open(m_paths);
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
    ExtractionController* extraction = m_workbench->extraction();
    const int job = extraction->queueExtraction(request, true);
    connect(extraction, &ExtractionController::featuresExtracted, this, [this](const QList<int>& ids) {
        if (m_featuresId != 0 || ids.isEmpty()) return;
        m_featuresId = ids.front();
        trainProbeWhenInputsAreIn();
    });
    connect(extraction, &ExtractionController::jobChanged, this, [this, extraction, job](int changed) {
        const auto state = extraction->jobs()[size_t(changed)].state;
        if (changed == job && (state == ExtractionController::JobState::Failed ||
                               state == ExtractionController::JobState::Cancelled))
            Q_EMIT failed(
                tr("demo: extracting the CNN's features: %1").arg(extraction->jobs()[size_t(job)].status));
    });
}

void DemoSession::trainProbeWhenInputsAreIn()
{
    if (!m_opened || m_featuresId == 0 || m_training) return;
    Session* session = m_workbench->session();
    ProbeSettings settings;
    settings.featuresId = m_featuresId;
    for (const SessionItem* item : session->itemsWithRole(ItemRole::Triplets))
        if (item->data.summary.contains(QStringLiteral("train"))) settings.tripletsId = item->id;
    settings.lambdas = {0.01, 0.1};
    ProbeController* probe = m_workbench->probe();
    auto failure = std::make_shared<QMetaObject::Connection>();
    *failure = connect(probe, &ProbeController::failed, this, [this, failure](const QString& message) {
        disconnect(*failure);
        Q_EMIT failed(tr("demo: training the probe: %1").arg(message));
    });
    connect(
        probe, &ProbeController::trained, this,
        [this, probe, failure] {
            disconnect(*failure);
            probe->apply();
            m_ready = true;
            Q_EMIT ready();
        },
        Qt::SingleShotConnection);
    m_training = true;
    probe->train(settings);
}
