#include "controllers/rsa_controller.h"

#include "controllers/model_inputs.h"
#include "session/session.h"
#include "session/task_runner.h"

#include "alignscope/human_similarity.h"

#include <QFileInfo>
#include <numeric>

using namespace alignscope;

RsaController::RsaController(Session* session, TaskRunner* tasks, QObject* parent)
    : QObject(parent), m_session(session), m_tasks(tasks), m_recompute(this, [this] {
          if (!recompute()) Q_EMIT unavailable(m_problem);
      })
{
    connect(session, &Session::itemsChanged, this, [this] { m_recompute.request(); });
    connect(session, &Session::analysisInputsChanged, this, [this] { m_recompute.request(); });
    connect(session, &Session::rsaMethodsChanged, this, [this] { m_recompute.request(); });
}

namespace {

// A human source with its own stimuli; `fromConcepts` derives the matrix from the concept space.
struct HumanSource
{
    std::string name;
    std::shared_ptr<const StimulusSet> stimuli;
    std::optional<SimilarityMatrix> matrix;
    bool fromConcepts = false;
    std::vector<std::pair<std::string, FeatureMatrix>> models;
    std::vector<int> ids; // the session item of each model
};

struct Analyses
{
    std::vector<std::shared_ptr<const RsaAnalysis>> analyses;
    std::vector<std::vector<int>> ids; // per analysis, per model
};

// Rows of a matrix item for the stimuli of a dataset, by the row IDs the file carries (extra rows ignored);
// nullopt when it names no rows or does not cover every stimulus.
std::optional<FeatureMatrix> featuresFor(const LoadedItem& item, const StimulusSet& stimuli)
{
    if (!item.matrix || item.matrix->rowIds.empty()) return std::nullopt;
    auto features =
        featuresOf(item, stimuli, RowIdentity::fromIds(item.matrix->rowIds, item.matrix->rowIdOrigin), true);
    if (!features) return std::nullopt;
    return std::move(features).value();
}

} // namespace

void RsaController::clear()
{
    m_tasks->cancel(QStringLiteral("rsa"));
    m_caches.clear();
    m_analyses.clear();
    m_modelIds.clear();
    Q_EMIT analysisChanged();
}

bool RsaController::recompute()
{
    m_problem.clear();
    std::vector<HumanSource> sources;
    // Dataset folders: their stimuli are images; models are feature files whose rows name those images.
    for (const SessionItem* human : m_session->itemsWithRole(ItemRole::HumanData)) {
        const LoadedItem& item = human->data;
        if (!item.human) continue;
        auto stimuli = StimulusSet::create(item.human->stimulusIds, item.path.toStdString());
        if (!stimuli) continue;
        stimuli->imagePaths = item.human->imagePaths;
        HumanSource source{human->modelName().toStdString(),
                           std::make_shared<const StimulusSet>(std::move(stimuli).value()),
                           item.human->matrix,
                           false,
                           {},
                           {}};
        for (const SessionItem* candidate : m_session->itemsWithRole(ItemRole::ModelFeatures))
            if (auto features = featuresFor(candidate->data, *source.stimuli)) {
                source.models.emplace_back(candidate->modelName().toStdString(), std::move(*features));
                source.ids.push_back(candidate->id);
            }
        if (!source.models.empty()) sources.push_back(std::move(source));
    }
    // The object table: an n×n matrix over the objects, else the similarity implied by the concept space. Its
    // rows are mapped on the worker (that copies every model's features); here only whether there is one.
    const std::shared_ptr<const StimulusSet> objects = m_session->sharedObjects();
    std::optional<Session::Snapshot> objectTable;
    if (objects) {
        bool human = !m_session->itemsWithRole(ItemRole::ConceptSpace).empty();
        for (const SessionItem* item : m_session->itemsWithRole(ItemRole::HumanData))
            human = human || item->data.matrix;
        if (human && !m_session->itemsWithRole(ItemRole::ModelFeatures).empty())
            objectTable = m_session->snapshot();
    }
    if (sources.empty() && !objectTable) {
        m_problem = tr("RSA needs human similarities (a dataset folder, an n×n matrix over the objects, or a "
                       "concept space) "
                       "and feature files whose rows name the same stimuli.");
        return false;
    }
    const RdmMethod method = m_session->settings().rdm;
    const CompareMethod compare = m_session->settings().compare;
    m_tasks->run<Result<Analyses>>(
        QStringLiteral("rsa"), this,
        [sources = std::move(sources), objectTable = std::move(objectTable), objects, method, compare,
         caches = m_caches](const TaskContext& context) mutable -> Result<Analyses> {
            std::optional<ConceptSpace> concepts;
            if (objectTable) {
                auto inputs = gatherModelInputs(*objectTable, *objects);
                if (inputs.problem.isEmpty() && !inputs.models.empty() &&
                    (inputs.humanMatrix || inputs.concepts)) {
                    HumanSource source;
                    source.stimuli = objects;
                    source.models = std::move(inputs.models);
                    source.ids = std::move(inputs.modelIds);
                    source.matrix = inputs.humanMatrix;
                    source.fromConcepts = !inputs.humanMatrix;
                    source.name = inputs.humanMatrix ? inputs.humanName
                                                     : "concept similarity (" + inputs.conceptsName + ")";
                    sources.push_back(std::move(source));
                    concepts = std::move(inputs.concepts);
                } else if (sources.empty()) {
                    return makeError("", "",
                                     inputs.problem.isEmpty()
                                         ? "RSA needs feature files whose rows name the objects"
                                         : inputs.problem.toStdString());
                }
            }
            Analyses analyses;
            for (HumanSource& source : sources) {
                RsaRequest request;
                request.dataset = source.name;
                request.stimuli = source.stimuli;
                request.method = method;
                request.compare = compare;
                request.bootstrapReplicates = 100; // seeded; enough for a 95% interval in the table
                request.models = std::move(source.models);
                Result<CondensedMatrix> human = makeError("", "", "");
                if (source.fromConcepts) {
                    std::vector<std::int64_t> all(source.stimuli->size());
                    std::iota(all.begin(), all.end(), 0);
                    auto similarity = conceptSimilarity(*concepts, all, false, context);
                    if (!similarity) return similarity.error();
                    human = condense(similarity->values, similarity->n, SimilarityMatrix::Kind::Similarity,
                                     source.name);
                    request.concepts = concepts;
                } else {
                    human =
                        condense(source.matrix->values, source.matrix->n, source.matrix->kind, source.name);
                }
                if (!human) return human.error();
                request.human = std::move(human).value();
                request.humanOrigin = source.name;
                if (!caches.empty()) request.cache = caches.front();
                auto analysis = analyseRsa(std::move(request), context);
                if (!analysis) return analysis.error();
                analyses.analyses.push_back(std::move(analysis).value());
                analyses.ids.push_back(std::move(source.ids));
            }
            return analyses;
        },
        [this](Result<Analyses> result) {
            if (!result) {
                Q_EMIT failed(QString::fromStdString(result.error().message()));
                return;
            }
            m_analyses = std::move(result->analyses);
            m_modelIds = std::move(result->ids);
            Q_EMIT analysisChanged();
        },
        TaskRunner::Lane::Gpu);
    return true;
}
