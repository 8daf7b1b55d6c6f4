#pragma once
// The BLAS products the analysis needs, on row-major arrays (OpenBLAS; its pthread build, see the README).

#include <cblas.h>
#include <cstdint>

namespace alignscope::blas {

// C (rows × cols, leading dimension ldc) = A (rows × depth) · B (cols × depth)ᵀ.
inline void productWithTranspose(std::int64_t rows, std::int64_t cols, std::int64_t depth, const float* a, std::int64_t lda,
                                 const float* b, std::int64_t ldb, float* c, std::int64_t ldc)
{
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(rows), int(cols), int(depth), 1.0f, a, int(lda), b, int(ldb), 0.0f, c,
                int(ldc));
}

inline void productWithTranspose(std::int64_t rows, std::int64_t cols, std::int64_t depth, const double* a, std::int64_t lda,
                                 const double* b, std::int64_t ldb, double* c, std::int64_t ldc)
{
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(rows), int(cols), int(depth), 1.0, a, int(lda), b, int(ldb), 0.0, c,
                int(ldc));
}

// C (rows × cols) = A (rows × depth) · B (depth × cols).
inline void product(std::int64_t rows, std::int64_t cols, std::int64_t depth, const float* a, const float* b, float* c)
{
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(rows), int(cols), int(depth), 1.0f, a, int(depth), b, int(cols), 0.0f,
                c, int(cols));
}

} // namespace alignscope::blas
