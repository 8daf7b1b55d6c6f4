#pragma once
// Odd-one-out alignment per object for the current analysis: each model's accuracy over the triplets that
// contain an object, with its interval, the share of them every model gets wrong (core's
// perObjectAlignment), and, with a concept space, each object's nearest neighbours under every model and
// under the concept space's similarity and how far they agree (compareNeighbours: Jaccard@k, Spearman's rho).
// Run on a worker, and only once something wants it (the Objects page shown): at THINGS scale it adds about
// 0.1 s per model, and the neighbours about 0.3 s more, to every analysis otherwise.

#include "alignscope/object_alignment.h"
#include "alignscope/object_map.h"
#include "alignscope/object_neighbours.h"
#include "alignscope/odd_one_out_analysis.h"

#include <QObject>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class OddOneOutController;
class Session;
class TaskRunner;

struct ObjectAlignmentResult
{
    alignscope::PerObjectAlignment alignment;
    // Per model of the analysis, empty without a concept space (the human similarity the neighbours use).
    std::vector<alignscope::NeighbourComparison> neighbours;
    std::string humanName; // the concept space's display name
    // With a concept space: the people's similarity the neighbours (and maps) use, and each object's top
    // concept dimension (the largest value of its embedding row).
    std::shared_ptr<const alignscope::SimilarityMatrix> human;
    std::vector<int> topConcept;
    // The concept space's rows mapped to the objects (n × conceptDims, row-major) and its dimensions' labels:
    // the inspector's concept bars.
    std::vector<float> conceptValues;
    std::int64_t conceptDims = 0;
    std::vector<std::string> conceptLabels;
};

class ObjectAlignmentController : public QObject
{
    Q_OBJECT
public:
    static constexpr int kNeighbours = 10;

    ObjectAlignmentController(Session* session, OddOneOutController* oddOneOut, TaskRunner* tasks,
                              QObject* parent = nullptr);

    // From now on every analysis gets its per-object alignment (the current one at once); with `mapOfModel`
    // (an index in the analysis), that model's map and the people's too, as soon as the alignment is there
    // (figure export: the map figure has something to draw without the Map tab on screen).
    void request(int mapOfModel = -1);
    // The odd-one-out analysis changed (the Workbench calls it): recomputed when requested.
    void update();
    // The analysis the result belongs to and the result (null until computed, or when the analysis has no
    // model); `result()->alignment.models[m][s]` is analysis()->models[m] on stimulus s.
    std::shared_ptr<const alignscope::OddOneOutAnalysis> analysis() const { return m_analysis; }
    std::shared_ptr<const ObjectAlignmentResult> result() const { return m_result; }
    // Computes the map of `model` (an index in analysis()) and the people's, on a worker, unless they are
    // there; mapChanged says when they are.
    void requestMap(int model);
    const alignscope::ObjectMap* modelMap(int model) const; // null until computed for this result
    const alignscope::ObjectMap* humanMap() const;

Q_SIGNALS:
    void alignmentChanged();
    void mapChanged();
    void failed(const QString& message);

private:
    Session* m_session;
    OddOneOutController* m_oddOneOut;
    TaskRunner* m_tasks;
    bool m_requested = false;
    int m_mapWanted = -1;
    std::shared_ptr<const alignscope::OddOneOutAnalysis> m_analysis;
    std::shared_ptr<const ObjectAlignmentResult> m_result;
    std::map<int, alignscope::ObjectMap> m_modelMaps;
    std::optional<alignscope::ObjectMap> m_humanMap;
};
