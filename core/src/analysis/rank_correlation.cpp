#include "rank_correlation.h"

#include "parallel_for.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace alignscope {

namespace {

// Pearson correlation of any two numeric sequences, two passes in double precision.
template <class A, class B> Result<double> pearsonOf(const A& a, const B& b)
{
    const size_t n = a.size();
    if (n != b.size() || n < 2) return makeError("", "", "need two sequences of equal length >= 2");
    double meanA = 0, meanB = 0;
    for (size_t k = 0; k < n; ++k)
        meanA += double(a[k]), meanB += double(b[k]);
    meanA /= double(n);
    meanB /= double(n);
    double ab = 0, aa = 0, bb = 0;
    for (size_t k = 0; k < n; ++k) {
        const double x = double(a[k]) - meanA, y = double(b[k]) - meanB;
        ab += x * y, aa += x * x, bb += y * y;
    }
    if (aa == 0 || bb == 0) return makeError("", "", "a matrix is constant; its correlation is undefined");
    return ab / std::sqrt(aa * bb);
}

} // namespace

template <class T> Result<double> pearson(const std::vector<T>& a, const std::vector<T>& b)
{
    return pearsonOf(a, b);
}

template <class T> Result<double> cosineOf(const std::vector<T>& a, const std::vector<T>& b)
{
    if (a.size() != b.size() || a.empty()) return makeError("", "", "need two sequences of equal length");
    double ab = 0, aa = 0, bb = 0;
    for (size_t k = 0; k < a.size(); ++k)
        ab += double(a[k]) * double(b[k]), aa += double(a[k]) * double(a[k]),
            bb += double(b[k]) * double(b[k]);
    if (aa == 0 || bb == 0) return makeError("", "", "a matrix is all zeros; cosine is undefined");
    return ab / std::sqrt(aa * bb);
}

namespace {

// Unsigned key with the same order as the float (−0 and +0 map to the same key, so they tie).
inline std::uint32_t orderedKey(float value)
{
    if (value == 0.0f) value = 0.0f;
    std::uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
}

// Sorts (key << 32 | index) by key. Below the threshold an LSD radix sort over the key's four bytes
// (stable, so equal keys stay in index order); above it std::sort in place, which needs no second buffer
// (26,107 stimuli give 340 M pairs: a second 2.7 GB buffer would not fit the memory budget).
void sortKeyed(std::vector<std::uint64_t>& keyed)
{
    constexpr size_t kRadixLimit = size_t(1) << 27;
    if (keyed.size() > kRadixLimit) {
        std::sort(keyed.begin(), keyed.end());
        return;
    }
    std::vector<std::uint64_t> buffer(keyed.size());
    for (int pass = 0; pass < 4; ++pass) {
        const int shift = 32 + 8 * pass;
        size_t counts[257] = {};
        for (std::uint64_t k : keyed)
            ++counts[((k >> shift) & 0xff) + 1];
        for (int b = 0; b < 256; ++b)
            counts[b + 1] += counts[b];
        for (std::uint64_t k : keyed)
            buffer[counts[(k >> shift) & 0xff]++] = k;
        keyed.swap(buffer);
    }
}

// Sorted (key, index) pairs of `values`.
std::vector<std::uint64_t> sortedKeys(const std::vector<float>& values)
{
    const size_t n = values.size();
    std::vector<std::uint64_t> keyed(n);
    for (size_t k = 0; k < n; ++k)
        keyed[k] = (std::uint64_t(orderedKey(values[k])) << 32) | std::uint64_t(k);
    sortKeyed(keyed);
    return keyed;
}

// Calls store(index, doubledRank) for every element, from the sorted keys.
template <class Store> void assignRanks(const std::vector<std::uint64_t>& keyed, const Store& store)
{
    const size_t n = keyed.size();
    for (size_t start = 0; start < n;) {
        size_t end = start + 1;
        const std::uint64_t key = keyed[start] >> 32;
        while (end < n && (keyed[end] >> 32) == key)
            ++end;
        const std::uint32_t doubled =
            std::uint32_t(start + 1 + end); // 2 × the average of ranks start+1 .. end
        for (size_t k = start; k < end; ++k)
            store(keyed[k] & 0xffffffffu, doubled);
        start = end;
    }
}

// Views a float buffer whose elements hold uint32 bit patterns.
struct BitsAsUnsigned
{
    const std::vector<float>& values;
    size_t size() const { return values.size(); }
    std::uint32_t operator[](size_t k) const
    {
        std::uint32_t bits;
        std::memcpy(&bits, &values[k], sizeof bits);
        return bits;
    }
};

} // namespace

