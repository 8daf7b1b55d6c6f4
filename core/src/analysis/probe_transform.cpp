// Applying, saving and loading a learned probe transform: plain BLAS, so that using a transform never loads
// the model module (training it does, see models/probe.cpp).
#include "alignscope/probe.h"

#include "alignscope/npy.h"
#include "alignscope/npz.h"

#include "blas.h"

namespace alignscope {

Result<FeatureMatrix> applyTransform(const ProbeTransform& transform, const FeatureMatrix& features)
{
    if (features.cols != transform.inputDims)
        return makeError(features.origin, "",
                         std::to_string(features.cols) + " features, the transform expects " +
                             std::to_string(transform.inputDims));
    FeatureMatrix out;
    out.rows = features.rows;
    out.cols = transform.outputDims;
    out.rowIds = features.rowIds;
    out.origin = features.origin + " (transformed)";
    if (transform.weights.size() != size_t(transform.inputDims * transform.outputDims))
        return makeError(features.origin, "",
                         "the transform's weights do not have inputDims × outputDims values");
    // In float64 as the probe trained them: standardise, multiply, add the bias, then round once to float32.
    const std::int64_t n = features.rows, p = features.cols, q = transform.outputDims;
    std::vector<double> x(features.size()), w(transform.weights.begin(), transform.weights.end()),
        z(size_t(n * q));
    for (size_t i = 0; i < x.size(); ++i)
        x[i] = (double(features.data()[i]) - transform.mean) / transform.std;
    blas::product(n, q, p, x.data(), w.data(), z.data());
    out.values.resize(z.size());
    for (std::int64_t r = 0; r < n; ++r)
        for (std::int64_t c = 0; c < q; ++c)
            out.values[size_t(r * q + c)] = float(
                z[size_t(r * q + c)] + (transform.bias.empty() ? 0.0 : double(transform.bias[size_t(c)])));
    return out;
}

Status saveTransform(const std::string& path, const ProbeTransform& transform)
{
    std::map<std::string, NdArray> arrays;
    arrays["weights"] = makeFloat32Array({transform.inputDims, transform.outputDims}, transform.weights);
    if (!transform.bias.empty()) arrays["bias"] = makeFloat32Array({transform.outputDims}, transform.bias);
    NdArray mean, sd;
    mean.kind = sd.kind = ElementKind::Float64;
    mean.shape = sd.shape = {}; // 0-d scalars, as numpy.savez writes floats
    mean.f64 = {transform.mean};
    sd.f64 = {transform.std};
    arrays["mean"] = mean;
    arrays["std"] = sd;
    return writeNpz(path, arrays);
}

Result<ProbeTransform> loadTransform(const std::string& path)
{
    auto arrays = readNpz(path);
    if (!arrays) return arrays.error();
    auto get = [&](const char* key) -> const NdArray* {
        auto it = arrays->find(key);
        return it == arrays->end() || !it->second.isNumeric() ? nullptr : &it->second;
    };
    const NdArray* weights = get("weights");
    if (!weights || weights->shape.size() != 2) return makeError(path, "", "no 2-D 'weights' array");
    ProbeTransform transform;
    transform.inputDims = weights->shape[0];
    transform.outputDims = weights->shape[1];
    transform.weights = weights->toFloat32();
    if (const NdArray* bias = get("bias")) {
        if (bias->elementCount() != transform.outputDims)
            return makeError(path, "bias", "length does not match the weights' columns");
        transform.bias = bias->toFloat32();
    }
    // gLocal files may store mean/std as scalars or as arrays broadcast over features; scalars are used here.
    for (auto [key, target] : {std::pair{"mean", &transform.mean}, std::pair{"std", &transform.std}}) {
        const NdArray* value = get(key);
        if (!value) continue;
        if (value->elementCount() != 1)
            return makeError(path, key, "per-feature statistics are not supported; expected one scalar");
        *target = value->valueAt(0);
    }
    if (!(transform.std > 0)) return makeError(path, "std", "must be positive");
    return transform;
}

} // namespace alignscope
