#include "controllers/odd_one_out_controller.h"

#include "controllers/model_inputs.h"
#include "session/session.h"
#include "session/task_runner.h"

#include "alignscope/result_json.h"

using namespace alignscope;

OddOneOutController::OddOneOutController(Session* session, TaskRunner* tasks, QObject* parent)
    : QObject(parent), m_session(session), m_tasks(tasks), m_recompute(this, [this] {
          if (!recompute()) Q_EMIT unavailable(m_problem);
      })
{
    connect(session, &Session::itemsChanged, this, [this] { m_recompute.request(); });
    connect(session, &Session::analysisInputsChanged, this, [this] { m_recompute.request(); });
    connect(session, &Session::similarityChanged, this, [this] { m_recompute.request(); });
}

void OddOneOutController::clear()
{
    m_tasks->cancel(QStringLiteral("odd-one-out"));
    m_cache.reset();
    m_analysis.reset();
    m_modelIds.clear();
    m_tripletsFingerprint.clear();
    Q_EMIT analysisChanged();
}

bool OddOneOutController::recompute()
{
    m_problem.clear();
    auto stimuli = m_session->sharedObjects();
    const auto tripletItems = m_session->itemsWithRole(ItemRole::Triplets);
    const auto triplets = tripletItems.empty() ? nullptr : tripletItems.back()->data.triplets; // the newest
    if (!stimuli || !triplets) {
        m_problem = tr(
            "Open objects (a concept table or THINGS folder) and triplets to compute odd-one-out alignment.");
        return false;
    }
    // The checks that need no copy stay here, so that recompute() still answers at once for missing inputs;
    // rows are mapped (and features copied) on the worker, before the analysis.
    Session::Snapshot snapshot = m_session->snapshot();
    m_problem = missingRowMapping(snapshot);
    if (!m_problem.isEmpty()) return false;
    if (m_session->itemsWithRole(ItemRole::ModelFeatures).empty()) {
        m_problem =
            tr("Add a feature file (npy, npz, HDF5, MAT, pt, text) to compare with the human judgments.");
        return false;
    }
    struct Computed
    {
        std::shared_ptr<const OddOneOutAnalysis> analysis;
        std::vector<int> modelIds;
        QStringList notices;
        std::string tripletsFingerprint;
    };
    // The repeats depend only on the triplets: those of the current analysis are not grouped again.
    std::shared_ptr<const TripletRepeats> repeats;
    if (m_analysis && m_analysis->triplets == triplets)
        repeats = std::shared_ptr<const TripletRepeats>(m_analysis, &m_analysis->repeats);
    m_tasks->run<Result<Computed>>(
        QStringLiteral("odd-one-out"), this,
        [snapshot = std::move(snapshot), stimuli, triplets, repeats,
         cache = m_cache](const TaskContext& context) -> Result<Computed> {
            ModelInputs inputs = gatherModelInputs(snapshot, *stimuli);
            if (!inputs.problem.isEmpty()) return makeError("", "", inputs.problem.toStdString());
            if (context.cancelled()) return makeError("", "", "cancelled");
            AnalysisRequest request;
            request.stimuli = stimuli;
            request.triplets = triplets;
            request.options.similarity = snapshot.settings.similarity;
            request.bootstrapReplicates = 1000;
            request.cache = cache;
            request.repeats = repeats;
            request.models = std::move(inputs.models);
            request.concepts = std::move(inputs.concepts);
            if (request.concepts && !request.concepts->labels.empty())
                request.conceptLabels = request.concepts->labels;
            auto analysis = analyseOddOneOut(std::move(request), context);
            if (!analysis) return analysis.error();
            // Hashing 4.7 M triplets takes most of a second: not for a superseded analysis.
            if (context.cancelled()) return makeError("", "", "cancelled");
            return Computed{std::shared_ptr<const OddOneOutAnalysis>(std::move(analysis).value()),
                            std::move(inputs.modelIds), inputs.notices,
                            alignscope::tripletsFingerprint(*stimuli, *triplets)};
        },
        [this](Result<Computed> result) {
            if (!result) {
                Q_EMIT failed(QString::fromStdString(result.error().message()));
                return;
            }
            for (const QString& message : result->notices)
                Q_EMIT notice(message);
            m_analysis = std::move(result->analysis);
            m_modelIds = std::move(result->modelIds);
            m_tripletsFingerprint = std::move(result->tripletsFingerprint);
            Q_EMIT analysisChanged();
        },
        TaskRunner::Lane::Gpu);
    return true;
}

bool OddOneOutController::renameModel(int index, const QString& name, QString* error)
{
    if (index < 0 || size_t(index) >= m_modelIds.size()) return false;
    return m_session->rename(m_modelIds[size_t(index)], name, error);
}