Result<double> spearmanInPlace(std::vector<float>& a, std::vector<float>& b, const TaskContext& context)
{
    for (std::vector<float>* values : {&a, &b}) {
        if (context.cancelled()) return makeError("", "", "cancelled");
        const std::vector<std::uint64_t> keyed = sortedKeys(*values);
        float* data = values->data();
        assignRanks(keyed, [data](size_t index, std::uint32_t doubled) {
            std::memcpy(&data[index], &doubled, sizeof doubled);
        });
        context.report(values == &a ? 0.5 : 1.0, "ranking");
    }
    auto r = pearsonOf(BitsAsUnsigned{a}, BitsAsUnsigned{b});
    std::vector<float>().swap(a);
    std::vector<float>().swap(b);
    return r;
}

std::vector<std::uint32_t> doubledRanks(const std::vector<float>& values)
{
    std::vector<std::uint32_t> ranks(values.size());
    assignRanks(sortedKeys(values),
                [&ranks](size_t index, std::uint32_t doubled) { ranks[index] = doubled; });
    return ranks;
}

std::vector<std::uint32_t> doubledRanks(const std::vector<double>& values)
{
    // An LSD radix sort over the 64-bit order-preserving keys in 16-bit digits (digits every key shares, such
    // as the sign and the leading exponent bits, are skipped), with the index carried beside the key.
    struct Keyed
    {
        std::uint64_t key;
        std::uint32_t index;
    };
    const size_t n = values.size();
    std::vector<Keyed> keyed(n), buffer(n);
    for (size_t k = 0; k < n; ++k) {
        double value = values[k] == 0.0 ? 0.0 : values[k]; // −0 and +0 tie
        std::uint64_t bits;
        std::memcpy(&bits, &value, sizeof bits);
        keyed[k] = {(bits & 0x8000000000000000u) ? ~bits : (bits | 0x8000000000000000u), std::uint32_t(k)};
    }
    std::vector<size_t> counts(65537);
    for (int pass = 0; pass < 4; ++pass) {
        const int shift = 16 * pass;
        std::fill(counts.begin(), counts.end(), 0);
        for (const Keyed& k : keyed)
            ++counts[((k.key >> shift) & 0xffff) + 1];
        if (std::find(counts.begin(), counts.end(), n) != counts.end()) continue;
        for (size_t d = 0; d < 65536; ++d)
            counts[d + 1] += counts[d];
        for (const Keyed& k : keyed)
            buffer[counts[(k.key >> shift) & 0xffff]++] = k;
        keyed.swap(buffer);
    }
    std::vector<std::uint32_t> ranks(n);
    for (size_t start = 0; start < n;) {
        size_t end = start + 1;
        while (end < n && keyed[end].key == keyed[start].key)
            ++end;
        for (size_t k = start; k < end; ++k)
            ranks[keyed[k].index] = std::uint32_t(start + 1 + end);
        start = end;
    }
    return ranks;
}

template <class T>
Result<double> spearman(const std::vector<T>& a, const std::vector<T>& b, const TaskContext& context)
{
    context.report(0.0, "ranking");
    std::vector<std::uint32_t> ranksA = doubledRanks(a);
    if (context.cancelled()) return makeError("", "", "cancelled");
    context.report(0.5, "ranking");
    std::vector<std::uint32_t> ranksB = doubledRanks(b);
    context.report(1.0, "ranking");
    return pearsonOf(ranksA, ranksB);
}

