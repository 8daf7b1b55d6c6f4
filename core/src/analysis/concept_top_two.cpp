#include "concept_top_two.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace alignscope {

TopTwo topTwoScalar(const float* a, const float* b, std::int64_t dimensions)
{
    float best = -std::numeric_limits<float>::infinity(), runner = best;
    TopTwo out{0, dimensions > 1 ? 1 : 0};
    for (std::int64_t d = 0; d < dimensions; ++d) {
        const float value = (a[d] + b[d]) * 0.5f;
        if (value > best) {
            runner = best, out.second = out.top;
            best = value, out.top = std::int32_t(d);
        } else if (value > runner) {
            runner = value, out.second = std::int32_t(d);
        }
    }
    return out;
}

namespace {

constexpr std::int64_t kLanes = 8;

bool useAvx2()
{
#if defined(__x86_64__)
    const char* choice = std::getenv("ALIGNSCOPE_SIMD");
    return !(choice && std::strcmp(choice, "0") == 0) && __builtin_cpu_supports("avx2");
#else
    return false;
#endif
}

void rowScalar(const float* a, const float* concepts, std::int64_t dimensions, std::int64_t jFrom,
               std::int64_t jTo, std::uint8_t* out)
{
    for (std::int64_t j = jFrom; j < jTo; ++j, out += 2) {
        const TopTwo best = topTwoScalar(a, concepts + j * dimensions, dimensions);
        out[0] = std::uint8_t(best.top);
        out[1] = std::uint8_t(best.second);
    }
}

#if defined(__x86_64__)
// Pairs (i, j … j + 7): lane l runs topTwoScalar's loop for object j + l, reading dimension d of those eight
// objects from one transposed row. Lanes past jTo read padding and are not written.
__attribute__((target("avx2"))) void rowAvx2(const float* a, const float* transposed, std::int64_t stride,
                                             std::int64_t dimensions, std::int64_t jFrom, std::int64_t jTo,
                                             std::uint8_t* out)
{
    const __m256 half = _mm256_set1_ps(0.5f);
    const __m256 lowest = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
    alignas(32) std::int32_t tops[kLanes], seconds[kLanes];
    for (std::int64_t j = jFrom; j < jTo; j += kLanes) {
        __m256 best = lowest, runner = lowest;
        __m256i top = _mm256_setzero_si256(), second = _mm256_set1_epi32(dimensions > 1 ? 1 : 0);
        for (std::int64_t d = 0; d < dimensions; ++d) {
            const __m256 value = _mm256_mul_ps(
                _mm256_add_ps(_mm256_set1_ps(a[d]), _mm256_loadu_ps(transposed + d * stride + j)), half);
            const __m256 aboveBest = _mm256_cmp_ps(value, best, _CMP_GT_OQ);
            const __m256 aboveRunner = _mm256_cmp_ps(value, runner, _CMP_GT_OQ);
            const __m256i index = _mm256_set1_epi32(int(d));
            runner = _mm256_blendv_ps(_mm256_blendv_ps(runner, value, aboveRunner), best, aboveBest);
            second = _mm256_castps_si256(_mm256_blendv_ps(
                _mm256_blendv_ps(_mm256_castsi256_ps(second), _mm256_castsi256_ps(index), aboveRunner),
                _mm256_castsi256_ps(top), aboveBest));
            best = _mm256_blendv_ps(best, value, aboveBest);
            top = _mm256_castps_si256(
                _mm256_blendv_ps(_mm256_castsi256_ps(top), _mm256_castsi256_ps(index), aboveBest));
        }
        _mm256_store_si256(reinterpret_cast<__m256i*>(tops), top);
        _mm256_store_si256(reinterpret_cast<__m256i*>(seconds), second);
        const std::int64_t lanes = std::min(kLanes, jTo - j);
        for (std::int64_t l = 0; l < lanes; ++l, out += 2) {
            out[0] = std::uint8_t(tops[l]);
            out[1] = std::uint8_t(seconds[l]);
        }
    }
}
#endif

} // namespace

PairTopTwoTable::PairTopTwoTable(const float* concepts, std::int64_t objects, std::int64_t dimensions)
    : m_concepts(concepts), m_objects(objects), m_dimensions(dimensions)
{
    if (!useAvx2() || objects < 2) return;
    const std::int64_t stride = objects + kLanes;
    m_transposed.assign(size_t(dimensions * stride), 0.0f);
    for (std::int64_t i = 0; i < objects; ++i)
        for (std::int64_t d = 0; d < dimensions; ++d)
            m_transposed[size_t(d * stride + i)] = concepts[i * dimensions + d];
}

void PairTopTwoTable::fill(std::int64_t begin, std::int64_t end, std::uint8_t* table) const
{
    const std::int64_t n = m_objects;
    std::int64_t i = 0;
    while (i + 2 < n && pairIndex(i + 1, i + 2, n) <= begin)
        ++i;
    std::int64_t j = i + 1 + (begin - pairIndex(i, i + 1, n));
    for (std::int64_t k = begin; k < end; ++i, j = i + 1) {
        const std::int64_t jTo = std::min(n, j + (end - k));
        std::uint8_t* out = table + 2 * k;
        const float* a = m_concepts + i * m_dimensions;
#if defined(__x86_64__)
        if (!m_transposed.empty())
            rowAvx2(a, m_transposed.data(), n + kLanes, m_dimensions, j, jTo, out);
        else
#endif
            rowScalar(a, m_concepts, m_dimensions, j, jTo, out);
        k += jTo - j;
    }
}

} // namespace alignscope
