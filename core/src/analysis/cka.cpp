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
    // CKA is invariant to scaling a feature set (the median bandwidth scales along): work at unit scale, so
    // the kernel products neither under- nor overflow for features of any float32 magnitude.
    const double largest = x.cwiseAbs().maxCoeff();
    if (largest > 0 && (options.kernel == CkaKernel::Linear || options.sigma <= 0)) x /= largest;
    Matrix gram = x * x.transpose();
    if (options.kernel == CkaKernel::Linear) return gram;
    const Eigen::VectorXd squared = gram.diagonal();
    Matrix distances =
        ((squared.replicate(1, f.rows) + squared.transpose().replicate(f.rows, 1)) - 2 * gram).cwiseMax(0.0);
    double sigma = options.sigma;
    if (sigma <= 0) {
        std::vector<double> pairs;
        pairs.reserve(size_t(f.rows * (f.rows - 1) / 2));
        for (Eigen::Index i = 0; i < f.rows; ++i)
            for (Eigen::Index j = i + 1; j < f.rows; ++j)
                pairs.push_back(std::sqrt(distances(i, j)));
        // torch.median's convention: the lower of the two middle values.
        auto middle = pairs.begin() + std::ptrdiff_t((pairs.size() - 1) / 2);
        std::nth_element(pairs.begin(), middle, pairs.end());
        sigma = *middle * options.sigmaScale;
    }
    if (!(sigma > 0)) return {};
    return (-distances / (2 * sigma * sigma)).array().exp().matrix();
}

// HSIC of two n×n kernels: biased tr(KHLH)/(n−1)², or the unbiased estimator of Song et al. (2012).
double hsic(const Matrix& k, const Matrix& l, bool unbiased)
{
    const double n = double(k.rows());
    if (!unbiased) {
        auto centred = [](const Matrix& m) {
            const Eigen::RowVectorXd columnMeans = m.colwise().mean();
            const Eigen::VectorXd rowMeans = m.rowwise().mean();
            Matrix c = m;
            c.rowwise() -= columnMeans;
            c.colwise() -= rowMeans;
            c.array() += m.mean();
            return c;
        };
        return centred(k).cwiseProduct(centred(l)).sum() / ((n - 1) * (n - 1));
    }
    Matrix kz = k, lz = l;
    kz.diagonal().setZero();
    lz.diagonal().setZero();
    const double trace = kz.cwiseProduct(lz).sum();
    const double sums = kz.sum() * lz.sum() / ((n - 1) * (n - 2));
    const double cross = 2.0 / (n - 2) * kz.colwise().sum().dot(lz.colwise().sum());
    return (trace + sums - cross) / (n * (n - 3));
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
    const Matrix k = gramMatrix(a, options), l = gramMatrix(b, options);
    if (k.size() == 0 || l.size() == 0) return makeError("", "", "RBF bandwidth is zero (identical rows)");
    const double kl = hsic(k, l, options.unbiased), kk = hsic(k, k, options.unbiased),
                 ll = hsic(l, l, options.unbiased);
    context.report(1.0, "CKA");
    if (!(kk > 0) || !(ll > 0)) return makeError("", "", "a kernel has no variance; CKA is undefined");
    const double value = kl / (std::sqrt(kk) * std::sqrt(ll));
    if (!std::isfinite(value)) return makeError("", "", "CKA is not finite (numeric overflow)");
    return value;
}

} // namespace alignscope
