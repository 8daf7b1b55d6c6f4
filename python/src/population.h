#pragma once
// Statistics over a population of models, for the extension module.

#include <pybind11/pybind11.h>

namespace alignscope::python {

void addPopulationFunctions(pybind11::module_& m);

} // namespace alignscope::python
