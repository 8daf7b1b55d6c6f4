// alignscope.odd_one_out(...).per_object and alignscope.neighbours: plain dicts with the CLI's JSON fields,
// except that objects are named by their row (arrays carry no IDs).
#include "objects.h"
#include "arrays.h"
#include "interruptible.h"

#include "alignscope/metric_key.h"
#include "alignscope/object_alignment.h"
#include "alignscope/object_neighbours.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

namespace alignscope::python {

namespace {

py::list rows(const std::vector<std::int64_t>& indices)
{
    py::list out;
    for (std::int64_t index : indices)
        out.append(index);
    return out;
}

std::shared_ptr<const StimulusSet> numberedRows(std::int64_t count)
{
    // Zero-padded to one width, so that the order of the IDs (which breaks ties) is the rows' order.
    const size_t width = std::to_string(std::max<std::int64_t>(count - 1, 0)).size();
    std::vector<std::string> ids;
    for (std::int64_t r = 0; r < count; ++r) {
        const std::string digits = std::to_string(r);
        ids.push_back(std::string(width - digits.size(), '0') + digits);
    }
    return std::make_shared<const StimulusSet>(take(StimulusSet::create(std::move(ids), "array rows")));
}

py::dict neighboursOf(const py::handle& featuresArray, const py::handle& humanArray,
                      const std::string& similarity, int k, const std::string& humanKind)
{
    if (humanKind != "similarity" && humanKind != "dissimilarity")
        throw py::value_error("human_kind must be 'similarity' or 'dissimilarity', not '" + humanKind + "'");
    py::object keepAlive;
    const FeatureMatrix features = featuresFrom(featuresArray, "features", &keepAlive);
    const auto human = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(humanArray);
    if (!human || human.ndim() != 2 || human.shape(0) != features.rows || human.shape(1) != features.rows)
        throw py::value_error("human must be an n × n matrix over the " + std::to_string(features.rows) +
                              " feature rows");
    SimilarityMatrix matrix;
    matrix.kind = humanKind == "similarity" ? SimilarityMatrix::Kind::Similarity
                                            : SimilarityMatrix::Kind::Dissimilarity;
    matrix.n = features.rows;
    matrix.values.assign(human.data(), human.data() + human.size());
    matrix.origin = "human";
    const SimilarityKind kind = take(parseSimilarityKind(similarity));
    const auto stimuli = numberedRows(features.rows);
    const NeighbourComparison result = take(interruptible([&](const TaskContext& context) {
        auto model = computeSimilarity(features, kind, ComputeDevice::Cpu, context);
        if (!model) return Result<NeighbourComparison>(model.error());
        model->features = &features;
        return compareNeighbours(*stimuli, *model, matrix, k, context);
    }));
    py::list objects;
    for (size_t r = 0; r < result.objects.size(); ++r) {
        const ObjectNeighbours& object = result.objects[r];
        py::dict entry;
        entry["id"] = r;
        entry["model_neighbours"] = rows(object.model);
        entry["human_neighbours"] = rows(object.human);
        entry["n_shared"] = object.shared;
        entry["jaccard"] = object.jaccard;
        entry["spearman"] = number(object.spearman);
        objects.append(entry);
    }
    py::dict out;
    out["k"] = result.k;
    out["similarity"] = similarityName(kind);
    out["n_objects"] = features.rows;
    out["mean_jaccard"] = number(result.meanJaccard);
    out["mean_spearman"] = number(result.meanSpearman);
    out["objects"] = objects;
    return out;
}

} // namespace

py::list perObjectList(const OddOneOutAnalysis& analysis, const ModelAnalysis& model)
{
    const std::vector<ObjectAccuracy> objects =
        take(perObjectAccuracy(*analysis.stimuli, *analysis.triplets, model.choices,
                               analysis.bootstrapReplicates, analysis.seed + 5));
    py::list out;
    for (size_t r = 0; r < objects.size(); ++r) {
        const ObjectAccuracy& object = objects[r];
        if (object.triplets == 0) continue;
        py::dict entry;
        entry["id"] = r;
        entry["n_triplets"] = object.triplets;
        entry["n_correct"] = object.correct;
        entry["n_ties"] = object.ties;
        entry[metricKindName(MetricKind::Accuracy)] = object.accuracy;
        py::list interval;
        interval.append(number(object.ci95.low));
        interval.append(number(object.ci95.high));
        entry["ci95"] = interval;
        out.append(entry);
    }
    return out;
}

void addObjectFunctions(py::module_& m)
{
    m.def("neighbours", &neighboursOf, py::arg("features"), py::arg("human"), py::arg("similarity"),
          py::arg("k"), py::arg("human_kind"));
}

} // namespace alignscope::python
