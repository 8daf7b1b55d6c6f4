#include "rsa_controller.h"

#include "odd_one_out_controller.h"
#include "task_runner.h"
#include "workspace.h"

#include "alignscope/human_similarity.h"

#include <numeric>

using namespace alignscope;

RsaController::RsaController(Workspace* workspace, OddOneOutController* inputs, TaskRunner* tasks, QObject* parent)
    : QObject(parent), m_workspace(workspace), m_inputs(inputs), m_tasks(tasks)
{
}

bool RsaController::recompute()
{
    m_problem.clear();
    auto stimuli = m_workspace->sharedObjects();
    if (!stimuli) {
        m_problem = tr("Open objects to compare model and human similarity.");
        return false;
    }
    auto inputs = m_inputs->gatherModelInputs(*stimuli);
    if (!inputs.problem.isEmpty() || inputs.models.empty() || (!inputs.humanMatrix && !inputs.concepts)) {
        m_problem = !inputs.problem.isEmpty() ? inputs.problem
                    : inputs.models.empty()   ? tr("Add a feature file to compute model RDMs.")
                                              : tr("Open a human similarity matrix (n×n over the objects) or a concept space.");
        return false;
    }
    const RdmMethod method = m_method;
    const CompareMethod compare = m_compare;
    m_tasks->run<Result<std::shared_ptr<const RsaAnalysis>>>(
        QStringLiteral("rsa"), this,
        [stimuli, inputs = std::move(inputs), method, compare](const TaskContext& context) mutable -> Result<std::shared_ptr<const RsaAnalysis>> {
            RsaRequest request;
            request.stimuli = stimuli;
            request.method = method;
            request.compare = compare;
            request.models = std::move(inputs.models);
            request.concepts = inputs.concepts;
            Result<CondensedMatrix> human = makeError("", "", "");
            if (inputs.humanMatrix) {
                request.humanOrigin = inputs.humanMatrix->origin;
                human = condense(inputs.humanMatrix->values, inputs.humanMatrix->n, inputs.humanMatrix->kind, request.humanOrigin);
            } else {
                std::vector<std::int64_t> all(stimuli->size());
                std::iota(all.begin(), all.end(), 0);
                auto similarity = conceptSimilarity(*inputs.concepts, all, false, context);
                if (!similarity) return similarity.error();
                request.humanOrigin = "similarity from concept space " + inputs.concepts->origin;
                human = condense(similarity->values, similarity->n, SimilarityMatrix::Kind::Similarity, request.humanOrigin);
            }
            if (!human) return human.error();
            request.human = std::move(human).value();
            return analyseRsa(std::move(request), context);
        },
        [this](Result<std::shared_ptr<const RsaAnalysis>> result) {
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
