#include "alignscope/cka.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <vector>

namespace alignscope {

namespace {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The n×n kernel of a feature set; an empty matrix when the RBF bandwidth comes out zero.
Matrix gramMatrix(const FeatureMatrix& f, const CkaOptions& options)
{
    Matrix x = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
                   f.data(), f.rows, f.cols)
                   .cast<double>();
    // Both kernels' CKA is invariant to a shift of the features (the RBF kernel is, and the centred HSIC of a
    // linear kernel is), and to a scale (the median bandwidth scales along): centre the columns and work at
    // unit scale, so that a large shared offset cancels here, exactly, instead of in the kernel sums, and the
    // products neither under- nor overflow for features of any float32 magnitude.
    x.rowwise() -= x.colwise().mean();
    const double largest = x.cwiseAbs().maxCoeff();
    if (largest > 0) x /= largest;
    Matrix gram = x * x.transpose();
    if (options.kernel == CkaKernel::Linear) return gram;
    const Eigen::VectorXd squared = gram.diagonal();
    Matrix distances =
        ((squared.replicate(1, f.rows) + squared.transpose().replicate(f.rows, 1)) - 2 * gram).cwiseMax(0.0);
    std::vector<double> pairs;
    pairs.reserve(size_t(f.rows * (f.rows - 1) / 2));
    for (Eigen::Index i = 0; i < f.rows; ++i)
        for (Eigen::Index j = i + 1; j < f.rows; ++j)
            pairs.push_back(std::sqrt(distances(i, j)));
    // torch.median's convention: the lower of the two middle values.
    auto middle = pairs.begin() + std::ptrdiff_t((pairs.size() - 1) / 2);
    std::nth_element(pairs.begin(), middle, pairs.end());
    const double sigma = *middle * options.sigmaScale;
    if (!(sigma > 0)) return {};
    return (-distances / (2 * sigma * sigma)).array().exp().matrix();
}

// A kernel centred for HSIC: H K H (biased), or U-centred (unbiased; Székely & Rizzo 2014, as thingsvision
// and Kornblith's reference code): zero diagonal, and row and column means removed so that Σ K̃ ⊙ L̃ / (n(n−3))
// is the unbiased estimator of Song et al. (2012). Unlike Song et al.'s closed form, whose three terms
// cancel, this never subtracts large sums.
Matrix centred(Matrix k, bool unbiased)
{
    const double n = double(k.rows());
    if (!unbiased) {
        Eigen::VectorXd means = k.colwise().mean().transpose();
        means.array() -= means.mean() / 2;
        k.colwise() -= means;
        k.rowwise() -= means.transpose();
        return k;
    }
    k.diagonal().setZero();
    Eigen::VectorXd means = k.colwise().sum().transpose() / (n - 2);
    means.array() -= means.sum() / (2 * (n - 1));
    k.colwise() -= means;
    k.rowwise() -= means.transpose();
    k.diagonal().setZero();
    return k;
}

// HSIC of two centred kernels, up to a factor common to all three in CKA's ratio.
double hsic(const Matrix& kc, const Matrix& lc)
{
    return kc.cwiseProduct(lc).sum();
}

} // namespace

Result<double> cka(const FeatureMatrix& a, const FeatureMatrix& b, const CkaOptions& options,
                   const TaskContext& context)
{
    if (a.rows != b.rows)
        return makeError(b.origin, "",
                         "has " + std::to_string(b.rows) + " rows, " + a.origin + " has " +
                             std::to_string(a.rows));
    if (a.rows < (options.unbiased ? 4 : 2)) return makeError("", "", "too few stimuli for CKA");
    context.report(0.0, "CKA");
    if (!(options.sigmaScale > 0) || !std::isfinite(options.sigmaScale))
        return makeError("", "", "the RBF width must be a positive multiple of the median distance");
    const Matrix k = gramMatrix(a, options), l = gramMatrix(b, options);
    if (k.size() == 0 || l.size() == 0) return makeError("", "", "RBF bandwidth is zero (identical rows)");
    const Matrix kc = centred(k, options.unbiased), lc = centred(l, options.unbiased);
    const double kl = hsic(kc, lc), kk = hsic(kc, kc), ll = hsic(lc, lc);
    context.report(1.0, "CKA");
    if (!(kk > 0) || !(ll > 0)) return makeError("", "", "a kernel has no variance; CKA is undefined");
    const double value = kl / (std::sqrt(kk) * std::sqrt(ll));
    if (!std::isfinite(value)) return makeError("", "", "CKA is not finite (numeric overflow)");
    return value;
}

} // namespace alignscope
