// The alignscope Python extension (_alignscope): the torch-free core on NumPy arrays. The public API, its
// docstrings and result objects are in alignscope/__init__.py; this file converts arrays, releases the GIL
// and returns plain dicts with the CLI's JSON field names.
#include "arrays.h"
#include "interruptible.h"
#include "objects.h"
#include "population.h"

#include "alignscope/alignment_stats.h"
#include "alignscope/cka.h"
#include "alignscope/datasets.h"
#include "alignscope/human_similarity.h"
#include "alignscope/large_page_allocator.h"
#include "alignscope/load.h"
#include "alignscope/metric_key.h"
#include "alignscope/odd_one_out_analysis.h"
#include "alignscope/probe.h"
#include "alignscope/row_mapping.h"
#include "alignscope/rsa.h"
#include "alignscope/version.h"

#include <pybind11/stl.h>

#include <cmath>
#include <limits>

namespace py = pybind11;
using namespace alignscope;
using namespace alignscope::python;

namespace {

py::list interval(double low, double high)
{
    py::list out;
    out.append(number(low));
    out.append(number(high));
    return out;
}

std::shared_ptr<const StimulusSet> rowsAsStimuli(std::int64_t rows)
{
    std::vector<std::string> ids;
    for (std::int64_t r = 0; r < rows; ++r)
        ids.push_back(std::to_string(r));
    return std::make_shared<const StimulusSet>(take(StimulusSet::create(std::move(ids), "array rows")));
}

py::dict oddOneOut(const py::handle& featuresArray, const py::handle& tripletsArray,
                   const std::string& similarity, const py::object& conceptsArray, const py::object& labels,
                   int bootstrap, std::uint64_t seed, int topK, bool perObject)
{
    if (bootstrap < 0) throw py::value_error("bootstrap must be 0 or more replicates");
    if (topK != 1 && topK != 2) throw py::value_error("top_k must be 1 or 2");
    py::object keepAlive;
    FeatureMatrix features = featuresFrom(featuresArray, "features", &keepAlive);
    AnalysisRequest request;
    request.triplets = std::make_shared<const TripletSet>(tripletsFrom(tripletsArray, features.rows));
    request.stimuli = rowsAsStimuli(features.rows);
    request.options.similarity = take(parseSimilarityKind(similarity));
    request.options.device = ComputeDevice::Cpu;
    request.bootstrapReplicates = bootstrap;
    request.seed = seed;
    request.topK = topK;
    request.fingerprints = false;
    if (!conceptsArray.is_none()) {
        ConceptSpace concepts = conceptsFrom(conceptsArray);
        if (concepts.n != features.rows)
            throw py::value_error("concepts have " + std::to_string(concepts.n) + " rows, features " +
                                  std::to_string(features.rows) + ": one row per object in both");
        if (auto checked = checkConceptValues(concepts, request.stimuli->ids()); !checked)
            raise(checked.error());
        if (!labels.is_none()) {
            request.conceptLabels = labels.cast<std::vector<std::string>>();
            if (auto counted = checkLabelCount(request.conceptLabels, concepts.d, "labels"); !counted)
                raise(counted.error());
        }
        request.concepts = std::move(concepts);
    }
    request.models.emplace_back("model", std::move(features));
    auto analysis = take(interruptible(
        [&](const TaskContext& context) { return analyseOddOneOut(std::move(request), context); }));
    const ModelAnalysis& m = analysis->models.front();
    const TripletRepeats& repeats = analysis->repeats;
    py::dict out;
    // The fields of `ooo --json`, named by the metric table.
    out[metricKindName(MetricKind::Accuracy)] = m.choices.accuracy();
    out["n_triplets"] = m.choices.size();
    out["n_correct"] = m.choices.correct;
    out["n_ties"] = m.choices.ties;
    out["ci95"] = interval(m.ci95.low, m.ci95.high);
    out["ci95_objects"] = interval(m.ci95Objects.low, m.ci95Objects.high);
    out["similarity"] = similarityName(analysis->options.similarity);
    out["noise_ceiling"] = repeats.noiseCeiling ? number(*repeats.noiseCeiling) : py::none();
    out[metricKindName(MetricKind::NormalizedScore)] =
        repeats.noiseCeiling ? number(normalisedScore(m.choices.accuracy(), *repeats.noiseCeiling))
                             : py::none();
    out["n_repeated_triplets"] = repeats.groups;
    py::list perConcept;
    for (const ConceptAccuracy& c : m.perConcept) {
        py::dict concept;
        concept["dimension"] = c.dimension;
        concept["label"] = c.label;
        concept["n_triplets"] = c.triplets;
        concept["n_correct"] = c.correct;
        concept[metricKindName(MetricKind::Accuracy)] = number(c.accuracy);
        concept["ci95"] = interval(c.ci95.low, c.ci95.high);
        perConcept.append(concept);
    }
    out["per_concept"] = perConcept;
    if (perObject) out["per_object"] = perObjectList(*analysis, m);
    return out;
}

py::dict noiseCeilingOf(const py::handle& tripletsArray)
{
    const TripletSet triplets = tripletsFrom(tripletsArray, std::numeric_limits<std::int32_t>::max());
    const TripletRepeats repeats =
        interruptible([&](const TaskContext&) { return analyseRepeats(triplets); });
    py::dict out;
    out["noise_ceiling"] = repeats.noiseCeiling ? number(*repeats.noiseCeiling) : py::none();
    out["agreement"] = repeats.agreement ? number(*repeats.agreement) : py::none();
    out["n_repeated_triplets"] = repeats.groups;
    out["n_repeated_responses"] = repeats.repeatedResponses;
    if (!repeats.ceilingNote.empty()) out["noise_ceiling_note"] = repeats.ceilingNote;
    return out;
}

py::array_t<float> rdm(const py::handle& featuresArray, const std::string& method)
{
    py::object keepAlive;
    const FeatureMatrix features = featuresFrom(featuresArray, "features", &keepAlive); // shape, finiteness
    const RdmMethod kind = take(parseRdmMethod(method));
    if (py::isinstance<py::array>(featuresArray) && holdsFloat64(featuresArray)) {
        // float64 features reach the float64 products unrounded (a shared offset of 1e4 rounded to float32's
        // steps moved Spearman against SciPy by 3e-5), scaled by the same power of two as narrowFeatures
        // chooses, so 1e-200 is not a zero norm.
        const auto source = py::array_t<double, py::array::c_style | py::array::forcecast>(
            py::reinterpret_borrow<py::array>(featuresArray));
        std::vector<double> values(source.data(), source.data() + source.size());
        std::vector<float> unused(values.size());
        const int exponent = narrowFeatures(values.data(), values.size(), unused.data());
        if (exponent != 0)
            for (double& value : values)
                value = std::ldexp(value, exponent);
        return squareArray(take(interruptible([&](const TaskContext& context) {
            return modelRdm(values.data(), features.rows, features.cols, "features", kind, context);
        })));
    }
    return squareArray(
        take(interruptible([&](const TaskContext& context) { return modelRdm(features, kind, context); })));
}

struct RsaOut
{
    Result<double> r = 0.0;
    RsaInterval ci95;
    std::int64_t n = 0;
    size_t pairs = 0;
};

// Both RDMs as `Rdm` (float32, or float64 when either was handed over in float64: never narrowed).
template <class Rdm>
RsaOut compareHanded(const Rdm& model, const Rdm& human, CompareMethod method, int bootstrap,
                     std::uint64_t seed)
{
    if (model.n != human.n)
        throw py::value_error("model_rdm has " + std::to_string(model.n) + " stimuli, human_rdm " +
                              std::to_string(human.n));
    return interruptible([&](const TaskContext& context) {
        RsaOut out;
        out.r = compareRdms(model, human, method, context);
        if (out.r && bootstrap > 0)
            out.ci95 = bootstrapStimuli(model, human, method, bootstrap, seed, context);
        out.n = model.n;
        out.pairs = model.values.size();
        return out;
    });
}

py::dict rsa(const py::handle& modelRdm, const py::handle& humanRdm, const std::string& compare,
             int bootstrap, std::uint64_t seed)
{
    if (bootstrap < 0) throw py::value_error("bootstrap must be 0 or more replicates");
    const CompareMethod method = take(parseCompareMethod(compare));
    RsaOut result = holdsFloat64(modelRdm) || holdsFloat64(humanRdm)
                        ? compareHanded(rdm64From(modelRdm, "model_rdm"), rdm64From(humanRdm, "human_rdm"),
                                        method, bootstrap, seed)
                        : compareHanded(rdmFrom(modelRdm, "model_rdm"), rdmFrom(humanRdm, "human_rdm"),
                                        method, bootstrap, seed);
    py::dict out;
    out["r"] = take(std::move(result.r));
    out["compare"] = compareMethodName(method);
    out["n_stimuli"] = result.n;
    out["n_pairs"] = result.pairs;
    out["ci95"] = bootstrap > 0 ? py::object(interval(result.ci95.low, result.ci95.high)) : py::none();
    return out;
}

py::array_t<float> conceptSimilarityOf(const py::handle& conceptsArray, const py::object& stimuliArray)
{
    ConceptSpace concepts = conceptsFrom(conceptsArray);
    if (auto checked = checkConceptValues(concepts, {}); !checked) raise(checked.error());
    std::vector<std::int64_t> stimuli;
    if (stimuliArray.is_none()) {
        for (std::int64_t i = 0; i < concepts.n; ++i)
            stimuli.push_back(i);
    } else {
        stimuli = stimuliArray.cast<std::vector<std::int64_t>>();
        for (std::int64_t s : stimuli)
            if (s < 0 || s >= concepts.n)
                throw py::value_error("stimuli: index " + std::to_string(s) + " is outside the " +
                                      std::to_string(concepts.n) + " concept rows");
    }
    SimilarityMatrix matrix = take(interruptible(
        [&](const TaskContext& context) { return conceptSimilarity(concepts, stimuli, false, context); }));
    return matrixArray(std::move(matrix.values), matrix.n, matrix.n);
}

double ckaOf(const py::handle& x, const py::handle& y, const std::string& kind, bool unbiased, double sigma)
{
    py::object keepX, keepY;
    const FeatureMatrix a = featuresFrom(x, "x", &keepX), b = featuresFrom(y, "y", &keepY);
    if (a.rows != b.rows)
        throw py::value_error("x has " + std::to_string(a.rows) + " rows, y " + std::to_string(b.rows) +
                              ": CKA compares the same stimuli");
    CkaOptions options;
    if (kind == "linear")
        options.kernel = CkaKernel::Linear;
    else if (kind == "rbf")
        options.kernel = CkaKernel::Rbf;
    else
        throw py::value_error("unknown CKA kind '" + kind + "' (linear, rbf)");
    options.unbiased = unbiased;
    if (!(sigma > 0) || !std::isfinite(sigma))
        throw py::value_error("sigma must be a positive multiple of the median pairwise distance");
    options.sigmaScale = sigma;
    return take(interruptible([&](const TaskContext& context) { return cka(a, b, options, context); }));
}

py::array_t<float> applyTransformOf(const py::handle& featuresArray, const std::string& path)
{
    py::object keepAlive;
    const FeatureMatrix features = featuresFrom(featuresArray, "features", &keepAlive);
    const ProbeTransform transform = take(loadTransform(path));
    FeatureMatrix out = take(applyTransform(transform, features));
    return matrixArray(std::move(out.values), out.rows, out.cols);
}

py::tuple loadFile(const std::string& spec, const py::object& rows)
{
    LoadRequest request{spec, InputRole::Matrix, std::nullopt, {}};
    if (!rows.is_none()) {
        request.rows = take(rowIdentityFromArgument(rows.cast<std::string>()));
        if (request.rows->policy != RowIdentity::Policy::Ids)
            throw py::value_error("rows: give a row-ID file (one ID per line), not '" +
                                  rows.cast<std::string>() + "'");
    }
    LoadedInput input =
        take(interruptible([&](const TaskContext& context) { return alignscope::load(request, context); }));
    const NdArray& array = input.matrix.array;
    const std::vector<std::string>& ids = input.matrix.rowIds;
    py::object named = ids.empty() ? py::object(py::none()) : py::object(py::cast(ids));
    // float64 and integer files stay float64, as NumPy reads them: narrowing here would flush 1e-45 to zero
    // and read 1e39 as inf before the analyses could rescale them (narrowFeatures), and round a float64 RDM.
    if (array.kind == ElementKind::Float32)
        return py::make_tuple(matrixArray(array.toFloat32(), array.rows(), array.cols()), named);
    return py::make_tuple(matrixArray(array.toFloat64(), array.rows(), array.cols()), named);
}

// For align_rows: the row of an `rows`-row array that holds each ID of `to`, matched as the app matches every
// matrix to its stimuli (row_mapping.h), with its errors.
std::vector<std::int64_t> rowOrder(std::int64_t rows, const py::object& rowIds,
                                   const std::vector<std::string>& to, bool allowExtra)
{
    RowIdentity identity = RowIdentity::fromIds({}, "row_ids");
    if (!py::isinstance<py::str>(rowIds)) {
        identity.ids = rowIds.cast<std::vector<std::string>>();
    } else {
        const std::string policy = rowIds.cast<std::string>();
        if (policy != "canonical" && policy != "sorted")
            throw py::value_error("row_ids: '" + policy +
                                  "' is neither 'canonical', 'sorted' nor a list of IDs");
        identity = take(rowIdentityFromArgument(policy));
    }
    const StimulusSet wanted = take(StimulusSet::create(to, "to"));
    return take(mapRowsToStimuli(wanted, rows, identity, "array", allowExtra));
}

bool sharesMemory(const py::handle& array)
{
    py::object keepAlive;
    const FeatureMatrix features = featuresFrom(array, "features", &keepAlive);
    const auto buffer = py::reinterpret_borrow<py::array>(array);
    return py::isinstance<py::array>(array) && features.view == buffer.data();
}

} // namespace

