// Linear probe training. LibTorch stays in this file. The full-batch objective is evaluated through the
// n×n Gram matrix of the transformed features with hand-written gradients and preallocated buffers: no
// temporary of size triplets × features, and no allocation per step.
#include "alignscope/probe.h"
#include "torch_backend.h"

#include "torch_error.h"

#include "compute_device.h"

#include "alignscope/npy.h"
#include "alignscope/npz.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <dlfcn.h>
#include <memory>
#include <numeric>
#include <random>
#include <torch/optim/adam.h>
#include <torch/optim/lbfgs.h>
#include <unordered_map>

namespace alignscope::torch_backend {

namespace {

// Softmax cross-entropy of the kept pair over the three pair dot products, averaged over triplets, with
// its gradient. Two exact evaluations of the same objective: through the n×n Gram matrix (BLAS; best when
// triplets outnumber object pairs, and on CUDA), or pair by pair with the gradient as (Xᵀ(S X)) W for the
// sparse S = dL/dG (best when n² p exceeds 9 T p, e.g. 1,854 objects and 40 k triplets).
class Objective
{
public:
    virtual ~Objective() = default;
    virtual std::int64_t size() const = 0;
    // Mean loss (without the penalty); with `gradW`, also its gradient (and the bias's, when asked).
    virtual double evaluate(const at::Tensor& w, const at::Tensor& b, at::Tensor* gradW,
                            at::Tensor* gradB) = 0;
    // Odd-one-out accuracy of Z = X W + b with dot products (ties count as wrong).
    virtual double accuracy(const at::Tensor& w, const at::Tensor& b) = 0;
};

class GramObjective : public Objective
{
public:
    GramObjective(const at::Tensor& x, const std::vector<std::int32_t>& indices, std::int64_t outputDims)
        : m_x(x), m_count(std::int64_t(indices.size() / 3))
    {
        const auto options = at::TensorOptions().dtype(at::kLong);
        std::vector<std::int64_t> columns[3];
        for (size_t t = 0; t < indices.size() / 3; ++t)
            for (int c = 0; c < 3; ++c)
                columns[c].push_back(indices[3 * t + size_t(c)]);
        for (int c = 0; c < 3; ++c)
            m_index[c] = at::tensor(columns[c], options).to(x.device());
        const std::int64_t n = x.size(0);
        m_z = at::empty({n, outputDims}, x.options());
        m_gram = at::empty({n, n}, x.options());
        m_dGram = at::empty({n, n}, x.options());
        m_dZ = at::empty({n, outputDims}, x.options());
    }

    std::int64_t size() const override { return m_count; }

    double evaluate(const at::Tensor& w, const at::Tensor& b, at::Tensor* gradW, at::Tensor* gradB) override
    {
        at::mm_out(m_z, m_x, w);
        if (b.defined()) m_z.add_(b);
        at::mm_out(m_gram, m_z, m_z.t());
        const at::Tensor& i = m_index[0];
        const at::Tensor& j = m_index[1];
        const at::Tensor& k = m_index[2];
        at::Tensor pairs =
            at::stack({m_gram.index({i, j}), m_gram.index({i, k}), m_gram.index({j, k})}, 1); // T × 3
        at::Tensor logSoftmax = at::log_softmax(pairs, 1);
        const double loss = -logSoftmax.select(1, 0).mean().item<double>();
        if (!gradW) return loss;
        at::Tensor g = logSoftmax.exp_(); // softmax, reused in place
        g.select(1, 0).sub_(1.0);
        g.div_(double(m_count));
        m_dGram.zero_();
        m_dGram.index_put_({i, j}, g.select(1, 0), true);
        m_dGram.index_put_({i, k}, g.select(1, 1), true);
        m_dGram.index_put_({j, k}, g.select(1, 2), true);
        at::mm_out(m_dZ, m_dGram, m_z); // dL/dZ = (dG + dGᵀ) Z, in two products
        m_dZ.addmm_(m_dGram.t(), m_z);
        *gradW = at::mm(m_x.t(), m_dZ);
        if (gradB && b.defined()) *gradB = m_dZ.sum(0);
        return loss;
    }

