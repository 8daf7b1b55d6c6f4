#pragma once
// Owns the current odd-one-out analysis. Reads the Session (objects, the newest triplet set, model features,
// the concept space, settings), maps rows by ID and runs the analysis on a worker, and publishes the result
// on the GUI thread. It recomputes when what it reads changes; a newer request supersedes an older one.

#include "alignscope/odd_one_out_analysis.h"

#include "controllers/coalesced_call.h"

#include <QObject>
#include <QString>
#include <memory>
#include <string>
#include <vector>

class Session;
class TaskRunner;

class OddOneOutController : public QObject
{
    Q_OBJECT
public:
    OddOneOutController(Session* session, TaskRunner* tasks, QObject* parent = nullptr);

    // Results restored from a project: used when the next analysis has the same inputs (same fingerprint).
    void setResultCache(std::shared_ptr<const alignscope::OddOneOutCache> cache)
    {
        m_cache = std::move(cache);
    }

    // Drops the result and the restored cache (a new workspace); emits analysisChanged.
    void clear();
    // Starts an analysis with the current inputs; returns false (with `problem`) when inputs are missing.
    bool recompute();
    QString problem() const { return m_problem; }
    // A recompute is scheduled (inputs changed) and has not started yet.
    bool isPending() const { return m_recompute.isPending(); }

    std::shared_ptr<const alignscope::OddOneOutAnalysis> analysis() const { return m_analysis; }
    // The session item of each model in analysis()->models (same order).
    const std::vector<int>& modelIds() const { return m_modelIds; }
    // Gives the model at `index` of analysis() the display name `name` (Session::rename: refused when another
    // item has it, with the reason in `error`); the analysis is then recomputed under that name.
    bool renameModel(int index, const QString& name, QString* error = nullptr);
    // SHA-256 over analysis()'s objects and triplets (tripletsFingerprint), hashed with the analysis on the
    // worker: 4.7 M THINGS triplets take most of a second, which the GUI thread must not spend.
    const std::string& tripletsFingerprint() const { return m_tripletsFingerprint; }

Q_SIGNALS:
    void analysisChanged();
    void failed(const QString& message);
    void notice(const QString& message);      // something the user should know about the inputs
    void unavailable(const QString& problem); // inputs changed but do not allow an analysis yet

private:
    Session* m_session;
    TaskRunner* m_tasks;
    CoalescedCall m_recompute; // inputs changed: recompute once they have all arrived
    std::shared_ptr<const alignscope::OddOneOutCache> m_cache;
    QString m_problem;
    std::shared_ptr<const alignscope::OddOneOutAnalysis> m_analysis;
    std::vector<int> m_modelIds;
    std::string m_tripletsFingerprint;
};
