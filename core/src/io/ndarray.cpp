#include "alignscope/ndarray.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

namespace alignscope {

const char* elementKindName(ElementKind kind)
{
    switch (kind) {
    case ElementKind::Float32:
        return "float32";
    case ElementKind::Float64:
        return "float64";
    case ElementKind::Int64:
        return "int64";
    case ElementKind::String:
        return "string";
    }
    return "?";
}

std::int64_t checkedElementCount(const std::vector<std::int64_t>& shape, std::int64_t limit)
{
    std::int64_t count = 1;
    for (std::int64_t dim : shape) {
        if (dim < 0) return -1;
        if (dim != 0 && count > limit / dim) return -1;
        count *= dim;
    }
    return count <= limit ? count : -1;
}

std::int64_t NdArray::elementCount() const
{
    return checkedElementCount(shape, std::numeric_limits<std::int64_t>::max());
}

std::string NdArray::shapeString() const
{
    std::string out = "(";
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i) out += ", ";
        out += std::to_string(shape[i]);
    }
    if (shape.size() == 1) out += ",";
    return out + ")";
}

double NdArray::valueAt(std::int64_t flatIndex) const
{
    switch (kind) {
    case ElementKind::Float32:
        return f32[static_cast<size_t>(flatIndex)];
    case ElementKind::Float64:
        return f64[static_cast<size_t>(flatIndex)];
    case ElementKind::Int64:
        return static_cast<double>(i64[static_cast<size_t>(flatIndex)]);
    case ElementKind::String:
        break;
    }
    return std::numeric_limits<double>::quiet_NaN();
}

std::vector<float> NdArray::toFloat32() const
{
    if (kind == ElementKind::Float32) return f32;
    std::vector<float> out(static_cast<size_t>(elementCount()));
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<float>(valueAt(static_cast<std::int64_t>(i)));
    return out;
}

std::vector<float> NdArray::takeFloat32()
{
    if (kind == ElementKind::Float32) return std::move(f32);
    return toFloat32();
}

namespace {

int featureExponent(const double* values, size_t count)
{
    double largest = 0;
    for (size_t i = 0; i < count; ++i)
        if (std::isfinite(values[i])) largest = std::max(largest, std::fabs(values[i]));
    return largest > 0 && (largest > 0x1p64 || largest < 0x1p-64) ? -std::ilogb(largest) : 0;
}

} // namespace

std::shared_ptr<const std::vector<double>> exactFeatureRows(const NdArray& array,
                                                            const std::vector<std::int64_t>& rowFor)
{
    if (array.kind != ElementKind::Float64 || array.shape.size() != 2) return nullptr;
    const int exponent = featureExponent(array.f64.data(), array.f64.size());
    const std::int64_t cols = array.cols();
    auto rows = std::make_shared<std::vector<double>>(rowFor.size() * size_t(cols));
    for (size_t r = 0; r < rowFor.size(); ++r) {
        const double* from = array.f64.data() + rowFor[r] * cols;
        double* to = rows->data() + std::int64_t(r) * cols;
        for (std::int64_t c = 0; c < cols; ++c)
            to[c] = exponent == 0 ? from[c] : std::ldexp(from[c], exponent);
    }
    return rows;
}

int narrowFeatures(const double* values, size_t count, float* out)
{
    const int exponent = featureExponent(values, count);
    for (size_t i = 0; i < count; ++i)
        out[i] = static_cast<float>(exponent == 0 ? values[i] : std::ldexp(values[i], exponent));
    return exponent;
}

std::vector<float> NdArray::toFeatureFloat32() const
{
    if (kind != ElementKind::Float64) return toFloat32();
    std::vector<float> out(f64.size());
    narrowFeatures(f64.data(), f64.size(), out.data());
    return out;
}

std::vector<float> NdArray::takeFeatureFloat32()
{
    if (kind != ElementKind::Float64) return takeFloat32();
    return toFeatureFloat32();
}

std::vector<double> NdArray::toFloat64() const
{
    if (kind == ElementKind::Float64) return f64;
    std::vector<double> out(static_cast<size_t>(elementCount()));
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = valueAt(static_cast<std::int64_t>(i));
    return out;
}

Result<std::vector<std::int64_t>> NdArray::toInt64(const std::string& fileForErrors) const
{
    if (kind == ElementKind::Int64) return i64;
    if (kind == ElementKind::String) return makeError(fileForErrors, "", "expected numbers, found text");
    std::vector<std::int64_t> out(static_cast<size_t>(elementCount()));
    for (size_t i = 0; i < out.size(); ++i) {
        const double value = valueAt(static_cast<std::int64_t>(i));
        if (!std::isfinite(value) || value != std::floor(value) || std::fabs(value) > 9.0e15)
            return makeError(fileForErrors, "element " + std::to_string(i),
                             "expected an integer, found " + std::to_string(value));
        out[i] = static_cast<std::int64_t>(value);
    }
    return out;
}

} // namespace alignscope