    double accuracy(const at::Tensor& w, const at::Tensor& b) override
    {
        evaluate(w, b, nullptr, nullptr); // fills the Gram matrix
        at::Tensor pairs =
            at::stack({m_gram.index({m_index[1], m_index[2]}), m_gram.index({m_index[0], m_index[2]}),
                       m_gram.index({m_index[0], m_index[1]})},
                      1);
        const at::Tensor best = std::get<0>(pairs.max(1, true));
        const at::Tensor unique = (pairs == best).sum(1) == 1;
        const at::Tensor correct = (pairs.select(1, 2) == best.squeeze(1)).logical_and(unique);
        return correct.to(at::kDouble).mean().item<double>();
    }

private:
    at::Tensor m_x;
    std::int64_t m_count;
    at::Tensor m_index[3];
    at::Tensor m_z, m_gram, m_dGram, m_dZ;
};

// z_i·z_j, z_i·z_k, z_j·z_k with 8 independent partial sums each, so that the loop vectorises (a plain
// float reduction does not without -ffast-math).
inline void threeDots(const float* zi, const float* zj, const float* zk, std::int64_t q, float& sij,
                      float& sik, float& sjk)
{
    float a[8] = {}, b[8] = {}, c[8] = {};
    std::int64_t e = 0;
    for (; e + 8 <= q; e += 8)
        for (int lane = 0; lane < 8; ++lane) {
            a[lane] += zi[e + lane] * zj[e + lane];
            b[lane] += zi[e + lane] * zk[e + lane];
            c[lane] += zj[e + lane] * zk[e + lane];
        }
    sij = sik = sjk = 0;
    for (int lane = 0; lane < 8; ++lane)
        sij += a[lane], sik += b[lane], sjk += c[lane];
    for (; e < q; ++e)
        sij += zi[e] * zj[e], sik += zi[e] * zk[e], sjk += zj[e] * zk[e];
}

class PairwiseObjective : public Objective
{
public:
    PairwiseObjective(const at::Tensor& x, const std::vector<std::int32_t>& indices, std::int64_t outputDims)
        : m_x(x.contiguous()), m_indices(indices), m_count(std::int64_t(indices.size() / 3))
    {
        const std::int64_t n = x.size(0), p = x.size(1);
        m_z = at::empty({n, outputDims}, x.options());
        m_grad.resize(size_t(3 * m_count));
        m_threadY.assign(size_t(at::get_num_threads()), std::vector<float>(size_t(n * p)));
        m_y = at::empty({n, p}, x.options());
    }

    std::int64_t size() const override { return m_count; }

