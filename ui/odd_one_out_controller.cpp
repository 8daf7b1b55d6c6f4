#include "odd_one_out_controller.h"

#include "task_runner.h"
#include "workspace.h"

#include <QFileInfo>

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

void OddOneOutController::setConceptPath(const QString& path) { m_conceptPath = path; }

void OddOneOutController::setSimilarity(SimilarityKind kind) { m_similarity = kind; }

namespace {

// Rows of a loaded matrix reordered to stimulus order, or the reason they cannot be.
Result<std::vector<float>> mappedRows(const LoadedItem& item, const StimulusSet& stimuli, const RowIdentity& identity)
{
    const NdArray& array = item.matrix->array;
    if (array.shape.size() != 2) return makeError(item.path.toStdString(), "", "is not a 2-D matrix");
    auto rowFor = mapRowsToStimuli(stimuli, array.rows(), identity, item.path.toStdString());
    if (!rowFor) return rowFor.error();
    return gatherRows(array.toFloat32(), array.cols(), *rowFor);
}

} // namespace

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
    AnalysisRequest request;
    request.stimuli = stimuli;
    request.triplets = triplets;
    request.options.similarity = m_similarity;
    request.bootstrapReplicates = 1000;
    for (const LoadedItem& item : m_workspace->items()) {
        if (item.kind != LoadedItem::Kind::Matrix || !item.matrix) continue;
        const auto known = m_identities.find(item.path);
        const RowIdentity identity = known != m_identities.end()
                                         ? known->second
                                         : RowIdentity::fromIds(item.matrix->rowIds, item.matrix->rowIdOrigin);
        if (identity.policy == RowIdentity::Policy::Ids && identity.ids.empty()) {
            m_problem = tr("%1 does not name its rows: choose a row mapping for it.").arg(item.path);
            return false;
        }
        auto rows = mappedRows(item, *stimuli, identity);
        if (!rows) {
            m_problem = QString::fromStdString(rows.error().message());
            return false;
        }
        if (item.path == m_conceptPath) {
            ConceptSpace space;
            space.n = std::int64_t(stimuli->size());
            space.d = item.matrix->array.cols();
            space.values = std::move(rows).value();
            space.origin = item.path.toStdString();
            request.concepts = std::move(space);
            continue;
        }
        FeatureMatrix features;
        features.rows = std::int64_t(stimuli->size());
        features.cols = item.matrix->array.cols();
        features.values = std::move(rows).value();
        features.rowIds = stimuli->ids();
        features.origin = item.path.toStdString();
        request.models.emplace_back(QFileInfo(item.path).completeBaseName().toStdString(), std::move(features));
    }
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
