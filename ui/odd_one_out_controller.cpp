#include "odd_one_out_controller.h"

#include "task_runner.h"
#include "workspace.h"

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
    if (known != m_identities.end() && !(known->second.policy == RowIdentity::Policy::Ids && known->second.ids.empty()))
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

void OddOneOutController::setConceptPath(const QString& path) { m_conceptPath = path; }

void OddOneOutController::setSimilarity(SimilarityKind kind) { m_similarity = kind; }


OddOneOutController::ModelInputs OddOneOutController::gatherModelInputs(const StimulusSet& stimuli) const
{
    ModelInputs inputs;
    const std::int64_t n = std::int64_t(stimuli.size());
    for (const LoadedItem& item : m_workspace->items()) {
        if (item.kind != LoadedItem::Kind::Matrix || !item.matrix) continue;
        const NdArray& array = item.matrix->array;
        if (array.shape.size() == 2 && array.rows() == n && array.cols() == n && item.path != m_conceptPath) {
            // Square over the objects: human (dis)similarities. A larger diagonal than off-diagonal means
            // similarity (ratings), a zero diagonal dissimilarity (distances).
            SimilarityMatrix human;
            human.n = n;
            human.values = array.toFloat32();
            double diagonal = 0, offDiagonal = 0;
            for (std::int64_t i = 0; i < n; ++i) diagonal += human.values[size_t(i * n + i)] / double(n);
            for (std::int64_t i = 0; i < std::min<std::int64_t>(n, 200); ++i) offDiagonal += human.values[size_t(i * n + (i + 1) % n)] / double(std::min<std::int64_t>(n, 200));
            human.kind = diagonal > offDiagonal ? SimilarityMatrix::Kind::Similarity : SimilarityMatrix::Kind::Dissimilarity;
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
        const auto known = m_identities.find(item.path);
        const RowIdentity identity = known != m_identities.end()
                                         ? known->second
                                         : RowIdentity::fromIds(item.matrix->rowIds, item.matrix->rowIdOrigin);
        if (identity.policy == RowIdentity::Policy::Ids && identity.ids.empty()) {
            inputs.problem = tr("%1 does not name its rows: choose a row mapping for it.").arg(item.path);
            return inputs;
        }
        auto features = featuresOf(item, stimuli, identity);
        if (!features) {
            inputs.problem = QString::fromStdString(features.error().message());
            return inputs;
        }
        if (item.path == m_conceptPath) {
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
            const QString labels = file.dir().filePath(file.completeBaseName() + QStringLiteral(".labels.txt"));
            if (QFileInfo::exists(labels))
                if (auto names = loadConceptLabels(labels.toStdString(), space.d)) space.labels = std::move(names).value();
            inputs.concepts = std::move(space);
            continue;
        }
        inputs.models.emplace_back(QFileInfo(item.path).completeBaseName().toStdString(), std::move(features).value());
    }
    return inputs;
}

bool OddOneOutController::recompute()
{
    m_problem.clear();
    auto stimuli = m_workspace->sharedObjects();
    std::shared_ptr<const TripletSet> triplets;
    for (const LoadedItem& item : m_workspace->items())
        if (item.kind == LoadedItem::Kind::Triplets && item.triplets) triplets = item.triplets; // the newest set
    if (!stimuli || !triplets) {
        m_problem = tr("Open objects (a concept table or THINGS folder) and triplets to compute odd-one-out alignment.");
        return false;
    }
    ModelInputs inputs = gatherModelInputs(*stimuli);
    if (!inputs.problem.isEmpty()) {
        m_problem = inputs.problem;
        return false;
    }
    for (const QString& message : inputs.notices) Q_EMIT notice(message);
    AnalysisRequest request;
    request.stimuli = stimuli;
    request.triplets = triplets;
    request.options.similarity = m_similarity;
    request.bootstrapReplicates = 1000;
    request.cache = m_cache;
    request.models = std::move(inputs.models);
    request.concepts = std::move(inputs.concepts);
    if (request.concepts && !request.concepts->labels.empty()) request.conceptLabels = request.concepts->labels;
    if (request.models.empty()) {
        m_problem = tr("Add a feature file (npy, npz, HDF5, MAT, pt, text) to compare with the human judgments.");
        return false;
    }
    m_tasks->run<Result<std::shared_ptr<const OddOneOutAnalysis>>>(
        QStringLiteral("odd-one-out"), this,
        [request = std::move(request)](const TaskContext& context) mutable -> Result<std::shared_ptr<const OddOneOutAnalysis>> {
            auto analysis = analyseOddOneOut(std::move(request), context);
            if (!analysis) return analysis.error();
            return std::shared_ptr<const OddOneOutAnalysis>(std::move(analysis).value());
        },
        [this](Result<std::shared_ptr<const OddOneOutAnalysis>> result) {
            if (!result) {
                Q_EMIT failed(QString::fromStdString(result.error().message()));
                return;
            }
            m_analysis = std::move(result).value();
            Q_EMIT analysisChanged();
        },
        TaskRunner::Lane::Gpu);
    return true;
}