    double evaluate(const at::Tensor& w, const at::Tensor& b, at::Tensor* gradW, at::Tensor* gradB) override
    {
        at::mm_out(m_z, m_x, w);
        if (b.defined()) m_z.add_(b);
        const float* z = m_z.data_ptr<float>();
        const std::int64_t q = m_z.size(1);
        const std::int32_t* t = m_indices.data();
        std::vector<double> partial(size_t(at::get_num_threads()), 0.0);
        at::parallel_for(0, m_count, 2048, [&](std::int64_t begin, std::int64_t end) {
            double local = 0;
            for (std::int64_t r = begin; r < end; ++r) {
                const float* zi = z + std::int64_t(t[3 * r]) * q;
                const float* zj = z + std::int64_t(t[3 * r + 1]) * q;
                const float* zk = z + std::int64_t(t[3 * r + 2]) * q;
                float sij, sik, sjk;
                threeDots(zi, zj, zk, q, sij, sik, sjk);
                const float top = std::max({sij, sik, sjk});
                const double e0 = std::exp(double(sij - top)), e1 = std::exp(double(sik - top)),
                             e2 = std::exp(double(sjk - top));
                const double sum = e0 + e1 + e2;
                local += std::log(sum) - double(sij - top);
                m_grad[size_t(3 * r)] = float((e0 / sum - 1.0) / double(m_count));
                m_grad[size_t(3 * r + 1)] = float(e1 / sum / double(m_count));
                m_grad[size_t(3 * r + 2)] = float(e2 / sum / double(m_count));
            }
            partial[size_t(at::get_thread_num())] += local;
        });
        double loss = 0;
        for (double v : partial)
            loss += v;
        loss /= double(m_count);
        if (!gradW) return loss;
        // Y = S X with S = dG + dGᵀ, accumulated per thread, then dW = Xᵀ Y W.
        const float* x = m_x.data_ptr<float>();
        const std::int64_t p = m_x.size(1), n = m_x.size(0);
        for (auto& buffer : m_threadY)
            std::fill(buffer.begin(), buffer.end(), 0.0f);
        at::parallel_for(0, m_count, 2048, [&](std::int64_t begin, std::int64_t end) {
            float* y = m_threadY[size_t(at::get_thread_num())].data();
            for (std::int64_t r = begin; r < end; ++r) {
                const std::int64_t i = t[3 * r], j = t[3 * r + 1], k = t[3 * r + 2];
                const float gij = m_grad[size_t(3 * r)], gik = m_grad[size_t(3 * r + 1)],
                            gjk = m_grad[size_t(3 * r + 2)];
                // Distinct rows (i, j, k differ): telling the compiler lets it vectorise the updates.
                float* __restrict yi = y + i * p;
                float* __restrict yj = y + j * p;
                float* __restrict yk = y + k * p;
                const float* __restrict xi = x + i * p;
                const float* __restrict xj = x + j * p;
                const float* __restrict xk = x + k * p;
                for (std::int64_t c = 0; c < p; ++c) {
                    yi[c] += gij * xj[c] + gik * xk[c];
                    yj[c] += gij * xi[c] + gjk * xk[c];
                    yk[c] += gik * xi[c] + gjk * xj[c];
                }
            }
        });
        float* y = m_y.data_ptr<float>();
        at::parallel_for(0, n * p, 1 << 16, [&](std::int64_t begin, std::int64_t end) {
            std::fill(y + begin, y + end, 0.0f);
            for (const auto& buffer : m_threadY)
                for (std::int64_t e = begin; e < end; ++e)
                    y[e] += buffer[size_t(e)];
        });
        const at::Tensor m = at::mm(m_x.t(), m_y); // p × p, symmetric
        *gradW = at::mm(m, w);
        if (gradB && b.defined()) {
            // dL/db = Σ_rows dZ = Σ_rows S Z = (column sums of S) Z, i.e. 1ᵀ S (X W + b).
            at::Tensor columnSums = at::zeros({n}, m_x.options());
            float* cs = columnSums.data_ptr<float>();
            for (std::int64_t r = 0; r < m_count; ++r) {
                const float gij = m_grad[size_t(3 * r)], gik = m_grad[size_t(3 * r + 1)],
                            gjk = m_grad[size_t(3 * r + 2)];
                cs[t[3 * r]] += gij + gik;
                cs[t[3 * r + 1]] += gij + gjk;
                cs[t[3 * r + 2]] += gik + gjk;
            }
            *gradB = at::mv(m_z.t(), columnSums);
        }
        return loss;
    }

