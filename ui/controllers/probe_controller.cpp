#include "controllers/probe_controller.h"

#include "controllers/model_inputs.h"
#include "controllers/odd_one_out_controller.h"
#include "controllers/rsa_controller.h"
#include "session/session.h"
#include "session/task_runner.h"

#include "alignscope/npy.h"

#include <QPointer>

using namespace alignscope;

ProbeController::ProbeController(Session* session, TaskRunner* tasks, QObject* parent)
    : QObject(parent), m_session(session), m_tasks(tasks)
{
    // A transform being applied belongs to the probe it was taken from.
    connect(session, &Session::probeChanged, this,
            [this] { m_tasks->cancel(QStringLiteral("probe-apply")); });
}

bool ProbeController::train(const ProbeSettings& settings)
{
    auto objects = m_session->sharedObjects();
    const SessionItem* tripletItem = m_session->item(settings.tripletsId);
    const SessionItem* features = m_session->item(settings.featuresId);
    if (!objects || !tripletItem || !tripletItem->data.triplets || !features || !features->data.matrix) {
        Q_EMIT failed(tr("The probe needs objects, triplets and a feature file."));
        return false;
    }
    if (settings.lambdas.empty()) {
        Q_EMIT failed(tr("The probe needs at least one λ."));
        return false;
    }
    ProbeOptions options;
    options.lambdas = settings.lambdas;
    options.folds = settings.folds;
    options.optimizer = settings.optimizer;
    options.lbfgsIterations = settings.lbfgsIterations;
    options.epochs = settings.epochs;
    QPointer<ProbeController> self(this);
    options.onStep = [self](const ProbeStep& step) { // computing thread -> GUI thread
        QMetaObject::invokeMethod(
            qApp,
            [self, step] {
                if (self) Q_EMIT self->step(step);
            },
            Qt::QueuedConnection);
    };
    // Only the probed model's rows are mapped (on the worker): the snapshot holds just that item.
    Session::Snapshot snapshot = m_session->snapshot();
    snapshot.items = {*features};
    snapshot.items.front().role = ItemRole::ModelFeatures;
    const auto triplets = tripletItem->data.triplets;
    const QString sourcePath = features->data.path;
    const int sourceId = features->id, tripletsId = tripletItem->id;
    m_training = true;
    Q_EMIT started(tr("Training on %1 triplets…").arg(triplets->size()));
    m_tasks->run<Result<ProbeResult>>(
        QStringLiteral("probe"), this,
        [snapshot = std::move(snapshot), objects, triplets,
         options](const TaskContext& context) -> Result<ProbeResult> {
            ModelInputs inputs = gatherModelInputs(snapshot, *objects);
            if (!inputs.problem.isEmpty()) return makeError("", "", inputs.problem.toStdString());
            if (inputs.models.empty()) return makeError("", "", "the probe's features are not a model");
            return runProbe(inputs.models.front().second, *triplets, options, context);
        },
        [this, sourcePath, sourceId, tripletsId](Result<ProbeResult> result) {
            m_training = false;
            if (!result) {
                Q_EMIT failed(QString::fromStdString(result.error().message()));
                return;
            }
            ProbeState state;
            state.result = std::move(result).value();
            state.sourcePath = sourcePath;
            state.sourceId = sourceId;
            state.tripletsId = tripletsId;
            m_session->setProbe(std::move(state));
            Q_EMIT trained();
        },
        TaskRunner::Lane::Gpu);
    return true;
}