PYBIND11_MODULE(_alignscope, m)
{
    m.doc() = "AlignScope's compiled core (see the alignscope package for the documented API).";
    m.attr("__version__") = applicationVersion();
    m.def("odd_one_out", &oddOneOut, py::arg("features"), py::arg("triplets"), py::arg("similarity"),
          py::arg("concepts"), py::arg("labels"), py::arg("bootstrap"), py::arg("seed"), py::arg("top_k"),
          py::arg("per_object"));
    m.def("noise_ceiling", &noiseCeilingOf, py::arg("triplets"));
    m.def("rdm", &rdm, py::arg("features"), py::arg("method"));
    m.def("rsa", &rsa, py::arg("model_rdm"), py::arg("human_rdm"), py::arg("compare"), py::arg("bootstrap"),
          py::arg("seed"));
    m.def("concept_similarity", &conceptSimilarityOf, py::arg("concepts"), py::arg("stimuli"));
    m.def("cka", &ckaOf, py::arg("x"), py::arg("y"), py::arg("kind"), py::arg("unbiased"), py::arg("sigma"));
    m.def("apply_transform", &applyTransformOf, py::arg("features"), py::arg("path"));
    m.def("load", &loadFile, py::arg("path"), py::arg("rows"));
    m.def("row_order", &rowOrder, py::arg("rows"), py::arg("row_ids"), py::arg("to"), py::arg("allow_extra"));
    addPopulationFunctions(m);
    addObjectFunctions(m);
    m.def("release_memory", [] {
        const std::size_t kept = recycledBytes();
        releaseRecycledBlocks();
        return kept;
    });
    m.def("_kept_bytes", [] { return recycledBytes(); });
    m.def("_shares_memory", &sharesMemory, py::arg("features"),
          "True when the core reads `features` in place (no copy).");
}
