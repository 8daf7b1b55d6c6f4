// Pairwise similarity on CPU or CUDA through LibTorch (kept out of every header).
#include "alignscope/odd_one_out.h"

#include <ATen/ATen.h>
#include <torch/cuda.h>

namespace alignscope {

Result<SimilarityKind> parseSimilarityKind(const std::string& name)
{
    if (name == "cosine") return SimilarityKind::Cosine;
    if (name == "dot") return SimilarityKind::Dot;
    if (name == "euclidean") return SimilarityKind::Euclidean;
    if (name == "correlation") return SimilarityKind::Correlation;
    return makeError("", "", "unknown similarity '" + name + "' (cosine, dot, euclidean, correlation)");
}

const char* similarityName(SimilarityKind kind)
{
    switch (kind) {
    case SimilarityKind::Cosine: return "cosine";
    case SimilarityKind::Dot: return "dot";
    case SimilarityKind::Euclidean: return "euclidean";
    case SimilarityKind::Correlation: return "correlation";
    }
    return "?";
}

Result<ComputeDevice> parseComputeDevice(const std::string& name)
{
    if (name == "auto") return ComputeDevice::Auto;
    if (name == "cpu") return ComputeDevice::Cpu;
    if (name == "cuda") return ComputeDevice::Cuda;
    return makeError("", "", "unknown device '" + name + "' (auto, cpu, cuda)");
}

Result<PairwiseSimilarity> computeSimilarity(const FeatureMatrix& features, SimilarityKind kind,
                                             ComputeDevice device, const TaskContext& context)
{
    const std::int64_t n = features.rows;
    const std::int64_t p = features.cols;
    if (n == 0 || p == 0) return makeError(features.origin, "", "empty feature matrix");
    const bool cudaAvailable = torch::cuda::is_available();
    if (device == ComputeDevice::Cuda && !cudaAvailable)
        return makeError(features.origin, "", "CUDA was requested but no CUDA device is available");
    const bool useCuda = device == ComputeDevice::Cuda || (device == ComputeDevice::Auto && cudaAvailable);
    PairwiseSimilarity out;
    out.n = n;
    out.kind = kind;
    out.features = &features;
    out.device = useCuda ? "cuda" : "cpu";
    // Exact per-row statistics in float64, for refining near-ties and for the error bound.
    double maxSquaredNorm = 0;
    out.rowScale.resize(size_t(n));
    if (kind == SimilarityKind::Correlation) out.rowMean.resize(size_t(n));
    for (std::int64_t r = 0; r < n; ++r) {
        const float* x = features.row(r);
        double mean = 0, squares = 0;
        if (kind == SimilarityKind::Correlation) {
            for (std::int64_t c = 0; c < p; ++c) mean += x[c];
            mean /= double(p);
            out.rowMean[size_t(r)] = mean;
        }
        for (std::int64_t c = 0; c < p; ++c) squares += (x[c] - mean) * (x[c] - mean);
        maxSquaredNorm = std::max(maxSquaredNorm, squares);
        if ((kind == SimilarityKind::Cosine || kind == SimilarityKind::Correlation) && squares == 0) {
            const std::string id = r < std::int64_t(features.rowIds.size()) ? features.rowIds[size_t(r)] : std::to_string(r);
            return makeError(features.origin, "object '" + id + "'",
                             std::string("feature row has zero norm") +
                                 (kind == SimilarityKind::Correlation ? " after centring" : "") + "; " +
                                 similarityName(kind) + " similarity is undefined");
        }
        out.rowScale[size_t(r)] = kind == SimilarityKind::Euclidean ? squares
                                  : kind == SimilarityKind::Dot      ? 1.0
                                                                     : 1.0 / std::sqrt(squares);
    }
    // Rounding bound of a float32 dot product of length p (Higham: p·u·Σ|x||y|), with slack for
    // normalisation; euclidean takes a square root of a difference, which turns e into sqrt(e).
    const double unitRoundoff = 5.97e-8;
    const double dotBound = double(p + 8) * unitRoundoff;
    switch (kind) {
    case SimilarityKind::Dot: out.tolerance = float(2 * dotBound * maxSquaredNorm); break;
    case SimilarityKind::Cosine:
    case SimilarityKind::Correlation: out.tolerance = float(2 * dotBound); break;
    case SimilarityKind::Euclidean: out.tolerance = float(std::sqrt(8 * dotBound * maxSquaredNorm)); break;
    }
    try {
        context.report(0.0, "similarity");
        at::Tensor x = at::from_blob(const_cast<float*>(features.values.data()), {n, p}, at::kFloat);
        if (useCuda) x = x.to(at::kCUDA);
        if (kind == SimilarityKind::Correlation) x = x - x.mean(1, true);
        at::Tensor s;
        if (kind == SimilarityKind::Cosine || kind == SimilarityKind::Correlation) {
            x = x / x.norm(2, {1}, true);
            s = at::mm(x, x.t());
        } else if (kind == SimilarityKind::Dot) {
            s = at::mm(x, x.t());
        } else {
            at::Tensor squared = (x * x).sum(1);
            s = at::mm(x, x.t()).mul_(-2).add_(squared.unsqueeze(1)).add_(squared.unsqueeze(0)).clamp_min_(0).sqrt_().neg_();
        }
        x = at::Tensor(); // release the normalised copy before the host copy of s
        if (context.cancelled()) return makeError(features.origin, "", "cancelled");
        out.values.resize(size_t(n * n));
        at::Tensor host = at::from_blob(out.values.data(), {n, n}, at::kFloat);
        host.copy_(s);
        context.report(1.0, "similarity");
        return out;
    } catch (const std::exception& error) {
        std::string reason = error.what();
        return makeError(features.origin, "", "similarity computation failed: " + reason.substr(0, reason.find('\n')));
    }
}

} // namespace alignscope
