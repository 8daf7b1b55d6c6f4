#include "controllers/object_alignment_controller.h"

#include "controllers/model_inputs.h"
#include "controllers/odd_one_out_controller.h"
#include "session/session.h"
#include "session/task_runner.h"

#include "alignscope/human_similarity.h"
#include "alignscope/rsa_analysis.h"

#include <algorithm>

using namespace alignscope;

namespace {

Result<ObjectAlignmentResult> computeObjectAlignment(const OddOneOutAnalysis& analysis,
                                                     const Session::Snapshot& snapshot,
                                                     const TaskContext& context)
{
    ObjectAlignmentResult out;
    auto alignment = perObjectAlignment(analysis, context);
    if (!alignment) return alignment.error();
    out.alignment = std::move(alignment).value();
    const StimulusSet& stimuli = *analysis.stimuli;
    if (stimuli.size() < 2) return out;
    ModelInputs inputs = gatherModelInputs(snapshot, stimuli, GatheredInputs::ConceptSpaceOnly);
    if (!inputs.concepts) return out; // no concept space: no human neighbours
    std::vector<std::int64_t> all(stimuli.size());
    for (size_t s = 0; s < all.size(); ++s)
        all[s] = std::int64_t(s);
    auto human = conceptSimilarity(*inputs.concepts, all, false);
    if (!human) return human.error();
    human->origin = inputs.conceptsName;
    const int k = std::min<int>(ObjectAlignmentController::kNeighbours, int(stimuli.size()) - 1);
    for (const ModelAnalysis& model : analysis.models) {
        if (context.cancelled()) return makeError("", "", "cancelled");
        auto neighbours = compareNeighbours(stimuli, model.similarity, *human, k, context);
        if (!neighbours) return makeError("", "", model.name + ": " + neighbours.error().message());
        out.neighbours.push_back(std::move(neighbours).value());
    }
    const ConceptSpace& space = *inputs.concepts;
    // With no dimension there is no top concept (-1): the maps draw such objects uncoloured.
    out.topConcept = space.d > 0 ? dominantDimensions(space) : std::vector<int>(stimuli.size(), -1);
    out.conceptValues = space.values;
    out.conceptDims = space.d;
    out.conceptLabels =
        analysis.conceptLabels.size() == size_t(space.d) ? analysis.conceptLabels : space.labels;
    out.humanName = inputs.conceptsName;
    out.human = std::make_shared<const SimilarityMatrix>(std::move(human).value());
    return out;
}

} // namespace

ObjectAlignmentController::ObjectAlignmentController(Session* session, OddOneOutController* oddOneOut,
                                                     TaskRunner* tasks, QObject* parent)
    : QObject(parent), m_session(session), m_oddOneOut(oddOneOut), m_tasks(tasks)
{
}

void ObjectAlignmentController::request(int mapOfModel)
{
    if (mapOfModel >= 0) m_mapWanted = mapOfModel;
    if (m_requested) {
        if (mapOfModel >= 0) requestMap(mapOfModel); // when the alignment is there already
        return;
    }
    m_requested = true;
    update();
}

void ObjectAlignmentController::update()
{
    if (!m_requested) return;
    const std::shared_ptr<const OddOneOutAnalysis> analysis = m_oddOneOut->analysis();
    if (analysis == m_analysis && (m_result || !analysis)) return;
    if (!analysis || analysis->models.empty()) {
        m_tasks->cancel(QStringLiteral("objects"));
        m_analysis = analysis;
        m_result.reset();
        m_modelMaps.clear();
        m_humanMap.reset();
        Q_EMIT alignmentChanged();
        return;
    }
    m_tasks->run<Result<ObjectAlignmentResult>>(
        QStringLiteral("objects"), this,
        [analysis, snapshot = m_session->snapshot()](const TaskContext& context) {
            return computeObjectAlignment(*analysis, snapshot, context);
        },
        [this, analysis](Result<ObjectAlignmentResult> result) {
            m_analysis = analysis;
            m_modelMaps.clear();
            m_humanMap.reset();
            if (result) {
                m_result = std::make_shared<const ObjectAlignmentResult>(std::move(result).value());
            } else {
                m_result.reset();
                Q_EMIT failed(QString::fromStdString(result.error().message()));
            }
            Q_EMIT alignmentChanged();
            if (m_mapWanted >= 0) requestMap(m_mapWanted); // a job started here keeps the runner busy
        });
}

void ObjectAlignmentController::requestMap(int model)
{
    const auto analysis = m_analysis;
    const auto result = m_result;
    if (!analysis || !result || !result->human || model < 0 || size_t(model) >= analysis->models.size() ||
        analysis->stimuli->size() < 3 || (m_modelMaps.count(model) && m_humanMap))
        return;
    const bool needHuman = !m_humanMap;
    struct Maps
    {
        Result<ObjectMap> model = ObjectMap{};
        std::optional<Result<ObjectMap>> human;
    };
    m_tasks->run<Maps>(
        QStringLiteral("object-map"), this,
        [analysis, result, model, needHuman](const TaskContext& context) {
            Maps maps;
            const std::int64_t n = std::int64_t(analysis->stimuli->size());
            maps.model =
                classicalMds(n, denseSimilarity(analysis->models[size_t(model)].similarity), true, context);
            if (needHuman)
                maps.human = classicalMds(n, result->human->values,
                                          result->human->kind == SimilarityMatrix::Kind::Similarity, context);
            return maps;
        },
        [this, analysis, model](Maps maps) {
            if (analysis != m_analysis) return; // a newer analysis came meanwhile
            if (!maps.model) {
                Q_EMIT failed(QString::fromStdString(analysis->models[size_t(model)].name +
                                                     "'s map: " + maps.model.error().message()));
                return;
            }
            if (maps.human && !*maps.human) {
                Q_EMIT failed(QString::fromStdString("the people's map: " + maps.human->error().message()));
                return;
            }
            m_modelMaps[model] = std::move(maps.model).value();
            if (maps.human) m_humanMap = std::move(*maps.human).value();
            Q_EMIT mapChanged();
        });
}

const ObjectMap* ObjectAlignmentController::modelMap(int model) const
{
    const auto found = m_modelMaps.find(model);
    return found == m_modelMaps.end() ? nullptr : &found->second;
}

const ObjectMap* ObjectAlignmentController::humanMap() const
{
    return m_humanMap ? &*m_humanMap : nullptr;
}
