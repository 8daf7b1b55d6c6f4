#include "alignscope/object_map.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <string>

namespace alignscope {

Result<ObjectMap> classicalMds(std::int64_t n, const std::vector<float>& values, bool similarity,
                               const TaskContext& context)
{
    if (n < 3) return makeError("", "", "a map needs at least 3 objects, got " + std::to_string(n));
    if (std::int64_t(values.size()) != n * n)
        return makeError("", "",
                         "the matrix has " + std::to_string(values.size()) + " values, not " +
                             std::to_string(n) + "×" + std::to_string(n));
    Eigen::MatrixXd b(n, n);
    double largest = 0;
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < n; ++j) {
            const double v = values[size_t(i * n + j)];
            if (!std::isfinite(v))
                return makeError(
                    "", "", "value (" + std::to_string(i) + ", " + std::to_string(j) + ") is not finite");
            b(i, j) = similarity ? v : -0.5 * v * v;
            largest = std::max(largest, std::abs(v));
        }
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = i + 1; j < n; ++j)
            if (std::abs(b(i, j) - b(j, i)) > 1e-4 * std::max(1.0, largest * (similarity ? 1.0 : largest)))
                return makeError("", "",
                                 "the matrix is not symmetric at (" + std::to_string(i) + ", " +
                                     std::to_string(j) + ")");
    b = 0.5 * (b + b.transpose()).eval();
    // Double centring: subtract row and column means, add the grand mean.
    const Eigen::VectorXd rowMean = b.rowwise().mean();
    const double grand = rowMean.mean();
    b.colwise() -= rowMean;
    b.rowwise() -= rowMean.transpose();
    b.array() += grand;
    if (context.cancelled()) return makeError("", "", "cancelled");

    // Subspace iteration on a block of 8 with Rayleigh-Ritz: the block converges to the 8 eigenvalues of
    // largest magnitude, of which the 2 largest (algebraically) are kept; similarities are near positive
    // semi-definite once centred, so those are the map's. A fixed start keeps it deterministic.
    const int block = int(std::min<std::int64_t>(8, n));
    Eigen::MatrixXd q(n, block);
    for (std::int64_t i = 0; i < n; ++i)
        for (int c = 0; c < block; ++c)
            q(i, c) = std::cos(double(i + 1) * (c + 1) * 0.7071) + (c == 0 ? 1.0 : 0.0);
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(q);
    q = qr.householderQ() * Eigen::MatrixXd::Identity(n, block);
    Eigen::VectorXd previous = Eigen::VectorXd::Zero(2);
    Eigen::VectorXd ritz;
    Eigen::MatrixXd vectors;
    for (int iteration = 0; iteration < 300; ++iteration) {
        if (context.cancelled()) return makeError("", "", "cancelled");
        // One product per iteration: B·q gives both the Rayleigh-Ritz matrix of the current basis (qᵀ·B·q)
        // and the next basis (its orthonormalised columns).
        const Eigen::MatrixXd z = b * q;
        const Eigen::MatrixXd small = q.transpose() * z;
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(0.5 * (small + small.transpose()));
        ritz = solver.eigenvalues().reverse(); // largest first
        const Eigen::VectorXd top = ritz.head(2);
        const bool converged = iteration > 5 && (top - previous).cwiseAbs().maxCoeff() <=
                                                    1e-10 * std::max(1.0, std::abs(top(0)));
        if (converged || iteration == 299) {
            vectors = q * solver.eigenvectors().rowwise().reverse(); // matching columns
            break;
        }
        previous = top;
        qr.compute(z);
        q = qr.householderQ() * Eigen::MatrixXd::Identity(n, block);
    }
    ObjectMap map;
    map.n = n;
    map.xy.assign(size_t(2 * n), 0.0);
    const double trace = b.trace(); // the sum of every eigenvalue
    for (int axis = 0; axis < 2; ++axis) {
        const double eigenvalue = ritz(axis);
        map.eigenvalues[axis] = eigenvalue;
        const double scale = std::sqrt(std::max(0.0, eigenvalue));
        Eigen::Index at = 0;
        vectors.col(axis).cwiseAbs().maxCoeff(&at);
        const double sign = vectors(at, axis) < 0 ? -1.0 : 1.0;
        for (std::int64_t i = 0; i < n; ++i)
            map.xy[size_t(2 * i + axis)] = sign * scale * vectors(i, axis);
    }
    map.explained =
        trace > 0 ? (std::max(0.0, map.eigenvalues[0]) + std::max(0.0, map.eigenvalues[1])) / trace : NAN;
    return map;
}

} // namespace alignscope
