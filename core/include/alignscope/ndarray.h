#pragma once
// A dense 1-D or 2-D (or higher, for stacks) numeric array as read from a file.

#include "alignscope/result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace alignscope {

// Storage class after reading: every numeric file dtype is widened to one of these without loss
// (f2 becomes float32; u8 values above INT64_MAX are rejected by readers). Text arrays (NumPy U/S dtypes,
// MATLAB char cells, HDF5 strings) are String, UTF-8.
enum class ElementKind
{
    Float32,
    Float64,
    Int64,
    String
};

const char* elementKindName(ElementKind kind);

// Row-major (C order) array. Exactly one of f32/f64/i64/str holds the elements, per `kind`.
struct NdArray
{
    std::vector<std::int64_t> shape;
    ElementKind kind = ElementKind::Float64;
    std::string sourceDtype; // the dtype as the file declared it, e.g. "<f4", "int32", "double"
    std::vector<float> f32;
    std::vector<double> f64;
    std::vector<std::int64_t> i64;
    std::vector<std::string> str;

    bool isNumeric() const { return kind != ElementKind::String; }

    std::int64_t elementCount() const;
    std::int64_t rows() const { return shape.empty() ? 1 : shape[0]; }
    // Columns of a 2-D array; 1 for 1-D.
    std::int64_t cols() const { return shape.size() >= 2 ? shape[1] : 1; }
    std::string shapeString() const; // "(1854, 42)"

    double valueAt(std::int64_t flatIndex) const; // NaN for String arrays
    // Copies converted to one type; integers convert exactly only up to 2^24 (float) or 2^53 (double).
    std::vector<float> toFloat32() const;
    // toFloat32() that moves a float32 array's values out instead of copying them.
    std::vector<float> takeFloat32();
    // toFloat32() and takeFloat32() for features: float64 values go through narrowFeatures (see there).
    std::vector<float> toFeatureFloat32() const;
    std::vector<float> takeFeatureFloat32();
    std::vector<double> toFloat64() const;
    // Fails when a value is not an integer (e.g. 1.5) or a floating value is out of range.
    Result<std::vector<std::int64_t>> toInt64(const std::string& fileForErrors) const;
};

// float64 features narrowed to float32 for the analyses. When the largest finite magnitude lies outside
// [2^-64, 2^64] every value is first scaled by one power of two (exact), to a largest magnitude in [1, 2):
// values below float32's range are then not flushed to zero (1e-45 would tie every choice) and finite values
// above it do not become inf (1e39). The similarities' order, every odd-one-out choice, RDM correlation and
// CKA are unchanged by such a factor; distances and dot products come out in the scaled units. Non-finite
// values stay non-finite. Returns the exponent applied (0 when none). Used by every path that narrows
// features.
int narrowFeatures(const double* values, size_t count, float* out);
// The rows `rowFor` of a 2-D float64 array, scaled by the power of two narrowFeatures applies to it (for
// FeatureMatrix::exact); null for arrays of other kinds.
std::shared_ptr<const std::vector<double>> exactFeatureRows(const NdArray& array,
                                                            const std::vector<std::int64_t>& rowFor);

// Product of dimensions, or -1 when it would overflow `limit` (guards allocations from corrupt headers).
std::int64_t checkedElementCount(const std::vector<std::int64_t>& shape, std::int64_t limit);

} // namespace alignscope