bool ProbeController::apply()
{
    const auto& probe = m_session->probe();
    const SessionItem* source = probe ? m_session->item(probe->sourceId) : nullptr;
    if (!source || !source->data.matrix) {
        Q_EMIT failed(tr("No probe, or its features are not open."));
        return false;
    }
    // The product (objects × features × outputs) is computed on the worker; the Session only adds its result.
    const int sourceId = source->id;
    m_tasks->run<Result<std::shared_ptr<const LoadedMatrix>>>(
        QStringLiteral("probe-apply"), this,
        [transform = probe->result.transform, from = source->data.matrix,
         origin = source->data.path.toStdString()](
            const TaskContext&) -> Result<std::shared_ptr<const LoadedMatrix>> {
            FeatureMatrix raw;
            raw.rows = from->array.rows();
            raw.cols = from->array.cols();
            raw.values = from->array.toFeatureFloat32();
            raw.origin = origin;
            auto transformed = applyTransform(transform, raw);
            if (!transformed) return transformed.error();
            LoadedMatrix matrix;
            matrix.format = from->format;
            matrix.key = from->key;
            matrix.rowIds = from->rowIds;
            matrix.rowIdOrigin = from->rowIdOrigin;
            matrix.array =
                makeFloat32Array({transformed->rows, transformed->cols}, std::move(transformed->values));
            return std::make_shared<const LoadedMatrix>(std::move(matrix));
        },
        [this, sourceId](Result<std::shared_ptr<const LoadedMatrix>> transformed) {
            if (!transformed) {
                Q_EMIT failed(QString::fromStdString(transformed.error().message()));
                return;
            }
            if (m_session->addTransformedFeatures(sourceId, std::move(transformed).value()) == 0)
                Q_EMIT failed(tr("The probe changed while its transform was applied; apply it again."));
        });
    return true;
}

QString ProbeController::saveTransform(const QString& path) const
{
    if (!m_session->probe()) return tr("No probe to save yet.");
    auto status = alignscope::saveTransform(path.toStdString(), m_session->probe()->result.transform);
    return status ? QString() : QString::fromStdString(status.error().message());
}

QString ProbeController::loadTransform(const QString& path, int featuresId)
{
    auto transform = alignscope::loadTransform(path.toStdString());
    if (!transform) return QString::fromStdString(transform.error().message());
    ProbeState state;
    state.result.transform = std::move(transform).value();
    if (const SessionItem* features = m_session->item(featuresId)) {
        state.sourcePath = features->data.path;
        state.sourceId = features->id;
    }
    m_session->setProbe(std::move(state));
    return {};
}

std::vector<TransferRow> ProbeController::transferRows(const Session& session,
                                                       const OddOneOutController& oddOneOut,
                                                       const RsaController& rsa)
{
    std::vector<TransferRow> rows;
    const auto& probe = session.probe();
    const SessionItem* source = probe ? session.item(probe->sourceId) : nullptr;
    const SessionItem* transformed = probe ? session.item(probe->transformedId) : nullptr;
    if (!source || !transformed) return rows;
    const QString model = source->modelName();
    if (const auto analysis = oddOneOut.analysis()) {
        double before = -1, after = -1;
        const auto& ids = oddOneOut.modelIds();
        for (size_t m = 0; m < ids.size() && m < analysis->models.size(); ++m) {
            if (ids[m] == source->id) before = analysis->models[m].choices.accuracy();
            if (ids[m] == transformed->id) after = analysis->models[m].choices.accuracy();
        }
        if (before >= 0 && after >= 0) rows.push_back({tr("odd-one-out accuracy"), model, before, after});
    }
    // RSA results are matched to the items by id, as the odd-one-out results are: the names they were
    // computed under may be a renamed item's old ones.
    for (size_t a = 0; a < rsa.analyses().size() && a < rsa.modelIds().size(); ++a) {
        const auto& analysis = rsa.analyses()[a];
        const std::vector<int>& ids = rsa.modelIds()[a];
        double before = -2, after = -2;
        for (size_t m = 0; m < ids.size() && m < analysis->models.size(); ++m) {
            if (ids[m] == source->id) before = analysis->models[m].r;
            if (ids[m] == transformed->id) after = analysis->models[m].r;
        }
        if (before > -2 && after > -2)
            rows.push_back(
                {tr("RSA r: %1").arg(QString::fromStdString(analysis->dataset)), model, before, after});
    }
    return rows;
}
