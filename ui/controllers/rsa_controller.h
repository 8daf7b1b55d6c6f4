#pragma once
// Owns the current RSA (settings and inputs from the Session): the human matrix (an n×n matrix over the
// objects, or the similarity derived from the concept space), every model's RDM and its correlation with it.
// Runs on a worker; newer requests win.

#include "alignscope/rsa_analysis.h"

#include "controllers/coalesced_call.h"

#include <QObject>
#include <memory>
#include <optional>
#include <vector>

class Session;
class TaskRunner;

class RsaController : public QObject
{
    Q_OBJECT
public:
    RsaController(Session* session, TaskRunner* tasks, QObject* parent = nullptr);

    // Correlations restored from a project (matched per model by fingerprint): unchanged inputs reuse them.
    void setResultCache(std::shared_ptr<const alignscope::RsaCache> cache) { m_caches = {std::move(cache)}; }
    // Drops the results and the restored cache (a new workspace); emits analysisChanged.
    void clear();
    bool recompute();
    QString problem() const { return m_problem; }
    bool isPending() const { return m_recompute.isPending(); }
    // One analysis per human source (dataset folders, an n×n matrix over the objects, the concept space).
    const std::vector<std::shared_ptr<const alignscope::RsaAnalysis>>& analyses() const { return m_analyses; }
    std::shared_ptr<const alignscope::RsaAnalysis> analysis() const
    {
        return m_analyses.empty() ? nullptr : m_analyses.front();
    }
    // The session item of each model of analyses()[a]->models (same order): results are matched to items by
    // these, not by the names the analysis was run under (a rename recomputes later).
    const std::vector<std::vector<int>>& modelIds() const { return m_modelIds; }

Q_SIGNALS:
    void analysisChanged();
    void failed(const QString& message);
    void unavailable(const QString& problem); // inputs changed but do not allow an RSA yet

private:
    Session* m_session;
    TaskRunner* m_tasks;
    CoalescedCall m_recompute; // inputs changed: recompute once they have all arrived
    std::vector<std::shared_ptr<const alignscope::RsaCache>> m_caches;
    QString m_problem;
    std::vector<std::shared_ptr<const alignscope::RsaAnalysis>> m_analyses;
    std::vector<std::vector<int>> m_modelIds;
};
