#include "controllers/workbench.h"

#include "controllers/extraction_controller.h"
#include "controllers/load_controller.h"
#include "controllers/object_alignment_controller.h"
#include "controllers/odd_one_out_controller.h"
#include "controllers/population_controller.h"
#include "controllers/probe_controller.h"
#include "controllers/rsa_controller.h"
#include "session/session.h"
#include "session/task_runner.h"

#include "alignscope/feature_cache.h"

#include <QDir>
#include <QFileInfo>

using namespace alignscope;

Workbench::Workbench(QObject* parent)
    : QObject(parent), m_tasks(new TaskRunner(this)), m_session(new Session(this)),
      m_loader(new LoadController(m_session, m_tasks, this)),
      m_oddOneOut(new OddOneOutController(m_session, m_tasks, this)),
      m_rsa(new RsaController(m_session, m_tasks, this)),
      m_extraction(new ExtractionController(m_session, m_tasks, this)),
      m_probe(new ProbeController(m_session, m_tasks, this)),
      m_population(new PopulationController(m_tasks, m_oddOneOut, this)),
      m_objectAlignment(new ObjectAlignmentController(m_session, m_oddOneOut, m_tasks, this))
{
    connect(m_tasks, &TaskRunner::busyChanged, this, [this](bool busy) {
        if (!busy) checkSettled();
    });
    // A recomputation that could not start leaves nothing running: that settles too.
    connect(m_oddOneOut, &OddOneOutController::unavailable, this, &Workbench::checkSettled);
    connect(m_rsa, &RsaController::unavailable, this, &Workbench::checkSettled);
    connect(m_extraction, &ExtractionController::idle, this, &Workbench::checkSettled);
    // The Compare page's workspace results follow the analyses and the probe. Wired here only (controllers
    // connect to the Session in their constructors, to each other only here): one update per change.
    auto transferCells = [this] {
        std::vector<TransferCell> cells;
        for (const TransferRow& row : ProbeController::transferRows(*m_session, *m_oddOneOut, *m_rsa))
            cells.push_back({row.model, row.analysis, row.zeroShot, row.transformed});
        return cells;
    };
    auto analysesChanged = [this, transferCells] {
        m_population->setWorkspaceResults(m_rsa->analyses(), transferCells());
    };
    connect(m_oddOneOut, &OddOneOutController::analysisChanged, this, analysesChanged);
    connect(m_oddOneOut, &OddOneOutController::analysisChanged, m_objectAlignment,
            &ObjectAlignmentController::update);
    connect(m_rsa, &RsaController::analysisChanged, this, analysesChanged);
    connect(m_session, &Session::probeChanged, this,
            [this, transferCells] { m_population->setWorkspaceTransfer(transferCells()); });
    // Exported models' own metadata fills the model table, under the names the models have now.
    auto exportedModels = [this] { m_population->setWorkspaceMetadata(m_extraction->exportedModelTable()); };
    connect(m_extraction, &ExtractionController::exportedModelMetadataChanged, this, exportedModels);
    connect(m_session, &Session::itemsChanged, this, exportedModels);
    // What a project saves: the Session's items, settings and probe, the Compare page's inputs.
    m_populationInputs = populationInputs();
    connect(m_session, &Session::itemsChanged, this, &Workbench::noteChange);
    connect(m_session, &Session::settingsChanged, this, &Workbench::noteChange);
    connect(m_session, &Session::probeChanged, this, &Workbench::noteChange);
    connect(m_population, &PopulationController::populationChanged, this, [this] {
        const QStringList inputs = populationInputs();
        if (inputs == m_populationInputs) return; // only its results were recomputed
        m_populationInputs = inputs;
        noteChange();
    });
    // Saved results that did not verify when restored were recomputed: say which and why.
    auto recomputed = [this](const std::vector<std::string>& problems) {
        for (const std::string& problem : problems) {
            Q_EMIT savedResultsRecomputed(QString::fromStdString(problem));
            Q_EMIT m_session->message(QString::fromStdString(problem), false);
        }
    };
    connect(m_oddOneOut, &OddOneOutController::analysisChanged, this, [this, recomputed] {
        if (const auto analysis = m_oddOneOut->analysis()) recomputed(analysis->cacheProblems);
    });
    connect(m_rsa, &RsaController::analysisChanged, this, [this, recomputed] {
        for (const auto& analysis : m_rsa->analyses())
            recomputed(analysis->cacheProblems);
    });
}

QStringList Workbench::populationInputs() const
{
    return m_population->resultFiles() << m_population->metadataPath();
}

void Workbench::noteChange()
{
    ++m_changes;
    Q_EMIT changed();
}

Workbench::~Workbench()
{
    m_tasks->cancelAll(); // TaskRunner's destructor joins its threads
}

void Workbench::startNewWorkspace()
{
    m_tasks->cancelAll();
    m_extraction->cancelAll();
    m_session->clear();
    m_oddOneOut->clear();
    m_rsa->clear();
    m_population->clear();
    Q_EMIT workspaceCleared();
}

void Workbench::open(const QStringList& paths)
{
    m_loader->open(paths);
}

