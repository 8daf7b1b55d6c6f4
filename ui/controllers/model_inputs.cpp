#include "controllers/model_inputs.h"

#include "alignscope/datasets.h"

#include <QDir>
#include <QFileInfo>

using namespace alignscope;

RowIdentity identityOf(const SessionItem& item, const AnalysisSettings& settings)
{
    const auto known = settings.rowIdentities.find(item.data.path);
    return known != settings.rowIdentities.end()
               ? known->second
               : RowIdentity::fromIds(item.data.matrix->rowIds, item.data.matrix->rowIdOrigin);
}

namespace {

bool unnamed(const RowIdentity& identity)
{
    return identity.policy == RowIdentity::Policy::Ids && identity.ids.empty();
}

QString unnamedRowsMessage(const QString& path)
{
    return QObject::tr("%1 does not name its rows: choose a row mapping for it.").arg(path);
}

// Square over the objects: human (dis)similarities. A larger diagonal than off-diagonal means similarity
// (ratings), a zero diagonal dissimilarity (distances).
Result<SimilarityMatrix> humanMatrixOf(const SessionItem& item, const StimulusSet& stimuli)
{
    const std::int64_t n = std::int64_t(stimuli.size());
    SimilarityMatrix human;
    human.n = n;
    human.values = item.data.matrix->array.toFloat32();
    double diagonal = 0, offDiagonal = 0;
    for (std::int64_t i = 0; i < n; ++i)
        diagonal += human.values[size_t(i * n + i)] / double(n);
    const std::int64_t sampled = std::min<std::int64_t>(n, 200);
    for (std::int64_t i = 0; i < sampled; ++i)
        offDiagonal += human.values[size_t(i * n + (i + 1) % n)] / double(sampled);
    human.kind =
        diagonal > offDiagonal ? SimilarityMatrix::Kind::Similarity : SimilarityMatrix::Kind::Dissimilarity;
    human.origin = item.data.path.toStdString();
    // Rows named by the file or its sidecar are mapped to the objects by ID, like every other matrix.
    HumanDataset named;
    named.matrix = std::move(human);
    named.stimulusIds = item.data.matrix->rowIds;
    auto aligned = alignToStimuli(std::move(named), stimuli.ids(), item.data.path.toStdString());
    if (!aligned) return aligned.error();
    return std::move(aligned->matrix);
}

Result<ConceptSpace> conceptSpaceOf(const SessionItem& item, FeatureMatrix features, std::int64_t n)
{
    ConceptSpace space;
    space.n = n;
    space.d = features.cols;
    space.values = std::move(features.values);
    space.origin = features.origin;
    if (auto checked = checkConceptValues(space, features.rowIds); !checked) return checked.error();
    // Dimension names from a "<stem>.labels.txt" sidecar, one per line, when present.
    const QFileInfo file(item.data.path);
    const QString labels = file.dir().filePath(file.completeBaseName() + QStringLiteral(".labels.txt"));
    if (QFileInfo::exists(labels))
        if (auto names = loadConceptLabels(labels.toStdString(), space.d))
            space.labels = std::move(names).value();
    return space;
}

} // namespace

QString missingRowMapping(const Session::Snapshot& snapshot)
{
    for (const SessionItem& item : snapshot.items)
        if ((item.role == ItemRole::ModelFeatures || item.role == ItemRole::ConceptSpace) &&
            item.data.matrix && unnamed(identityOf(item, snapshot.settings)))
            return unnamedRowsMessage(item.data.path);
    return {};
}

ModelInputs gatherModelInputs(const Session::Snapshot& snapshot, const StimulusSet& stimuli,
                              GatheredInputs gathered)
{
    ModelInputs inputs;
    const std::int64_t n = std::int64_t(stimuli.size());
    for (const SessionItem& item : snapshot.items) {
        if (item.data.kind != LoadedItem::Kind::Matrix || !item.data.matrix) continue;
        if (gathered == GatheredInputs::ConceptSpaceOnly && item.role != ItemRole::ConceptSpace) continue;
        if (item.role == ItemRole::HumanData) {
            auto human = humanMatrixOf(item, stimuli);
            if (!human) {
                inputs.problem = QString::fromStdString(human.error().message());
                return inputs;
            }
            inputs.humanMatrix = std::move(human).value();
            inputs.humanName = item.modelName().toStdString();
            continue;
        }
        const RowIdentity identity = identityOf(item, snapshot.settings);
        if (unnamed(identity)) {
            inputs.problem = unnamedRowsMessage(item.data.path);
            return inputs;
        }
        auto features = featuresOf(item.data, stimuli, identity);
        if (!features) {
            inputs.problem = QString::fromStdString(features.error().message());
            return inputs;
        }
        if (item.role == ItemRole::ConceptSpace) {
            auto space = conceptSpaceOf(item, std::move(features).value(), n);
            if (!space) {
                inputs.problem = QString::fromStdString(space.error().message());
                return inputs;
            }
            if (!space->warning.empty()) inputs.notices << QString::fromStdString(space->warning);
            inputs.concepts = std::move(space).value();
            inputs.conceptsName = item.modelName().toStdString();
            continue;
        }
        inputs.models.emplace_back(item.modelName().toStdString(), std::move(features).value());
        inputs.modelIds.push_back(item.id);
    }
    return inputs;
}
