#pragma once
// NumPy arrays in and out of the core's value types. Features are read in place when the array is
// C-contiguous float32 (the core then sees a view: FeatureMatrix::view); other dtypes and layouts are
// converted once. Matrices going back to Python become NumPy arrays that own their buffer.

#include "alignscope/data_model.h"
#include "alignscope/rsa.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>
#include <vector>

namespace alignscope::python {

namespace py = pybind11;

// Raises ValueError with the core's one-line message.
[[noreturn]] void raise(const Error& error);
template <class T> T take(Result<T> result)
{
    if (!result) raise(result.error());
    return std::move(result).value();
}

// An n×p matrix as features. `keepAlive` holds the array the view points into (or the converted copy) for as
// long as the FeatureMatrix is used.
FeatureMatrix featuresFrom(const py::handle& array, const char* name, py::object* keepAlive);
// N×3 integer indices into `objects` rows, checked (range, three distinct objects per triplet).
TripletSet tripletsFrom(const py::handle& array, std::int64_t objects);
// n×d non-negative concept values.
ConceptSpace conceptsFrom(const py::handle& array);
// An n×n dissimilarity matrix or an n(n−1)/2 condensed vector (scipy's squareform layout), as float32 or,
// for float64 arrays (and Python sequences, whose floats are float64), without narrowing.
CondensedMatrix rdmFrom(const py::handle& array, const char* name);
CondensedMatrix64 rdm64From(const py::handle& array, const char* name);
bool holdsFloat64(const py::handle& array);

// A float, or None for NaN and ±inf (the CLI's JSON writes null).
py::object number(double value);

py::array_t<float> squareArray(const CondensedMatrix& rdm);
// A rows×cols array that owns `values` (float or double).
template <typename T> py::array_t<T> matrixArray(std::vector<T> values, std::int64_t rows, std::int64_t cols);

} // namespace alignscope::python