void Workbench::openThingsFolder(const QString& folder)
{
    const QString vice = QDir(folder).filePath(QStringLiteral("vice/final_embedding.npy"));
    QStringList paths{folder};
    if (QFileInfo::exists(vice)) {
        m_session->setConceptPath(vice); // its rows are named by final_embedding.rows.txt
        paths << vice;
    }
    open(paths);
}

bool Workbench::isSettled() const
{
    return m_tasks->activeJobs() == 0 && !m_oddOneOut->isPending() && !m_rsa->isPending() &&
           !m_extraction->isBusy();
}

void Workbench::checkSettled()
{
    // Queued: a result's delivery may schedule the next step in the same turn of the event loop.
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (isSettled()) Q_EMIT settled();
        },
        Qt::QueuedConnection);
}

ProjectData Workbench::toProject() const
{
    ProjectData project;
    project.settings = m_session->settings();
    for (const QString& path : m_session->openedPaths())
        project.inputs.push_back({path, {}});
    const auto& probe = m_session->probe();
    for (const SessionItem& item : m_session->items()) {
        const LoadedItem& data = item.data;
        if (data.kind != LoadedItem::Kind::Matrix || !data.matrix ||
            m_session->openedPaths().contains(data.path) || QFileInfo::exists(data.path))
            continue;
        ProjectData::Features features;
        features.name = data.path;
        features.summary = data.summary;
        features.array = std::shared_ptr<const NdArray>(data.matrix, &data.matrix->array);
        features.rowIds = data.matrix->rowIds;
        if (const ExtractionRecord* extraction = m_session->extractionOf(item.id))
            features.extraction = *extraction;
        features.transformedByProbe = probe && probe->transformedId == item.id;
        project.features.push_back(std::move(features));
    }
    if (probe) project.probe = ProjectData::Probe{probe->sourcePath, probe->result, {}};
    project.names = m_session->chosenNames();
    project.oddOneOut = m_oddOneOut->analysis();
    project.rsa = m_rsa->analyses();
    project.populationResults = m_population->resultFiles();
    project.modelTable = m_population->metadataPath();
    return project;
}

void Workbench::applyProject(const ProjectData& project, QStringList* notes)
{
    auto note = [notes](const QString& text) {
        if (notes) *notes << text;
    };
    const AnalysisSettings& settings = project.settings;
    m_session->setChosenNames(project.names); // before the items they name are added
    m_session->setSimilarity(settings.similarity);
    m_session->setRsaMethods(settings.rdm, settings.compare);
    m_session->setConceptPath(settings.conceptPath);
    for (const auto& [path, identity] : settings.rowIdentities)
        m_session->setRowIdentity(path, identity);
    QStringList paths;
    for (const ProjectData::Input& input : project.inputs) {
        if (!input.changed.isEmpty()) note(input.changed);
        if (QFileInfo::exists(input.path)) paths << input.path;
    }
    // The Compare page's inputs: files that are gone are said, not silently dropped.
    QStringList populationResults;
    for (const QString& path : project.populationResults) {
        if (QFileInfo::exists(path))
            populationResults << path;
        else
            note(tr("%1: the model results file is missing; the Compare page goes without it").arg(path));
    }
    if (!populationResults.isEmpty()) m_population->addResults(populationResults);
    if (!project.modelTable.isEmpty()) {
        if (QFileInfo::exists(project.modelTable))
            m_population->setMetadata(project.modelTable);
        else
            note(tr("%1: the model table is missing").arg(project.modelTable));
    }
    if (project.oddOneOutCache) m_oddOneOut->setResultCache(project.oddOneOutCache);
    if (project.rsaCache) m_rsa->setResultCache(project.rsaCache);
    open(paths);
    int transformedId = 0;
    for (const ProjectData::Features& features : project.features) {
        if (features.extraction) {
            if (!features.array) { // its sidecar did not verify (noted when the project was read)
                m_extraction->queueExtraction(features.extraction->request, true);
                continue;
            }
            auto key = featureCacheKey(features.extraction->request);
            if (!key || *key != features.extraction->cacheKey) {
                note(tr("%1: the model or its images changed since the project was saved; extracting again")
                         .arg(features.name));
                m_extraction->queueExtraction(features.extraction->request, true);
                continue;
            }
        }
        auto matrix = std::make_shared<LoadedMatrix>();
        matrix->array = *features.array;
        matrix->rowIds = features.rowIds;
        matrix->rowIdOrigin = "project";
        LoadedItem item;
        item.kind = LoadedItem::Kind::Matrix;
        item.path = features.name;
        item.summary = features.summary;
        item.matrix = std::move(matrix);
        const int id = m_session->add(std::move(item), Session::Origin::Computed);
        if (features.extraction) m_session->recordExtraction(id, *features.extraction);
        if (features.transformedByProbe) transformedId = id;
    }
    if (project.probe) {
        ProbeState probe;
        probe.result = project.probe->result;
        probe.sourcePath = project.probe->modelPath;
        probe.transformedId = transformedId;
        probe.fromProject = true;
        m_session->setProbe(std::move(probe));
        Q_EMIT m_session->message(tr("%1: the probe's saved accuracies are not verified and not shown; train "
                                     "the probe again to recompute them")
                                      .arg(project.probe->restoredFrom),
                                  false);
    }
}
