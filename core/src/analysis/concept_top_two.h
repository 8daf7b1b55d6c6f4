#pragma once
// The two concept dimensions that dominate a pair of objects: the kernel of the concept breakdown, which
// evaluates it for every object pair (THINGS: 1.7 M pairs × 42 dimensions).

#include <cstdint>
#include <vector>

namespace alignscope {

// The dimensions with the largest and second-largest mean (a[d] + b[d]) · 0.5 in float32; the first of equal
// values wins, and with a single dimension both are 0.
struct TopTwo
{
    std::int32_t top = 0, second = 0;
};

TopTwo topTwoScalar(const float* a, const float* b, std::int64_t dimensions);

// Every pair i < j of `objects` rows (N×D row-major, finite values, D ≤ 256), numbered row by row as
// pairIndex(i, j); fill() writes pair k's top and second dimensions to table[2k] and table[2k + 1].
// With AVX2 eight pairs go at once, lanes running topTwoScalar's comparisons on a transposed copy (about
// 9× faster than a vectorised pass over one pair's dimensions, whose search for the maximum branches);
// ALIGNSCOPE_SIMD=0 in the environment selects the scalar loop.
class PairTopTwoTable
{
public:
    PairTopTwoTable(const float* concepts, std::int64_t objects, std::int64_t dimensions);

    static std::int64_t pairIndex(std::int64_t i, std::int64_t j, std::int64_t objects)
    {
        return i * (2 * objects - i - 1) / 2 + (j - i - 1);
    }
    std::int64_t pairs() const { return m_objects * (m_objects - 1) / 2; }
    void fill(std::int64_t begin, std::int64_t end, std::uint8_t* table) const;

private:
    const float* m_concepts;
    std::int64_t m_objects, m_dimensions;
    std::vector<float> m_transposed; // D × (N + 8): column j of row d at d·(N + 8) + j; empty when scalar
};

} // namespace alignscope
