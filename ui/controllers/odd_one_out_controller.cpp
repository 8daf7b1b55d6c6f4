#include "controllers/odd_one_out_controller.h"

#include "session/task_runner.h"
#include "session/workspace.h"

#include <QDir>
#include <QFileInfo>

#include "alignscope/datasets.h"
#include "alignscope/human_similarity.h"

using namespace alignscope;

OddOneOutController::OddOneOutController(Workspace* workspace, TaskRunner* tasks, QObject* parent)
    : QObject(parent), m_workspace(workspace), m_tasks(tasks)
{
}

void OddOneOutController::setRowIdentity(const QString& matrixPath, const RowIdentity& identity)
{
    m_identities[matrixPath] = identity;
}

bool OddOneOutController::needsRowIdentity(const QString& matrixPath) const
{
    const auto known = m_identities.find(matrixPath);
    if (known != m_identities.end() &&
        !(known->second.policy == RowIdentity::Policy::Ids && known->second.ids.empty()))
        return false;
    for (const LoadedItem& item : m_workspace->items())
        if (item.path == matrixPath && item.matrix) return item.matrix->rowIds.empty();
    return false;
}

std::optional<RowIdentity> OddOneOutController::rowIdentity(const QString& matrixPath) const
{
    const auto known = m_identities.find(matrixPath);
    if (known == m_identities.end()) return std::nullopt;
    return known->second;
}

void OddOneOutController::setConceptPath(const QString& path)
{
    m_conceptPath = path;
}

void OddOneOutController::setSimilarity(SimilarityKind kind)
{
    m_similarity = kind;
}

OddOneOutController::InputSnapshot OddOneOutController::inputSnapshot() const
{
    return {m_workspace->items(), m_identities, m_conceptPath};
}

OddOneOutController::ModelInputs OddOneOutController::gatherModelInputs(const StimulusSet& stimuli) const
{
    return gatherModelInputs(inputSnapshot(), stimuli);
}

namespace {

bool isHumanMatrix(const LoadedItem& item, std::int64_t objects, const QString& conceptPath)
{
    const NdArray& array = item.matrix->array;
    return array.shape.size() == 2 && array.rows() == objects && array.cols() == objects &&
           item.path != conceptPath;
}

RowIdentity identityOf(const LoadedItem& item, const std::map<QString, RowIdentity>& identities)
{
    const auto known = identities.find(item.path);
    return known != identities.end() ? known->second
                                     : RowIdentity::fromIds(item.matrix->rowIds, item.matrix->rowIdOrigin);
}

} // namespace

OddOneOutController::ModelInputs OddOneOutController::gatherModelInputs(const InputSnapshot& snapshot,
                                                                        const StimulusSet& stimuli)
{
    const QString& conceptPath = snapshot.conceptPath;
    ModelInputs inputs;
    const std::int64_t n = std::int64_t(stimuli.size());
    for (const LoadedItem& item : snapshot.items) {
        if (item.kind != LoadedItem::Kind::Matrix || !item.matrix) continue;
        const NdArray& array = item.matrix->array;
        if (isHumanMatrix(item, n, conceptPath)) {
            // Square over the objects: human (dis)similarities. A larger diagonal than off-diagonal means
            // similarity (ratings), a zero diagonal dissimilarity (distances).
            SimilarityMatrix human;
            human.n = n;
            human.values = array.toFloat32();
            double diagonal = 0, offDiagonal = 0;
            for (std::int64_t i = 0; i < n; ++i)
                diagonal += human.values[size_t(i * n + i)] / double(n);
            for (std::int64_t i = 0; i < std::min<std::int64_t>(n, 200); ++i)
                offDiagonal +=
                    human.values[size_t(i * n + (i + 1) % n)] / double(std::min<std::int64_t>(n, 200));
            human.kind = diagonal > offDiagonal ? SimilarityMatrix::Kind::Similarity
                                                : SimilarityMatrix::Kind::Dissimilarity;
            human.origin = item.path.toStdString();
            // Rows named by the file or its sidecar are mapped to the objects by ID, like every other matrix.
            HumanDataset named;
            named.matrix = std::move(human);
            named.stimulusIds = item.matrix->rowIds;
            auto aligned = alignToStimuli(std::move(named), stimuli.ids(), item.path.toStdString());
            if (!aligned) {
                inputs.problem = QString::fromStdString(aligned.error().message());
                return inputs;
            }
            inputs.humanMatrix = std::move(aligned->matrix);
            continue;
        }
        const RowIdentity identity = identityOf(item, snapshot.identities);
        if (identity.policy == RowIdentity::Policy::Ids && identity.ids.empty()) {
            inputs.problem = tr("%1 does not name its rows: choose a row mapping for it.").arg(item.path);
            return inputs;
        }
        auto features = featuresOf(item, stimuli, identity);
        if (!features) {
            inputs.problem = QString::fromStdString(features.error().message());
            return inputs;
        }
        if (item.path == conceptPath) {
            ConceptSpace space;
            space.n = n;
            space.d = features->cols;
            space.values = std::move(features->values);
            space.origin = features->origin;
            if (auto checked = checkConceptValues(space, features->rowIds); !checked) {
                inputs.problem = QString::fromStdString(checked.error().message());
                return inputs;
            }
            if (!space.warning.empty()) inputs.notices << QString::fromStdString(space.warning);
            // Dimension names from a "<stem>.labels.txt" sidecar, one per line, when present.
            const QFileInfo file(item.path);
            const QString labels =
                file.dir().filePath(file.completeBaseName() + QStringLiteral(".labels.txt"));
            if (QFileInfo::exists(labels))
                if (auto names = loadConceptLabels(labels.toStdString(), space.d))
                    space.labels = std::move(names).value();
            inputs.concepts = std::move(space);
            continue;
        }
        inputs.models.emplace_back(QFileInfo(item.path).completeBaseName().toStdString(),
                                   std::move(features).value());
    }
    return inputs;
}

