// Pairwise similarity: BLAS on the CPU, or on CUDA through the model module when asked for.
#include "alignscope/odd_one_out.h"

#include "blas.h"
#include "model_module.h"
#include "parallel_for.h"
#include "unit_rows.h"

#include <algorithm>
#include <atomic>
#include <cmath>

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
    case SimilarityKind::Cosine:
        return "cosine";
    case SimilarityKind::Dot:
        return "dot";
    case SimilarityKind::Euclidean:
        return "euclidean";
    case SimilarityKind::Correlation:
        return "correlation";
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

const char* computeDeviceName(ComputeDevice device)
{
    switch (device) {
    case ComputeDevice::Cpu:
        return "cpu";
    case ComputeDevice::Cuda:
        return "cuda";
    case ComputeDevice::Auto:
        break;
    }
    return "auto";
}

namespace {

// Copies the upper triangle of a row-major n×n matrix into its lower triangle, tile by tile so that
// both the reads and the strided writes stay in cache.
void mirrorUpperTriangle(float* values, std::int64_t n)
{
    constexpr std::int64_t kTile = 64;
    const std::int64_t tiles = (n + kTile - 1) / kTile;
    parallelFor(tiles, 1, [&](std::int64_t beginTile, std::int64_t endTile) {
        for (std::int64_t tileRow = beginTile; tileRow < endTile; ++tileRow)
            for (std::int64_t tileColumn = tileRow; tileColumn < tiles; ++tileColumn)
                for (std::int64_t a = tileRow * kTile; a < std::min(n, (tileRow + 1) * kTile); ++a)
                    for (std::int64_t b = std::max(a + 1, tileColumn * kTile);
                         b < std::min(n, (tileColumn + 1) * kTile); ++b)
                        values[b * n + a] = values[a * n + b];
    });
}

} // namespace

