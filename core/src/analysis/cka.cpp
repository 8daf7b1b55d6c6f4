#include "alignscope/cka.h"

#include "torch_error.h"

#include <ATen/ATen.h>
#include <cmath>

namespace alignscope {

namespace {

at::Tensor gramMatrix(const FeatureMatrix& f, const CkaOptions& options)
{
    at::Tensor x = at::from_blob(const_cast<float*>(f.values.data()), {f.rows, f.cols}, at::kFloat).to(at::kDouble);
    // CKA is invariant to scaling a feature set (the median bandwidth scales along): work at unit scale, so the
    // kernel products neither under- nor overflow for features of any float32 magnitude.
    const double largest = x.abs().max().item<double>();
    if (largest > 0 && (options.kernel == CkaKernel::Linear || options.sigma <= 0)) x = x / largest;
    at::Tensor gram = at::mm(x, x.t());
    if (options.kernel == CkaKernel::Linear) return gram;
    at::Tensor squared = gram.diag();
    at::Tensor distances = (squared.unsqueeze(1) + squared.unsqueeze(0) - 2 * gram).clamp_min(0);
    double sigma = options.sigma;
    if (sigma <= 0) {
        const auto upper = at::triu_indices(f.rows, f.rows, 1, at::kLong);
        const at::Tensor pairs = distances.index({upper[0], upper[1]}).sqrt();
        sigma = pairs.median().item<double>() * options.sigmaScale;
    }
    if (!(sigma > 0)) return {};
    return (-distances / (2 * sigma * sigma)).exp();
}

// HSIC of two n×n kernels: biased tr(KHLH)/(n−1)², or the unbiased estimator of Song et al. (2012).
double hsic(const at::Tensor& k, const at::Tensor& l, bool unbiased)
{
    const double n = double(k.size(0));
    if (!unbiased) {
        at::Tensor kc = k - k.mean(0, true) - k.mean(1, true) + k.mean();
        at::Tensor lc = l - l.mean(0, true) - l.mean(1, true) + l.mean();
        return (kc * lc).sum().item<double>() / ((n - 1) * (n - 1));
    }
    at::Tensor kz = k.clone(), lz = l.clone();
    kz.fill_diagonal_(0);
    lz.fill_diagonal_(0);
    const double trace = (kz * lz).sum().item<double>();
    const double sums = kz.sum().item<double>() * lz.sum().item<double>() / ((n - 1) * (n - 2));
    const double cross = 2.0 / (n - 2) * at::dot(kz.sum(0), lz.sum(0)).item<double>();
    return (trace + sums - cross) / (n * (n - 3));
}

} // namespace

Result<double> cka(const FeatureMatrix& a, const FeatureMatrix& b, const CkaOptions& options, const TaskContext& context)
{
    if (a.rows != b.rows) return makeError(b.origin, "", "has " + std::to_string(b.rows) + " rows, " + a.origin + " has " + std::to_string(a.rows));
    if (a.rows < (options.unbiased ? 4 : 2)) return makeError("", "", "too few stimuli for CKA");
    try {
        context.report(0.0, "CKA");
        const at::Tensor k = gramMatrix(a, options), l = gramMatrix(b, options);
        if (!k.defined() || !l.defined()) return makeError("", "", "RBF bandwidth is zero (identical rows)");
        const double kl = hsic(k, l, options.unbiased), kk = hsic(k, k, options.unbiased), ll = hsic(l, l, options.unbiased);
        context.report(1.0, "CKA");
        if (!(kk > 0) || !(ll > 0)) return makeError("", "", "a kernel has no variance; CKA is undefined");
        const double value = kl / (std::sqrt(kk) * std::sqrt(ll));
        if (!std::isfinite(value)) return makeError("", "", "CKA is not finite (numeric overflow)");
        return value;
    } catch (const std::exception& error) {
        return makeError("", "", "CKA failed: " + detail::torchErrorText(error));
    }
}

} // namespace alignscope
