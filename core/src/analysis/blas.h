#pragma once
// The BLAS products the analysis needs, on row-major arrays: OpenBLAS (its pthread build, see the README), or
// Eigen's own kernels where OpenBLAS is absent (e.g. a GPU machine with only LibTorch and Eigen headers).

#include <cstdint>
#include <mutex>

#ifdef ALIGNSCOPE_HAVE_OPENBLAS
#include <cblas.h>
#else
#include <Eigen/Core>
#endif

namespace alignscope::blas {

#ifndef ALIGNSCOPE_HAVE_OPENBLAS
template <class T> using RowMajor = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T> using Strided = Eigen::Map<RowMajor<T>, Eigen::Unaligned, Eigen::OuterStride<>>;
template <class T> using ConstStrided = Eigen::Map<const RowMajor<T>, Eigen::Unaligned, Eigen::OuterStride<>>;
#endif

// C (rows × cols, leading dimension ldc) = A (rows × depth) · B (cols × depth)ᵀ.
template <class T>
void productWithTranspose(std::int64_t rows, std::int64_t cols, std::int64_t depth, const T* a,
                          std::int64_t lda, const T* b, std::int64_t ldb, T* c, std::int64_t ldc)
{
#ifdef ALIGNSCOPE_HAVE_OPENBLAS
    if constexpr (sizeof(T) == 4)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(rows), int(cols), int(depth), 1.0f, a,
                    int(lda), b, int(ldb), 0.0f, c, int(ldc));
    else
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(rows), int(cols), int(depth), 1.0, a,
                    int(lda), b, int(ldb), 0.0, c, int(ldc));
#else
    Strided<T>(c, rows, cols, Eigen::OuterStride<>(ldc)).noalias() =
        ConstStrided<T>(a, rows, depth, Eigen::OuterStride<>(lda)) *
        ConstStrided<T>(b, cols, depth, Eigen::OuterStride<>(ldb)).transpose();
#endif
}

// C (rows × cols) = A (rows × depth) · B (depth × cols).
template <class T>
void product(std::int64_t rows, std::int64_t cols, std::int64_t depth, const T* a, const T* b, T* c)
{
#ifdef ALIGNSCOPE_HAVE_OPENBLAS
    if constexpr (sizeof(T) == 4)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(rows), int(cols), int(depth), 1.0f, a,
                    int(depth), b, int(cols), 0.0f, c, int(cols));
    else
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(rows), int(cols), int(depth), 1.0, a,
                    int(depth), b, int(cols), 0.0, c, int(cols));
#else
    Strided<T>(c, rows, cols, Eigen::OuterStride<>(cols)).noalias() =
        ConstStrided<T>(a, rows, depth, Eigen::OuterStride<>(depth)) *
        ConstStrided<T>(b, depth, cols, Eigen::OuterStride<>(cols));
#endif
}

// While alive, products run on the calling thread only (for callers that share work out over their own
// threads); the thread count from before the first of overlapping scopes comes back when the last ends (two
// analyses on two threads must not leave BLAS single-threaded). Eigen's products do so already inside an
// OpenMP parallel region.
class SingleThreadedProducts
{
public:
#ifdef ALIGNSCOPE_HAVE_OPENBLAS
    SingleThreadedProducts()
    {
        const std::lock_guard<std::mutex> lock(state().mutex);
        if (state().active++ == 0) {
            state().saved = openblas_get_num_threads();
            openblas_set_num_threads(1);
        }
    }
    ~SingleThreadedProducts()
    {
        const std::lock_guard<std::mutex> lock(state().mutex);
        if (--state().active == 0) openblas_set_num_threads(state().saved);
    }
#else
    SingleThreadedProducts() = default;
#endif
    SingleThreadedProducts(const SingleThreadedProducts&) = delete;
    SingleThreadedProducts& operator=(const SingleThreadedProducts&) = delete;

private:
#ifdef ALIGNSCOPE_HAVE_OPENBLAS
    struct State
    {
        std::mutex mutex;
        int active = 0;
        int saved = 1;
    };
    static State& state()
    {
        static State shared;
        return shared;
    }
#endif
};

// Threads for the BLAS products (Eigen uses OpenMP's, set elsewhere).
inline void setThreads(int threads)
{
#ifdef ALIGNSCOPE_HAVE_OPENBLAS
    openblas_set_num_threads(threads);
#else
    (void)threads;
#endif
}

} // namespace alignscope::blas