bool OddOneOutController::recompute()
{
    m_problem.clear();
    auto stimuli = m_workspace->sharedObjects();
    std::shared_ptr<const TripletSet> triplets;
    for (const LoadedItem& item : m_workspace->items())
        if (item.kind == LoadedItem::Kind::Triplets && item.triplets)
            triplets = item.triplets; // the newest set
    if (!stimuli || !triplets) {
        m_problem = tr(
            "Open objects (a concept table or THINGS folder) and triplets to compute odd-one-out alignment.");
        return false;
    }
    // The checks that need no copy stay here, so that recompute() still answers at once for missing inputs;
    // rows are mapped (and features copied) on the worker, before the analysis.
    InputSnapshot snapshot = inputSnapshot();
    bool anyModel = false;
    for (const LoadedItem& item : snapshot.items) {
        if (item.kind != LoadedItem::Kind::Matrix || !item.matrix ||
            isHumanMatrix(item, std::int64_t(stimuli->size()), snapshot.conceptPath))
            continue;
        const RowIdentity identity = identityOf(item, snapshot.identities);
        if (identity.policy == RowIdentity::Policy::Ids && identity.ids.empty()) {
            m_problem = tr("%1 does not name its rows: choose a row mapping for it.").arg(item.path);
            return false;
        }
        anyModel = anyModel || item.path != snapshot.conceptPath;
    }
    if (!anyModel) {
        m_problem =
            tr("Add a feature file (npy, npz, HDF5, MAT, pt, text) to compare with the human judgments.");
        return false;
    }
    struct Computed
    {
        std::shared_ptr<const OddOneOutAnalysis> analysis;
        QStringList notices;
    };
    m_tasks->run<Result<Computed>>(
        QStringLiteral("odd-one-out"), this,
        [snapshot = std::move(snapshot), stimuli, triplets, similarity = m_similarity,
         cache = m_cache](const TaskContext& context) -> Result<Computed> {
            ModelInputs inputs = gatherModelInputs(snapshot, *stimuli);
            if (!inputs.problem.isEmpty()) return makeError("", "", inputs.problem.toStdString());
            AnalysisRequest request;
            request.stimuli = stimuli;
            request.triplets = triplets;
            request.options.similarity = similarity;
            request.bootstrapReplicates = 1000;
            request.cache = cache;
            request.models = std::move(inputs.models);
            request.concepts = std::move(inputs.concepts);
            if (request.concepts && !request.concepts->labels.empty())
                request.conceptLabels = request.concepts->labels;
            auto analysis = analyseOddOneOut(std::move(request), context);
            if (!analysis) return analysis.error();
            return Computed{std::shared_ptr<const OddOneOutAnalysis>(std::move(analysis).value()),
                            inputs.notices};
        },
        [this](Result<Computed> result) {
            if (!result) {
                Q_EMIT failed(QString::fromStdString(result.error().message()));
                return;
            }
            for (const QString& message : result->notices)
                Q_EMIT notice(message);
            m_analysis = std::move(result->analysis);
            Q_EMIT analysisChanged();
        },
        TaskRunner::Lane::Gpu);
    return true;
}
