#pragma once
// Owns the current RSA: the human matrix (an n×n matrix over the objects, or the similarity derived from
// the concept space), every model's RDM and its correlation with it. Runs on a worker; newer requests win.

#include "alignscope/rsa_analysis.h"

#include <QObject>
#include <memory>
#include <optional>
#include <vector>

class OddOneOutController;
class TaskRunner;
class Workspace;

class RsaController : public QObject
{
    Q_OBJECT
public:
    RsaController(Workspace* workspace, OddOneOutController* inputs, TaskRunner* tasks,
                  QObject* parent = nullptr);

    void setMethod(alignscope::RdmMethod method) { m_method = method; }
    void setCompare(alignscope::CompareMethod compare) { m_compare = compare; }
    alignscope::RdmMethod method() const { return m_method; }
    // Correlations restored from a project (matched per model by fingerprint): unchanged inputs reuse them.
    void setResultCache(std::shared_ptr<const alignscope::RsaCache> cache) { m_caches = {std::move(cache)}; }
    alignscope::CompareMethod compare() const { return m_compare; }
    bool recompute();
    QString problem() const { return m_problem; }
    // One analysis per human source (dataset folders, an n×n matrix over the objects, the concept space).
    const std::vector<std::shared_ptr<const alignscope::RsaAnalysis>>& analyses() const { return m_analyses; }
    std::shared_ptr<const alignscope::RsaAnalysis> analysis() const
    {
        return m_analyses.empty() ? nullptr : m_analyses.front();
    }

Q_SIGNALS:
    void analysisChanged();
    void failed(const QString& message);

private:
    Workspace* m_workspace;
    OddOneOutController* m_inputs;
    TaskRunner* m_tasks;
    alignscope::RdmMethod m_method = alignscope::RdmMethod::Correlation;
    alignscope::CompareMethod m_compare = alignscope::CompareMethod::Spearman;
    std::vector<std::shared_ptr<const alignscope::RsaCache>> m_caches;
    QString m_problem;
    std::vector<std::shared_ptr<const alignscope::RsaAnalysis>> m_analyses;
};