namespace {

// Counts pairs (i < j) with y[i] > y[j] while merge-sorting y (strictly greater: ties are not inversions).
template <class T>
std::int64_t countInversions(std::vector<T>& y, std::vector<T>& scratch, size_t begin, size_t end)
{
    if (end - begin < 2) return 0;
    const size_t middle = begin + (end - begin) / 2;
    std::int64_t count =
        countInversions(y, scratch, begin, middle) + countInversions(y, scratch, middle, end);
    size_t left = begin, right = middle, out = begin;
    while (left < middle && right < end) {
        if (y[right] < y[left]) {
            count += std::int64_t(middle - left);
            scratch[out++] = y[right++];
        } else {
            scratch[out++] = y[left++];
        }
    }
    while (left < middle)
        scratch[out++] = y[left++];
    while (right < end)
        scratch[out++] = y[right++];
    std::copy(scratch.begin() + std::ptrdiff_t(begin), scratch.begin() + std::ptrdiff_t(end),
              y.begin() + std::ptrdiff_t(begin));
    return count;
}

// Σ over groups of equal consecutive values of g(g−1)/2.
template <class Equal> std::int64_t tiedPairs(size_t n, const Equal& equal)
{
    std::int64_t ties = 0;
    for (size_t start = 0; start < n;) {
        size_t end = start + 1;
        while (end < n && equal(start, end))
            ++end;
        const std::int64_t g = std::int64_t(end - start);
        ties += g * (g - 1) / 2;
        start = end;
    }
    return ties;
}

} // namespace

template <class T> Result<double> kendall(const std::vector<T>& a, const std::vector<T>& b, bool tauB)
{
    const size_t n = a.size();
    if (n != b.size() || n < 2) return makeError("", "", "need two sequences of equal length >= 2");
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t x, std::uint32_t y) { return a[x] != a[y] ? a[x] < a[y] : b[x] < b[y]; });
    const std::int64_t xTies = tiedPairs(n, [&](size_t s, size_t e) { return a[order[s]] == a[order[e]]; });
    const std::int64_t jointTies = tiedPairs(
        n, [&](size_t s, size_t e) { return a[order[s]] == a[order[e]] && b[order[s]] == b[order[e]]; });
    std::vector<T> y(n), scratch(n);
    for (size_t k = 0; k < n; ++k)
        y[k] = b[order[k]];
    const std::int64_t discordant = countInversions(y, scratch, 0, n); // y is now sorted
    const std::int64_t yTies = tiedPairs(n, [&](size_t s, size_t e) { return y[s] == y[e]; });
    const std::int64_t total = std::int64_t(n) * std::int64_t(n - 1) / 2;
    const double concordantMinusDiscordant = double(total - xTies - yTies + jointTies - 2 * discordant);
    if (!tauB) return concordantMinusDiscordant / double(total);
    if (total == xTies || total == yTies)
        return makeError("", "", "a matrix is constant; Kendall's tau-b is undefined");
    return concordantMinusDiscordant / std::sqrt(double(total - xTies)) / std::sqrt(double(total - yTies));
}

template Result<double> pearson(const std::vector<float>&, const std::vector<float>&);
template Result<double> pearson(const std::vector<double>&, const std::vector<double>&);
template Result<double> cosineOf(const std::vector<float>&, const std::vector<float>&);
template Result<double> cosineOf(const std::vector<double>&, const std::vector<double>&);
template Result<double> spearman(const std::vector<float>&, const std::vector<float>&, const TaskContext&);
template Result<double> spearman(const std::vector<double>&, const std::vector<double>&, const TaskContext&);
template Result<double> kendall(const std::vector<float>&, const std::vector<float>&, bool);
template Result<double> kendall(const std::vector<double>&, const std::vector<double>&, bool);

} // namespace alignscope
