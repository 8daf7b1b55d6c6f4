#pragma once
// Owns the current odd-one-out analysis. Gathers inputs from the workspace (objects, a triplet set,
// feature matrices as models, an optional concept space), maps rows by ID, runs the analysis on a
// worker and publishes the result on the GUI thread. A newer request supersedes an older one.

#include "session/file_loader.h"

#include "alignscope/odd_one_out_analysis.h"
#include "alignscope/row_mapping.h"

#include <QObject>
#include <QString>
#include <map>
#include <memory>
#include <optional>

class TaskRunner;
class Workspace;

class OddOneOutController : public QObject
{
    Q_OBJECT
public:
    OddOneOutController(Workspace* workspace, TaskRunner* tasks, QObject* parent = nullptr);

    // Row identity for a matrix that does not name its rows ("canonical", "sorted" or a row-ID file).
    void setRowIdentity(const QString& matrixPath, const alignscope::RowIdentity& identity);
    bool needsRowIdentity(const QString& matrixPath) const;
    std::optional<alignscope::RowIdentity> rowIdentity(const QString& matrixPath) const;
    const std::map<QString, alignscope::RowIdentity>& rowIdentities() const { return m_identities; }
    // Results restored from a project: used when the next analysis has the same inputs (same fingerprint).
    void setResultCache(std::shared_ptr<const alignscope::OddOneOutCache> cache)
    {
        m_cache = std::move(cache);
    }
    // Which matrix is the concept space (empty: none); the others are models.
    void setConceptPath(const QString& path);
    QString conceptPath() const { return m_conceptPath; }
    void setSimilarity(alignscope::SimilarityKind kind);
    alignscope::SimilarityKind similarity() const { return m_similarity; }

    // Models (feature matrices mapped to the objects), the concept space, and an n×n matrix over the objects
    // taken as human (dis)similarities: what both the odd-one-out and the RSA pages analyse.
    struct ModelInputs
    {
        std::vector<std::pair<std::string, alignscope::FeatureMatrix>> models;
        std::optional<alignscope::ConceptSpace> concepts;
        std::optional<alignscope::SimilarityMatrix> humanMatrix;
        QString problem;     // non-empty when an input cannot be used
        QStringList notices; // what loading changed (e.g. tiny negative concept values clamped to 0)
    };
    ModelInputs gatherModelInputs(const alignscope::StimulusSet& stimuli) const;
    // What gathering reads, copied (shared pointers to the loaded data) so that it can run on a worker: at
    // THINGS scale mapping the features' rows copies 15 MB per model, too long for the GUI thread.
    struct InputSnapshot
    {
        std::vector<LoadedItem> items;
        std::map<QString, alignscope::RowIdentity> identities;
        QString conceptPath;
    };
    InputSnapshot inputSnapshot() const;
    static ModelInputs gatherModelInputs(const InputSnapshot& snapshot,
                                         const alignscope::StimulusSet& stimuli);

    // Starts an analysis with the current inputs; returns false (with `problem`) when inputs are missing.
    bool recompute();
    QString problem() const { return m_problem; }

    std::shared_ptr<const alignscope::OddOneOutAnalysis> analysis() const { return m_analysis; }

Q_SIGNALS:
    void analysisChanged();
    void failed(const QString& message);
    void notice(const QString& message); // something the user should know about the inputs, not an error

private:
    Workspace* m_workspace;
    TaskRunner* m_tasks;
    std::map<QString, alignscope::RowIdentity> m_identities;
    std::shared_ptr<const alignscope::OddOneOutCache> m_cache;
    QString m_conceptPath;
    alignscope::SimilarityKind m_similarity = alignscope::SimilarityKind::Cosine;
    QString m_problem;
    std::shared_ptr<const alignscope::OddOneOutAnalysis> m_analysis;
};