    double accuracy(const at::Tensor& w, const at::Tensor& b) override
    {
        at::mm_out(m_z, m_x, w);
        if (b.defined()) m_z.add_(b);
        const float* z = m_z.data_ptr<float>();
        const std::int64_t q = m_z.size(1);
        std::int64_t correct = 0;
        for (std::int64_t r = 0; r < m_count; ++r) {
            const float* zi = z + std::int64_t(m_indices[size_t(3 * r)]) * q;
            const float* zj = z + std::int64_t(m_indices[size_t(3 * r + 1)]) * q;
            const float* zk = z + std::int64_t(m_indices[size_t(3 * r + 2)]) * q;
            float sij, sik, sjk;
            threeDots(zi, zj, zk, q, sij, sik, sjk);
            correct += sij > sik && sij > sjk;
        }
        return double(correct) / double(m_count);
    }

private:
    at::Tensor m_x;
    std::vector<std::int32_t> m_indices;
    std::int64_t m_count;
    at::Tensor m_z, m_y;
    std::vector<float> m_grad;
    std::vector<std::vector<float>> m_threadY;
};

// Flop for flop the gather/scatter loops run about ten times slower than BLAS (measured: p = 256, 37 k
// triplets: pairs 3.3× faster than the Gram path; p = 2,048, 433 k triplets: the Gram path wins).
constexpr double kLoopCost = 10.0;

// The cheaper exact evaluation for this problem size and device.
std::unique_ptr<Objective> makeObjective(const at::Tensor& x, const std::vector<std::int32_t>& indices,
                                         std::int64_t outputDims,
                                         ProbeOptions::Evaluation evaluation = ProbeOptions::Evaluation::Auto)
{
    const double n = double(x.size(0)), p = double(x.size(1)), triplets = double(indices.size() / 3);
    if (evaluation == ProbeOptions::Evaluation::Pairwise && !x.is_cuda())
        return std::make_unique<PairwiseObjective>(x, indices, outputDims);
    if (evaluation == ProbeOptions::Evaluation::Gram || x.is_cuda() ||
        3 * n * n * double(outputDims) < kLoopCost * 9 * triplets * p)
        return std::make_unique<GramObjective>(x, indices, outputDims);
    return std::make_unique<PairwiseObjective>(x, indices, outputDims);
}

struct Fit
{
    at::Tensor w, b;
};

Fit fitLbfgs(const at::Tensor& x, Objective& train, Objective* held, double lambda, bool bias,
             const ProbeOptions& options, int fold, const TaskContext& context)
{
    const std::int64_t p = x.size(1);
    at::Tensor w = at::eye(p, x.options());
    at::Tensor b = bias ? at::zeros({p}, x.options()) : at::Tensor();
    std::vector<at::Tensor> parameters = {w};
    if (bias) parameters.push_back(b);
    torch::optim::LBFGS optimizer(parameters, torch::optim::LBFGSOptions(1.0)
                                                  .max_iter(options.lbfgsIterations)
                                                  .history_size(20)
                                                  .line_search_fn("strong_wolfe"));
    int evaluations = 0;
    auto closure = [&]() -> at::Tensor {
        at::Tensor gradW, gradB;
        double loss = train.evaluate(w, b, &gradW, bias ? &gradB : nullptr);
        const double norm = w.norm().item<double>();
        loss += lambda * norm;
        gradW.add_(w, norm > 0 ? lambda / norm : 0.0);
        w.mutable_grad() = gradW;
        if (bias) b.mutable_grad() = gradB;
        if (options.onStep && ++evaluations % options.stepReportInterval == 0) {
            ProbeStep step{fold,
                           lambda,
                           evaluations,
                           loss,
                           held ? held->evaluate(w, b, nullptr, nullptr) : 0.0,
                           held ? held->accuracy(w, b) : 0.0};
            options.onStep(step);
        }
        if (context.cancelled()) w.mutable_grad().zero_(); // a zero gradient ends L-BFGS at once
        return at::scalar_tensor(loss, at::kDouble);
    };
    optimizer.step(closure);
    return {w.detach(), bias ? b.detach() : at::Tensor()};
}

Fit fitAdam(const at::Tensor& x, const std::vector<std::int32_t>& indices, double lambda, bool bias,
            const ProbeOptions& options, int fold, std::uint64_t seed, const TaskContext& context)
{
    // 10% of the training triplets decide early stopping.
    const size_t count = indices.size() / 3;
    std::vector<size_t> order(count);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(seed);
    std::shuffle(order.begin(), order.end(), rng);
    const size_t validationCount = std::max<size_t>(1, count / 10);
    std::vector<std::int32_t> trainIndices, validationIndices;
    for (size_t r = 0; r < count; ++r)
        (r < validationCount ? validationIndices : trainIndices)
            .insert((r < validationCount ? validationIndices : trainIndices).end(),
                    indices.begin() + std::ptrdiff_t(3 * order[r]),
                    indices.begin() + std::ptrdiff_t(3 * order[r] + 3));
    auto validation = makeObjective(x, validationIndices, x.size(1));
    const std::int64_t p = x.size(1);
    at::Tensor w = at::eye(p, x.options()).requires_grad_();
    at::Tensor b = bias ? at::zeros({p}, x.options()).requires_grad_() : at::Tensor();
    std::vector<at::Tensor> parameters = {w};
    if (bias) parameters.push_back(b);
    torch::optim::Adam optimizer(parameters, torch::optim::AdamOptions(options.learningRate));
    const size_t trainCount = trainIndices.size() / 3;
    std::vector<size_t> batchOrder(trainCount);
    std::iota(batchOrder.begin(), batchOrder.end(), 0);
    double best = std::numeric_limits<double>::infinity();
    at::Tensor bestW = w.detach().clone(), bestB = bias ? b.detach().clone() : at::Tensor();
    int stale = 0;
    for (int epoch = 0; epoch < options.epochs && stale < options.patience && !context.cancelled(); ++epoch) {
        std::shuffle(batchOrder.begin(), batchOrder.end(), rng);
        double epochLoss = 0;
        for (size_t start = 0; start < trainCount; start += size_t(options.batchSize)) {
            const size_t end = std::min(trainCount, start + size_t(options.batchSize));
            // Only the rows this batch needs: its objects, remapped to 0..m−1.
            std::vector<std::int64_t> objects, local[3];
            std::unordered_map<std::int32_t, std::int64_t> position;
            for (size_t r = start; r < end; ++r)
                for (int c = 0; c < 3; ++c) {
                    const std::int32_t object = trainIndices[3 * batchOrder[r] + size_t(c)];
                    auto [it, inserted] = position.emplace(object, std::int64_t(objects.size()));
                    if (inserted) objects.push_back(object);
                    local[c].push_back(it->second);
                }
            const auto longs = at::TensorOptions().dtype(at::kLong);
            at::Tensor z = at::mm(x.index_select(0, at::tensor(objects, longs).to(x.device())), w);
            if (bias) z = z + b;
            at::Tensor zi = z.index_select(0, at::tensor(local[0], longs).to(x.device()));
            at::Tensor zj = z.index_select(0, at::tensor(local[1], longs).to(x.device()));
            at::Tensor zk = z.index_select(0, at::tensor(local[2], longs).to(x.device()));
            at::Tensor pairs = at::stack({(zi * zj).sum(1), (zi * zk).sum(1), (zj * zk).sum(1)}, 1);
            at::Tensor loss = -at::log_softmax(pairs, 1).select(1, 0).mean() + lambda * w.norm();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            epochLoss += loss.item<double>() * double(end - start) / double(trainCount);
        }
        at::NoGradGuard noGrad;
        const double validationLoss =
            validation->evaluate(w.detach(), bias ? b.detach() : at::Tensor(), nullptr, nullptr);
        if (options.onStep)
            options.onStep(ProbeStep{fold, lambda, epoch + 1, epochLoss, validationLoss,
                                     validation->accuracy(w.detach(), bias ? b.detach() : at::Tensor())});
        if (validationLoss < best - 1e-7) {
            best = validationLoss, stale = 0;
            bestW = w.detach().clone();
            if (bias) bestB = b.detach().clone();
        } else {
            ++stale;
        }
    }
    return {bestW, bestB};
}

// OpenBLAS worker threads busy-wait (sched_yield) between calls; the probe interleaves small matrix products
// with its own parallel loops, so spinning BLAS threads would take the cores from those loops. While the
// probe runs, BLAS uses one thread (found at run time: LibTorch may use another BLAS, or none).
class SingleThreadedBlas
{
public:
    explicit SingleThreadedBlas(bool active)
    {
        if (!active) return;
        m_set = reinterpret_cast<void (*)(int)>(::dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
        auto get = reinterpret_cast<int (*)()>(::dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
        if (m_set && get) {
            m_previous = get();
            m_set(1);
        }
    }
    ~SingleThreadedBlas()
    {
        if (m_set && m_previous > 0) m_set(m_previous);
    }

private:
    void (*m_set)(int) = nullptr;
    int m_previous = 0;
};

// Triplets whose three objects all lie in (or all outside) the held-out set.
void splitTriplets(const TripletSet& triplets, const std::vector<bool>& heldOut,
                   std::vector<std::int32_t>& train, std::vector<std::int32_t>& test)
{
    for (size_t t = 0; t < triplets.size(); ++t) {
        const std::int32_t* ijk = &triplets.indices[3 * t];
        const int held =
            int(heldOut[size_t(ijk[0])]) + int(heldOut[size_t(ijk[1])]) + int(heldOut[size_t(ijk[2])]);
        if (held == 0) train.insert(train.end(), ijk, ijk + 3);
        if (held == 3) test.insert(test.end(), ijk, ijk + 3);
    }
}

} // namespace

Result<ProbeResult> runProbe(const FeatureMatrix& features, const TripletSet& triplets,
                             const ProbeOptions& options, const TaskContext& context)
{
    const auto started = std::chrono::steady_clock::now();
    const std::int64_t n = features.rows, p = features.cols;
    if (options.folds < 2) return makeError("", "", "cross-validation needs at least 2 folds");
    if (options.lambdas.empty()) return makeError("", "", "no λ to try");
    if (!options.foldOfObject.empty() && std::int64_t(options.foldOfObject.size()) != n)
        return makeError("", "", "fold assignment does not cover every object");
    for (std::int32_t index : triplets.indices)
        if (index < 0 || index >= n)
            return makeError(triplets.origin, "", "triplet index outside the feature rows");
    auto resolved = detail::resolveUseCuda(options.device, "");
    if (!resolved) return resolved.error();
    const bool useCuda = *resolved;
    try {
        // Pairwise evaluation runs its own parallel loops; the Gram evaluation is BLAS and keeps its threads.
        const double pairs = double(n) * double(n) * double(p),
                     perTriplet = 3.0 * double(triplets.size()) * double(p);
        const bool pairwise =
            !useCuda &&
            (options.evaluation == ProbeOptions::Evaluation::Pairwise ||
             (options.evaluation == ProbeOptions::Evaluation::Auto && pairs > kLoopCost * perTriplet));
        const SingleThreadedBlas blasGuard(pairwise);
        // One global mean and standard deviation (scalars over the whole matrix), as in the paper.
        double sum = 0, squares = 0;
        const float* values = features.data();
        for (size_t k = 0; k < features.size(); ++k)
            sum += values[k];
        const double mean = sum / double(features.size());
        for (size_t k = 0; k < features.size(); ++k)
            squares += (values[k] - mean) * (values[k] - mean);
        const double sd = std::sqrt(squares / double(features.size()));
        if (!(sd > 0))
            return makeError(features.origin, "", "features are constant; they cannot be standardized");
        at::Tensor x =
            at::from_blob(const_cast<float*>(features.data()), {n, p}, at::kFloat).sub(mean).div_(sd);
        if (useCuda) x = x.to(at::kCUDA);

        std::vector<int> foldOf = options.foldOfObject;
        if (foldOf.empty()) {
            std::vector<std::int64_t> permutation(static_cast<size_t>(n));
            std::iota(permutation.begin(), permutation.end(), 0);
            std::mt19937_64 rng(options.seed);
            std::shuffle(permutation.begin(), permutation.end(), rng);
            foldOf.assign(size_t(n), 0);
            for (std::int64_t r = 0; r < n; ++r)
                foldOf[size_t(permutation[size_t(r)])] = int(r % options.folds);
        }
        struct FoldData
        {
            std::vector<std::int32_t> train, test;
        };
        std::vector<FoldData> foldData(size_t(options.folds));
        for (int f = 0; f < options.folds; ++f) {
            std::vector<bool> heldOut(static_cast<size_t>(n));
            for (std::int64_t o = 0; o < n; ++o)
                heldOut[size_t(o)] = foldOf[size_t(o)] == f;
            splitTriplets(triplets, heldOut, foldData[size_t(f)].train, foldData[size_t(f)].test);
            if (foldData[size_t(f)].train.empty() || foldData[size_t(f)].test.empty())
                return makeError(triplets.origin, "",
                                 "fold " + std::to_string(f + 1) +
                                     " has no training or no held-out triplets");
        }

        ProbeResult result;
        result.device = useCuda ? "cuda" : "cpu";
        double bestLoss = std::numeric_limits<double>::infinity();
        const double fits = double(options.lambdas.size() * size_t(options.folds) + 1);
        int fitsDone = 0;
        for (double lambda : options.lambdas) {
            std::vector<ProbeFold> folds;
            double lossSum = 0;
            for (int f = 0; f < options.folds; ++f) {
                if (context.cancelled()) return makeError("", "", "cancelled");
                auto trainObjective = makeObjective(x, foldData[size_t(f)].train, p, options.evaluation);
                auto testObjective = makeObjective(x, foldData[size_t(f)].test, p, options.evaluation);
                Objective& train = *trainObjective;
                Objective& test = *testObjective;
                const Fit fit = options.optimizer == ProbeOptimizer::Lbfgs
                                    ? fitLbfgs(x, train, &test, lambda, options.bias, options, f, context)
                                    : fitAdam(x, foldData[size_t(f)].train, lambda, options.bias, options, f,
                                              options.seed + std::uint64_t(f), context);
                ProbeFold fold;
                fold.fold = f;
                fold.trainTriplets = train.size();
                fold.testTriplets = test.size();
                fold.testLoss = test.evaluate(fit.w, fit.b, nullptr, nullptr);
                fold.probed = test.accuracy(fit.w, fit.b);
                fold.zeroShot = test.accuracy(at::eye(p, x.options()), at::Tensor());
                lossSum += fold.testLoss;
                folds.push_back(fold);
                context.report(double(++fitsDone) / fits,
                               "λ " + std::to_string(lambda) + ", fold " + std::to_string(f + 1));
            }
            if (lossSum < bestLoss) {
                bestLoss = lossSum;
                result.lambda = lambda;
                result.folds = folds;
            }
        }
        double accuracySum = 0, zeroShotSum = 0;
        for (const auto& fold : result.folds)
            accuracySum += fold.probed, zeroShotSum += fold.zeroShot;
        result.cvAccuracy = accuracySum / double(result.folds.size());
        result.zeroShotAccuracy = zeroShotSum / double(result.folds.size());
        double variance = 0;
        for (const auto& fold : result.folds)
            variance += (fold.probed - result.cvAccuracy) * (fold.probed - result.cvAccuracy);
        result.cvAccuracySd = std::sqrt(variance / double(std::max<size_t>(1, result.folds.size() - 1)));

        // Final transform: all objects, the chosen λ.
        if (context.cancelled()) return makeError("", "", "cancelled");
        if (!options.finalRefit) {
            result.seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            return result;
        }
        const std::vector<std::int32_t> allIndices(triplets.indices.begin(), triplets.indices.end());
        auto all = makeObjective(x, allIndices, p, options.evaluation);
        const Fit fit = options.optimizer == ProbeOptimizer::Lbfgs
                            ? fitLbfgs(x, *all, nullptr, result.lambda, options.bias, options, -1, context)
                            : fitAdam(x, allIndices, result.lambda, options.bias, options, -1,
                                      options.seed + 99, context);
        context.report(1.0, "final transform");
        const at::Tensor w = fit.w.to(at::kCPU).contiguous();
        result.transform.inputDims = p;
        result.transform.outputDims = w.size(1);
        result.transform.weights.assign(w.data_ptr<float>(), w.data_ptr<float>() + w.numel());
        if (fit.b.defined()) {
            const at::Tensor b = fit.b.to(at::kCPU).contiguous();
            result.transform.bias.assign(b.data_ptr<float>(), b.data_ptr<float>() + b.numel());
        }
        result.transform.mean = mean;
        result.transform.std = sd;
        result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return result;
    } catch (const std::exception& error) {
        return makeError(features.origin, "", "probe training failed: " + detail::torchErrorText(error));
    }
}

} // namespace alignscope::torch_backend
