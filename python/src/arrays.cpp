#include "arrays.h"

#include "alignscope/large_page_allocator.h"
#include "alignscope/ndarray.h"

#include <cmath>
#include <memory>

namespace alignscope::python {

void raise(const Error& error)
{
    throw py::value_error(error.message());
}

namespace {

py::array asArray(const py::handle& object, const char* name)
{
    if (!py::isinstance<py::array>(object) && !py::isinstance<py::sequence>(object))
        throw py::type_error(std::string(name) + " must be a NumPy array");
    return py::array::ensure(object);
}

void requireMatrix(const py::array& array, const char* name)
{
    if (array.ndim() != 2)
        throw py::value_error(std::string(name) + " must be a 2-D array (got " +
                              std::to_string(array.ndim()) + " dimensions)");
}

} // namespace

py::object number(double value)
{
    return std::isfinite(value) ? py::object(py::float_(value)) : py::object(py::none());
}

namespace {

[[noreturn]] void throwNonFinite(const char* name, size_t k, std::int64_t cols)
{
    throw py::value_error(std::string(name) + ": row " + std::to_string(k / size_t(cols)) + ", column " +
                          std::to_string(k % size_t(cols)) + ": features must be finite");
}

// Checked on every OpenMP thread; the first non-finite value is looked up only when there is one.
template <class Value>
void requireFinite(const Value* values, std::int64_t count, std::int64_t cols, const char* name)
{
    bool finite = true;
#pragma omp parallel for reduction(&& : finite) schedule(static)
    for (std::int64_t k = 0; k < count; ++k)
        finite = finite && std::isfinite(values[k]);
    for (std::int64_t k = 0; !finite && k < count; ++k)
        if (!std::isfinite(values[k])) throwNonFinite(name, size_t(k), cols);
}

} // namespace

FeatureMatrix featuresFrom(const py::handle& object, const char* name, py::object* keepAlive)
{
    py::array array = asArray(object, name);
    requireMatrix(array, name);
    FeatureMatrix features;
    features.rows = array.shape(0);
    features.cols = array.shape(1);
    features.origin = name;
    if (array.dtype().kind() == 'f' && array.itemsize() == 8) {
        // float64 is narrowed as the CLI and the GUI narrow it (an exact power-of-two rescale where float32's
        // range would flush or overflow it), after checking the float64 values themselves.
        const auto doubles = py::array_t<double, py::array::c_style | py::array::forcecast>(array);
        requireFinite(doubles.data(), std::int64_t(doubles.size()), features.cols, name);
        py::array_t<float> floats({py::ssize_t(features.rows), py::ssize_t(features.cols)});
        narrowFeatures(doubles.data(), size_t(doubles.size()), floats.mutable_data());
        features.view = floats.data();
        *keepAlive = std::move(floats);
        return features;
    }
    // C-contiguous float32 is read in place (NumPy hands back the same array); anything else (Fortran order,
    // a strided slice, integers) is converted once.
    auto floats = py::array_t<float, py::array::c_style | py::array::forcecast>(array);
    features.view = floats.data();
    requireFinite(features.view, std::int64_t(features.size()), features.cols, name);
    *keepAlive = std::move(floats);
    return features;
}

namespace {

// The first bad row's message; called only once a row is known to be bad.
[[noreturn]] void throwBadTriplet(std::int64_t row, const std::int64_t ijk[3], std::int64_t objects)
{
    for (int c = 0; c < 3; ++c)
        if (ijk[c] < 0 || ijk[c] >= objects)
            throw py::value_error("triplets: row " + std::to_string(row) + " has index " +
                                  std::to_string(ijk[c]) + ", outside the " + std::to_string(objects) +
                                  " objects (0.." + std::to_string(objects - 1) + ")");
    throw py::value_error("triplets: row " + std::to_string(row) + " repeats an object");
}

// Checked and narrowed in one pass without branches, on every OpenMP thread (4.7 M triplets: a tenth of an
// odd-one-out call when done row by row on one).
template <class Index>
TripletSet convertTriplets(const Index* source, std::int64_t rows, std::int64_t objects)
{
    TripletSet triplets;
    triplets.origin = "triplets";
    reserveOnHugePages(triplets.indices, size_t(3 * rows));
    triplets.indices.resize(size_t(3 * rows));
    std::int32_t* out = triplets.indices.data();
    // Three objects in range and distinct, without a branch (one bit per condition).
    auto rowValid = [objects](std::int64_t i, std::int64_t j, std::int64_t k) {
        return bool((std::uint64_t(i) < std::uint64_t(objects)) &
                    (std::uint64_t(j) < std::uint64_t(objects)) &
                    (std::uint64_t(k) < std::uint64_t(objects)) & (i != j) & (i != k) & (j != k));
    };
    bool valid = true;
#pragma omp parallel for reduction(&& : valid) schedule(static)
    for (std::int64_t t = 0; t < rows; ++t) {
        const std::int64_t i = std::int64_t(source[3 * t]), j = std::int64_t(source[3 * t + 1]),
                           k = std::int64_t(source[3 * t + 2]);
        valid = valid && rowValid(i, j, k);
        out[3 * t] = std::int32_t(i);
        out[3 * t + 1] = std::int32_t(j);
        out[3 * t + 2] = std::int32_t(k);
    }
    if (!valid)
        for (std::int64_t t = 0; t < rows; ++t) {
            const std::int64_t ijk[3] = {std::int64_t(source[3 * t]), std::int64_t(source[3 * t + 1]),
                                         std::int64_t(source[3 * t + 2])};
            if (!rowValid(ijk[0], ijk[1], ijk[2])) throwBadTriplet(t, ijk, objects);
        }
    return triplets;
}

} // namespace

TripletSet tripletsFrom(const py::handle& object, std::int64_t objects)
{
    py::array array = asArray(object, "triplets");
    requireMatrix(array, "triplets");
    if (array.shape(1) != 3)
        throw py::value_error("triplets must have 3 columns (i, j, k with k the human's odd one out); got " +
                              std::to_string(array.shape(1)));
    if (array.dtype().kind() != 'i' && array.dtype().kind() != 'u')
        throw py::type_error("triplets must be an integer array (object indices)");
    // int32 and int64 C-contiguous arrays are read in place; other integer types through an int64 copy.
    if (py::isinstance<py::array_t<std::int32_t>>(array) && (array.flags() & py::array::c_style))
        return convertTriplets(static_cast<const std::int32_t*>(array.data()), array.shape(0), objects);
    const auto indices = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>(array);
    return convertTriplets(indices.data(), indices.shape(0), objects);
}

ConceptSpace conceptsFrom(const py::handle& object)
{
    py::array array = asArray(object, "concepts");
    requireMatrix(array, "concepts");
    const auto values = py::array_t<float, py::array::c_style | py::array::forcecast>(array);
    ConceptSpace concepts;
    concepts.n = values.shape(0);
    concepts.d = values.shape(1);
    concepts.values.assign(values.data(), values.data() + values.size());
    concepts.origin = "concepts";
    return concepts;
}

namespace {

template <class Value> BasicCondensedMatrix<Value> condensedFrom(const py::handle& object, const char* name)
{
    py::array array = asArray(object, name);
    const auto values = py::array_t<Value, py::array::c_style | py::array::forcecast>(array);
    if (values.ndim() == 1) {
        // Condensed (scipy.spatial.distance.squareform): n(n-1)/2 values.
        const auto pairs = std::int64_t(values.size());
        const auto n = std::int64_t(std::llround((1 + std::sqrt(1 + 8.0 * double(pairs))) / 2));
        if (BasicCondensedMatrix<Value>::pairCount(n) != pairs || n < 2)
            throw py::value_error(std::string(name) + ": " + std::to_string(pairs) +
                                  " values are not the n(n-1)/2 pairs of any n");
        return {n, std::vector<Value>(values.data(), values.data() + values.size())};
    }
    if (values.ndim() != 2 || values.shape(0) != values.shape(1))
        throw py::value_error(std::string(name) + " must be a square n×n matrix or a condensed vector");
    const std::int64_t n = values.shape(0);
    std::vector<Value> square(values.data(), values.data() + values.size());
    return take(condense(square, n, SimilarityMatrix::Kind::Dissimilarity, name));
}

} // namespace

bool holdsFloat64(const py::handle& object)
{
    return py::isinstance<py::array>(object)
               ? py::reinterpret_borrow<py::array>(object).itemsize() == 8 &&
                     py::reinterpret_borrow<py::array>(object).dtype().kind() == 'f'
               : py::isinstance<py::sequence>(object);
}

CondensedMatrix rdmFrom(const py::handle& object, const char* name)
{
    return condensedFrom<float>(object, name);
}

CondensedMatrix64 rdm64From(const py::handle& object, const char* name)
{
    return condensedFrom<double>(object, name);
}

template <typename T> py::array_t<T> matrixArray(std::vector<T> values, std::int64_t rows, std::int64_t cols)
{
    auto* owner = new std::vector<T>(std::move(values));
    py::capsule free(owner, [](void* pointer) { delete static_cast<std::vector<T>*>(pointer); });
    return py::array_t<T>({py::ssize_t(rows), py::ssize_t(cols)}, owner->data(), free);
}
template py::array_t<float> matrixArray(std::vector<float>, std::int64_t, std::int64_t);
template py::array_t<double> matrixArray(std::vector<double>, std::int64_t, std::int64_t);

py::array_t<float> squareArray(const CondensedMatrix& rdm)
{
    std::vector<float> square(size_t(rdm.n * rdm.n), 0.0f);
    for (std::int64_t i = 0; i < rdm.n; ++i)
        for (std::int64_t j = i + 1; j < rdm.n; ++j)
            square[size_t(i * rdm.n + j)] = square[size_t(j * rdm.n + i)] = rdm.at(i, j);
    return matrixArray(std::move(square), rdm.n, rdm.n);
}

} // namespace alignscope::python