Result<PairwiseSimilarity> computeSimilarity(const FeatureMatrix& features, SimilarityKind kind,
                                             ComputeDevice device, const TaskContext& context)
{
    const std::int64_t n = features.rows;
    const std::int64_t p = features.cols;
    if (n == 0 || p == 0) return makeError(features.origin, "", "empty feature matrix");
    // Auto stays on the CPU: at these sizes BLAS takes about as long as the transfer, and the analysis then
    // never loads LibTorch. CUDA is used when asked for.
    const detail::ModelModuleApi* cuda = nullptr;
    if (device == ComputeDevice::Cuda) {
        auto module = detail::modelModule(features.origin);
        if (!module) return module.error();
        if (!(*module)->cudaAvailable())
            return makeError(features.origin, "", "CUDA was requested but no CUDA device is available");
        cuda = *module;
    }
    const bool useCuda = cuda != nullptr;
    PairwiseSimilarity out;
    out.n = n;
    out.kind = kind;
    out.features = &features;
    out.device = useCuda ? "cuda" : "cpu";
    // Exact per-row statistics in float64: for refining near-ties, for scaling, and for the error bound.
    out.rowScale.resize(size_t(n));
    if (kind == SimilarityKind::Correlation) out.rowMean.resize(size_t(n));
    std::vector<double> squaredNorms(static_cast<size_t>(n));
    parallelFor(n, 64, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t r = begin; r < end; ++r) {
            const float* x = features.row(r);
            double mean = 0, squares = 0;
            if (kind == SimilarityKind::Correlation) {
                for (std::int64_t c = 0; c < p; ++c)
                    mean += x[c];
                mean /= double(p);
                out.rowMean[size_t(r)] = mean;
            }
            double partial[4] = {0, 0, 0, 0}; // independent sums vectorise
            std::int64_t c = 0;
            for (; c + 4 <= p; c += 4)
                for (int lane = 0; lane < 4; ++lane)
                    partial[lane] += (x[c + lane] - mean) * (x[c + lane] - mean);
            squares = (partial[0] + partial[1]) + (partial[2] + partial[3]);
            for (; c < p; ++c)
                squares += (x[c] - mean) * (x[c] - mean);
            squaredNorms[size_t(r)] = squares;
            out.rowScale[size_t(r)] = kind == SimilarityKind::Euclidean ? squares
                                      : kind == SimilarityKind::Dot     ? 1.0
                                                                        : 1.0 / std::sqrt(squares);
        }
    });
    const bool normalised = kind == SimilarityKind::Cosine || kind == SimilarityKind::Correlation;
    for (std::int64_t r = 0; normalised && r < n; ++r) {
        if (squaredNorms[size_t(r)] > 0) continue;
        const std::string id =
            r < std::int64_t(features.rowIds.size()) ? features.rowIds[size_t(r)] : std::to_string(r);
        return makeError(features.origin, "object '" + id + "'",
                         std::string("feature row has zero norm") +
                             (kind == SimilarityKind::Correlation ? " after centring" : "") + "; " +
                             similarityName(kind) + " similarity is undefined");
    }
    // Features far from unit scale would under- or overflow in the float32 products (values near 1e-30 give
    // 0·inf = NaN for cosine, near 1e19 give inf). Scaling by powers of two is exact and leaves every choice
    // unchanged: per row for cosine and correlation (both invariant to it), by one factor for dot and
    // euclidean (values scaled, order kept).
    std::vector<float> scaledCopy;
    std::vector<int> rowExponent;
    int globalExponent = 0;
    {
        std::vector<float> rowMax(static_cast<size_t>(n), 0.0f);
        parallelFor(n, 64, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t r = begin; r < end; ++r) {
                const float* x = features.row(r);
                float m = 0;
                for (std::int64_t c = 0; c < p; ++c)
                    m = std::max(m, std::fabs(x[c]));
                rowMax[size_t(r)] = m;
            }
        });
        auto outside = [](float v) { return v > 0 && (v > 0x1p30f || v < 0x1p-30f); };
        const bool perRow = kind == SimilarityKind::Cosine || kind == SimilarityKind::Correlation;
        const float globalMax = *std::max_element(rowMax.begin(), rowMax.end());
        const bool rescale = perRow ? std::any_of(rowMax.begin(), rowMax.end(), outside) : outside(globalMax);
        if (rescale) {
            scaledCopy.resize(features.size());
            rowExponent.assign(size_t(n), 0);
            if (!perRow) globalExponent = -std::ilogb(globalMax);
            for (std::int64_t r = 0; r < n; ++r) {
                const int e =
                    perRow ? (rowMax[size_t(r)] > 0 ? -std::ilogb(rowMax[size_t(r)]) : 0) : globalExponent;
                rowExponent[size_t(r)] = e;
                const float* x = features.row(r);
                float* y = scaledCopy.data() + r * p;
                for (std::int64_t c = 0; c < p; ++c)
                    y[c] = std::ldexp(x[c], e);
            }
            out.valueScale = kind == SimilarityKind::Dot         ? std::ldexp(1.0, -2 * globalExponent)
                             : kind == SimilarityKind::Euclidean ? std::ldexp(1.0, -globalExponent)
                                                                 : 1.0;
        }
    }
    // Squared norms in the units of the Gram matrix.
    auto gramSquaredNorm = [&](std::int64_t r) {
        return rowExponent.empty() ? squaredNorms[size_t(r)]
                                   : std::ldexp(squaredNorms[size_t(r)], 2 * rowExponent[size_t(r)]);
    };
    double maxSquaredNorm = 0;
    for (std::int64_t r = 0; r < n; ++r)
        maxSquaredNorm = std::max(maxSquaredNorm, gramSquaredNorm(r));
    // Rounding bound of a float32 dot product of length p. The worst case (Higham: p·u·Σ|x||y|) is
    // hundreds of times the real error of blocked sgemm; the probabilistic bound λ·√p·u·Σ|x||y|
    // (Higham & Mary 2019) with λ = 10 fails with probability below 1e-21 per product. Scaling and
    // centring add a few u. For euclidean the bound applies to squared distances (see choices).
    const double unitRoundoff = 5.97e-8;
    const double dotBound = (10.0 * std::sqrt(double(p)) + 8.0) * unitRoundoff;
    switch (kind) {
    case SimilarityKind::Dot:
        out.tolerance = float(dotBound * maxSquaredNorm);
        break;
    case SimilarityKind::Cosine:
    case SimilarityKind::Correlation:
        out.tolerance = float(dotBound);
        break;
    case SimilarityKind::Euclidean:
        out.tolerance = float(4 * dotBound * maxSquaredNorm);
        break;
    }
    context.report(0.0, "similarity");
    const float* gramInput = scaledCopy.empty() ? features.data() : scaledCopy.data();
    // Correlation needs the centred copy for accuracy; cosine scales the Gram matrix afterwards instead
    // of normalising a copy of the features (same rounding bound, no n×p temporary).
    std::vector<float> centred; // zero-norm rows were refused above
    if (kind == SimilarityKind::Correlation) {
        detail::unitRows(gramInput, n, p, true, centred);
        gramInput = centred.data();
    }
    if (context.cancelled()) return makeError(features.origin, "", "cancelled");
    out.values.resize(size_t(n * n));
    if (useCuda) {
        auto gram = cuda->gramOnCuda(gramInput, n, p, out.values.data(), features.origin);
        if (!gram) return gram.error();
    } else {
        // The Gram matrix is symmetric: compute the upper triangle in row blocks (about 53% of the flops
        // for 16 blocks) straight into the result, so there is no n×n temporary. The blocks are shared out
        // over OpenMP's threads, largest first, each a single-threaded product: OpenBLAS's own workers
        // spin for a while after every call (2^28 cycles unless OPENBLAS_THREAD_TIMEOUT was set before it
        // started, which a Python process that imported numpy has done already), and took a core from the
        // choices and the repeat grouping that follow (in Python, ~20% of a whole odd-one-out call).
        const std::int64_t blocks = std::min<std::int64_t>(16, n);
        std::atomic<bool> stopped{false};
        const blas::SingleThreadedProducts oneThreadEach;
#pragma omp parallel for schedule(dynamic, 1)
        for (std::int64_t block = 0; block < blocks; ++block) {
            const std::int64_t begin = n * block / blocks, end = n * (block + 1) / blocks;
            if (end <= begin || stopped) continue;
            blas::productWithTranspose(end - begin, n - begin, p, gramInput + begin * p, p,
                                       gramInput + begin * p, p, out.values.data() + begin * n + begin, n);
            if (context.cancelled()) stopped = true;
        }
        if (stopped) return makeError(features.origin, "", "cancelled");
    }
    std::vector<float>().swap(scaledCopy);
    // 1/norm of the rows the Gram matrix was computed from.
    std::vector<double> gramRowScale(out.rowScale);
    for (size_t r = 0; r < rowExponent.size() && kind == SimilarityKind::Cosine; ++r)
        gramRowScale[r] = std::ldexp(out.rowScale[r], -rowExponent[r]);
    if (kind == SimilarityKind::Cosine || kind == SimilarityKind::Euclidean) {
        parallelFor(n, 16, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t a = begin; a < end; ++a) {
                float* row = out.values.data() + a * n;
                if (kind == SimilarityKind::Cosine) {
                    const float scaleA = float(gramRowScale[size_t(a)]);
                    for (std::int64_t b = a; b < n; ++b)
                        row[b] *= scaleA * float(gramRowScale[size_t(b)]);
                } else {
                    const double sqA = gramSquaredNorm(a);
                    for (std::int64_t b = a; b < n; ++b)
                        row[b] = -std::sqrt(std::max(float(sqA + gramSquaredNorm(b)) - 2 * row[b], 0.0f));
                }
            }
        });
    }
    mirrorUpperTriangle(out.values.data(), n);
    // A non-finite entry must never decide a choice: fall back to exact float64 values for every triplet.
    std::atomic<bool> nonFinite{false};
    parallelFor(n, 64, [&](std::int64_t begin, std::int64_t end) {
        bool found = false;
        for (std::int64_t i = begin * n; i < end * n; ++i)
            found |= !std::isfinite(out.values[size_t(i)]);
        if (found) nonFinite = true;
    });
    out.exactOnly = nonFinite;
    context.report(1.0, "similarity");
    return out;
}

} // namespace alignscope
