#pragma once
// Per-object results for the extension module: odd-one-out accuracy per object, and each object's
// neighbours under a model and under humans.

#include "alignscope/odd_one_out_analysis.h"

#include <pybind11/pybind11.h>

namespace alignscope::python {

// The `per_object` list of ooo --json for one model (rows are the objects; `id` is the row index).
pybind11::list perObjectList(const OddOneOutAnalysis& analysis, const ModelAnalysis& model);

void addObjectFunctions(pybind11::module_& m);

} // namespace alignscope::python
