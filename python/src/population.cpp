// Statistics over a population of models (alignscope.correlate_models, alignscope.factor_models): one value
// per model in, the statistic with bootstrap intervals and permutation p-values out, as plain dicts.
#include "population.h"
#include "arrays.h"
#include "interruptible.h"

#include "alignscope/population_stats.h"

#include <pybind11/stl.h>

#include <cmath>

namespace alignscope::python {

namespace {

py::object intervalOrNone(const std::optional<Interval>& interval)
{
    if (!interval) return py::none();
    py::list out;
    out.append(interval->low);
    out.append(interval->high);
    return std::move(out);
}

PopulationOptions optionsOf(int bootstrap, int permutations, std::uint64_t seed)
{
    if (bootstrap < 0 || permutations < 0)
        throw py::value_error("bootstrap and permutations must be 0 or more");
    return {bootstrap, permutations, seed};
}

py::dict correlateModels(const std::vector<double>& x, const std::vector<double>& y,
                         const std::string& method, int bootstrap, int permutations, std::uint64_t seed)
{
    if (method != "pearson" && method != "spearman")
        throw py::value_error("unknown method '" + method + "' (pearson or spearman)");
    const PopulationOptions options = optionsOf(bootstrap, permutations, seed);
    const CorrelationStatistic result = take(interruptible([&](const TaskContext& context) {
        return method == "pearson" ? pearsonOverModels(x, y, options, context)
                                   : spearmanOverModels(x, y, options, context);
    }));
    py::dict out;
    out["method"] = method;
    out["r"] = number(result.r);
    out["ci95"] = intervalOrNone(result.ci95);
    out["p_value"] = result.pValue ? py::object(py::float_(*result.pValue)) : py::object(py::none());
    out["n_models"] = result.models;
    out["permutations"] = permutations;
    out["seed"] = seed;
    if (!result.note.empty()) out["note"] = result.note;
    return out;
}

py::dict factorModels(const std::vector<double>& values, const std::vector<std::string>& levels,
                      int bootstrap, int permutations, std::uint64_t seed)
{
    const PopulationOptions options = optionsOf(bootstrap, permutations, seed);
    const FactorStatistic result = take(interruptible(
        [&](const TaskContext& context) { return factorOverModels(values, levels, options, context); }));
    py::dict out;
    out["eta_squared"] = number(result.etaSquared);
    out["p_value"] = result.pValue ? py::object(py::float_(*result.pValue)) : py::object(py::none());
    py::list groups;
    for (const GroupSummary& group : result.groups) {
        py::dict g;
        g["level"] = group.level;
        g["n_models"] = group.models;
        g["mean"] = group.mean;
        g["ci95"] = intervalOrNone(group.ci95);
        groups.append(g);
    }
    out["groups"] = groups;
    py::list pairs;
    for (const GroupDifference& pair : result.pairs) {
        py::dict p;
        p["a"] = pair.a;
        p["b"] = pair.b;
        p["difference"] = pair.difference;
        p["p_value"] = pair.pValue;
        p["p_holm"] = pair.pHolm;
        pairs.append(p);
    }
    out["pairs"] = pairs;
    out["n_models"] = result.models;
    out["permutations"] = permutations;
    out["seed"] = seed;
    if (!result.note.empty()) out["note"] = result.note;
    return out;
}

} // namespace

void addPopulationFunctions(py::module_& m)
{
    m.def("correlate_models", &correlateModels, py::arg("x"), py::arg("y"), py::arg("method"),
          py::arg("bootstrap"), py::arg("permutations"), py::arg("seed"));
    m.def("factor_models", &factorModels, py::arg("values"), py::arg("levels"), py::arg("bootstrap"),
          py::arg("permutations"), py::arg("seed"));
}

} // namespace alignscope::python
