#include "alignscope/alignment_stats.h"

#include "compare_exchange.h"
#include "parallel_for.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <random>

namespace alignscope {

namespace {

std::uint64_t unorderedKey(const std::int32_t* ijk)
{
    std::int64_t a = ijk[0], b = ijk[1], c = ijk[2];
    compareExchange(a, b);
    compareExchange(b, c);
    compareExchange(a, b);
    return (std::uint64_t(a) << 42) | (std::uint64_t(b) << 21) | std::uint64_t(c);
}

int bitWidth(std::uint64_t value)
{
    int bits = 0;
    while (bits < 64 && (value >> bits) != 0)
        ++bits;
    return bits;
}

// Every triplet's unordered key, sorted by key and then triplet. When the object and triplet numbers fit one
// 64-bit word together (THINGS: 3 × 11 + 23 bits), the words are radix-sorted: one counting pass over the
// triplets on the key's top digit (THINGS: the smallest object) that writes each word straight into its
// bucket, then each bucket on the rest of the key while it sits in cache. Words are unique (they hold the
// triplet), so the order is the one of a full sort. One word array and no zeroing: fresh memory is what
// costs most here (page clearing took a quarter of a whole run on a VM, perf).
class SortedTripletKeys
{
public:
    explicit SortedTripletKeys(const TripletSet& triplets)
    {
        const size_t count = triplets.size();
        std::int32_t largest = 0;
        for (std::int32_t index : triplets.indices)
            largest = std::max(largest, index);
        const int objectBits = bitWidth(std::uint64_t(largest));
        m_tripletBits = bitWidth(count);
        if (3 * objectBits + m_tripletBits > 64) {
            reserveOnHugePages(m_pairs, count);
            m_pairs.resize(count);
            for (size_t t = 0; t < count; ++t)
                m_pairs[t] = {unorderedKey(&triplets.indices[3 * t]), std::uint32_t(t)};
            std::sort(m_pairs.begin(), m_pairs.end());
            return;
        }
        const std::int32_t* indices = triplets.indices.data();
        const int tripletBits = m_tripletBits;
        auto word = [indices, objectBits, tripletBits](size_t t) {
            std::uint64_t a = std::uint64_t(indices[3 * t]), b = std::uint64_t(indices[3 * t + 1]),
                          c = std::uint64_t(indices[3 * t + 2]);
            compareExchange(a, b);
            compareExchange(b, c);
            compareExchange(a, b);
            return (((((a << objectBits) | b) << objectBits) | c) << tripletBits) | t;
        };
        const int topShift = m_tripletBits + std::max(0, 3 * objectBits - kDigitBits);
        std::vector<std::uint32_t> bucketStart(kDigits + 1, 0);
        if (objectBits >= kDigitBits) {
            // The top digit is the smallest object's top bits: two minima instead of the whole key.
            const int dropped = objectBits - kDigitBits;
            for (size_t t = 0; t < count; ++t) {
                std::uint32_t i = std::uint32_t(indices[3 * t]), j = std::uint32_t(indices[3 * t + 1]),
                              k = std::uint32_t(indices[3 * t + 2]);
                compareExchange(i, j);
                compareExchange(i, k);
                ++bucketStart[(i >> dropped) + 1];
            }
        } else {
            for (size_t t = 0; t < count; ++t)
                ++bucketStart[((word(t) >> topShift) & kDigitMask) + 1];
        }
        for (size_t d = 1; d <= kDigits; ++d)
            bucketStart[d] += bucketStart[d - 1];
        m_words.resize(count); // every word is written below: no zeroing pass (LargePageAllocator)
        std::vector<std::uint32_t> next(bucketStart.begin(), bucketStart.end() - 1);
        for (size_t t = 0; t < count; ++t) {
            const std::uint64_t w = word(t);
            m_words[next[(w >> topShift) & kDigitMask]++] = w;
        }
        std::vector<std::uint32_t> start(kDigits + 1);
        std::vector<std::uint64_t> spare;
        for (size_t digit = 0; digit < kDigits; ++digit) {
            std::uint64_t* bucket = m_words.data() + bucketStart[digit];
            const size_t size = bucketStart[digit + 1] - bucketStart[digit];
            if (size < 512) {
                std::sort(bucket, bucket + size);
                continue;
            }
            if (spare.size() < size) spare.resize(size);
            std::uint64_t* from = bucket;
            std::uint64_t* to = spare.data();
            for (int shift = m_tripletBits; shift < topShift; shift += kDigitBits) {
                countingSort(from, size, to, shift, start.data());
                std::swap(from, to);
            }
            if (from != bucket) std::copy(from, from + size, bucket);
        }
    }

    // The first position at or after `from` whose key the next position repeats (size() when none). Repeats
    // are rare: a scan over the words without a call per position (10 ms of 4.7 M positions, THINGS, before).
    size_t nextRepeat(size_t from) const
    {
        const size_t count = size();
        if (!m_pairs.empty()) {
            while (from + 1 < count && m_pairs[from].first != m_pairs[from + 1].first)
                ++from;
        } else {
            const std::uint64_t* words = m_words.data();
            const int shift = m_tripletBits;
            while (from + 1 < count && ((words[from] ^ words[from + 1]) >> shift) != 0)
                ++from;
        }
        return from + 1 < count ? from : count;
    }
    size_t size() const { return m_pairs.empty() ? m_words.size() : m_pairs.size(); }

    std::uint64_t key(size_t position) const
    {
        return m_pairs.empty() ? m_words[position] >> m_tripletBits : m_pairs[position].first;
    }
    size_t triplet(size_t position) const
    {
        return m_pairs.empty() ? size_t(m_words[position] & ((std::uint64_t(1) << m_tripletBits) - 1))
                               : m_pairs[position].second;
    }

private:
    static constexpr int kDigitBits = 11;
    static constexpr size_t kDigits = size_t(1) << kDigitBits;
    static constexpr std::uint64_t kDigitMask = kDigits - 1;

    // Stable counting sort of words[0, size) into out on the digit at `shift`; `start` has kDigits + 1 slots.
    static void countingSort(const std::uint64_t* words, size_t size, std::uint64_t* out, int shift,
                             std::uint32_t* start)
    {
        std::fill(start, start + kDigits + 1, 0u);
        for (size_t w = 0; w < size; ++w)
            ++start[((words[w] >> shift) & kDigitMask) + 1];
        for (size_t d = 1; d <= kDigits; ++d)
            start[d] += start[d - 1];
        for (size_t w = 0; w < size; ++w)
            out[start[(words[w] >> shift) & kDigitMask]++] = words[w];
    }

    std::vector<std::uint64_t, LargePageAllocator<std::uint64_t>> m_words; // key << tripletBits | triplet
    std::vector<std::pair<std::uint64_t, std::uint32_t>> m_pairs;          // when they do not fit a word
    int m_tripletBits = 0;
};

} // namespace

Interval percentileInterval(std::vector<double> values)
{
    if (values.empty()) return {};
    std::sort(values.begin(), values.end());
    auto at = [&](double q) {
        const double position = q * double(values.size() - 1);
        const size_t below = size_t(std::floor(position));
        const size_t above = std::min(values.size() - 1, below + 1);
        return values[below] + (position - double(below)) * (values[above] - values[below]);
    };
    return {at(0.025), at(0.975)};
}

Interval bootstrapTripletInterval(std::int64_t correct, std::int64_t total, int replicates,
                                  std::uint64_t seed)
{
    if (total <= 0 || replicates <= 0) return {};
    std::mt19937_64 rng(seed);
    std::binomial_distribution<std::int64_t> draw(total, double(correct) / double(total));
    std::vector<double> accuracies(static_cast<size_t>(replicates));
    for (auto& a : accuracies)
        a = double(draw(rng)) / double(total);
    return percentileInterval(std::move(accuracies));
}

Interval bootstrapObjectInterval(const TripletSet& triplets, const std::vector<std::int8_t>& choice,
                                 size_t objectCount, int replicates, std::uint64_t seed,
                                 const TaskContext& context)
{
    if (triplets.size() == 0 || replicates <= 0 || objectCount == 0 || objectCount >= (size_t(1) << 31))
        return {};
    // Triplets grouped by their first object, j and k packed with the outcome: a replicate then skips every
    // object drawn zero times (about 37% of them) with all of its triplets, and reads two multiplicities per
    // triplet.
    std::vector<std::uint64_t> offsets(objectCount + 1, 0);
    for (size_t t = 0; t < triplets.size(); ++t)
        ++offsets[size_t(triplets.at(t, 0)) + 1];
    for (size_t o = 0; o < objectCount; ++o)
        offsets[o + 1] += offsets[o];
    std::vector<std::uint64_t> packed(triplets.size());
    {
        std::vector<std::uint64_t> fill(offsets.begin(), offsets.end() - 1);
        for (size_t t = 0; t < triplets.size(); ++t)
            packed[fill[size_t(triplets.at(t, 0))]++] = std::uint64_t(triplets.at(t, 1)) |
                                                        (std::uint64_t(triplets.at(t, 2)) << 31) |
                                                        (std::uint64_t(choice[t] == 2) << 62);
    }
    constexpr std::uint64_t kIndexMask = (std::uint64_t(1) << 31) - 1;
    // The multiplicities are drawn in sequence from one generator, exactly as one replicate after another
    // would, and the replicates of a block are then weighed in parallel: the same intervals for a seed on any
    // number of cores. Weights are integers (products of counts), so their sums are exact in any order.
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<size_t> pick(0, objectCount - 1);
    const int block = 64;
    std::vector<std::uint32_t> multiplicity(size_t(block) * objectCount);
    std::vector<double> blockAccuracy(static_cast<size_t>(block));
    std::vector<double> accuracies;
    accuracies.reserve(size_t(replicates));
    for (int first = 0; first < replicates; first += block) {
        if (context.cancelled()) return {};
        const int count = std::min(block, replicates - first);
        std::fill(multiplicity.begin(), multiplicity.end(), 0);
        for (int r = 0; r < count; ++r)
            for (size_t o = 0; o < objectCount; ++o)
                ++multiplicity[size_t(r) * objectCount + pick(rng)];
        parallelFor(count, 1, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t r = begin; r < end; ++r) {
                const std::uint32_t* m = multiplicity.data() + size_t(r) * objectCount;
                std::uint64_t weight = 0, correctWeight = 0;
                for (size_t i = 0; i < objectCount; ++i) {
                    if (m[i] == 0) continue;
                    std::uint64_t rowWeight = 0, rowCorrect = 0;
                    for (std::uint64_t e = offsets[i]; e < offsets[i + 1]; ++e) {
                        const std::uint64_t entry = packed[e];
                        const std::uint64_t w =
                            std::uint64_t(m[entry & kIndexMask]) * m[(entry >> 31) & kIndexMask];
                        rowWeight += w;
                        rowCorrect += w & (std::uint64_t(0) - (entry >> 62));
                    }
                    weight += m[i] * rowWeight;
                    correctWeight += m[i] * rowCorrect;
                }
                blockAccuracy[size_t(r)] = weight > 0 ? double(correctWeight) / double(weight) : -1.0;
            }
        });
        for (int r = 0; r < count; ++r)
            if (blockAccuracy[size_t(r)] >= 0) accuracies.push_back(blockAccuracy[size_t(r)]);
        context.report(double(first + count) / replicates, "object bootstrap");
    }
    return percentileInterval(std::move(accuracies));
}

Interval jackknifeObjectInterval(const TripletSet& triplets, const std::vector<std::int8_t>& choice,
                                 size_t objectCount)
{
    if (triplets.size() == 0 || choice.size() != triplets.size()) return {};
    // Per object: triplets that contain it and how many of those the model got right (exact integers),
    // counted per thread and summed.
    std::vector<std::int64_t> containing(objectCount, 0), correctContaining(objectCount, 0);
    std::int64_t correct = 0;
    bool outside = false;
    const std::int64_t total = std::int64_t(triplets.size());
    std::mutex merge;
    parallelFor(total, 1 << 16, [&](std::int64_t begin, std::int64_t end) {
        std::vector<std::int64_t> mine(objectCount, 0), mineCorrect(objectCount, 0);
        std::int64_t mineTotalCorrect = 0;
        bool mineOutside = false;
        for (std::int64_t t = begin; t < end; ++t) {
            const std::int64_t right = choice[size_t(t)] == 2;
            mineTotalCorrect += right;
            for (int c = 0; c < 3; ++c) {
                const size_t o = size_t(std::uint32_t(triplets.at(size_t(t), c)));
                if (o >= objectCount) {
                    mineOutside = true;
                    continue;
                }
                ++mine[o];
                mineCorrect[o] += right;
            }
        }
        const std::lock_guard<std::mutex> lock(merge);
        for (size_t o = 0; o < objectCount; ++o)
            containing[o] += mine[o], correctContaining[o] += mineCorrect[o];
        correct += mineTotalCorrect;
        outside = outside || mineOutside;
    });
    if (outside) return {};
    std::vector<double> leftOut;
    for (size_t o = 0; o < objectCount; ++o) {
        if (containing[o] == 0) continue;
        const std::int64_t remaining = total - containing[o];
        if (remaining == 0) return {}; // every triplet contains o: the statistic is undefined without it
        leftOut.push_back(double(correct - correctContaining[o]) / double(remaining));
    }
    const double n = double(leftOut.size());
    if (n < 3) return {};
    double mean = 0;
    for (double value : leftOut)
        mean += value;
    mean /= n;
    double squares = 0;
    for (double value : leftOut)
        squares += (value - mean) * (value - mean);
    const double standardError = std::sqrt((n - 1) / n * squares);
    const double accuracy = double(correct) / double(total);
    return {std::max(0.0, accuracy - 1.959963984540054 * standardError),
            std::min(1.0, accuracy + 1.959963984540054 * standardError)};
}

const TripletRepeats::Member* TripletRepeats::find(std::int64_t triplet) const
{
    const auto it = std::lower_bound(members.begin(), members.end(), triplet,
                                     [](const Member& m, std::int64_t t) { return m.triplet < t; });
    return it != members.end() && it->triplet == triplet ? &*it : nullptr;
}

TripletRepeats analyseRepeats(const TripletSet& triplets)
{
    TripletRepeats out;
    const size_t count = triplets.size();
    // Group by sorting (unordered key, triplet) pairs: one allocation instead of a hash map of vectors.
    const SortedTripletKeys keyed(triplets);
    double agreement = 0;
    for (size_t begin = keyed.nextRepeat(0); begin < count; begin = keyed.nextRepeat(begin)) {
        size_t end = begin + 1;
        while (end < count && keyed.key(end) == keyed.key(begin))
            ++end;
        if (end - begin >= 2) {
            const std::int64_t id = out.groups++;
            // Responses per odd-one-out object; a group names at most three objects.
            std::int32_t objects[3] = {-1, -1, -1};
            int votes[3] = {0, 0, 0};
            auto slot = [&](std::int32_t object) {
                for (int s = 0; s < 3; ++s)
                    if (objects[s] == object || objects[s] < 0) {
                        objects[s] = object;
                        return s;
                    }
                return 2; // unreachable: the odd one out is one of the group's three objects
            };
            for (size_t m = begin; m < end; ++m)
                ++votes[slot(triplets.at(keyed.triplet(m), 2))];
            const float size = float(end - begin);
            for (size_t m = begin; m < end; ++m) {
                const size_t t = keyed.triplet(m);
                const int mine = slot(triplets.at(t, 2));
                out.members.push_back({std::int64_t(t), id, float(votes[mine]) / size});
                // Majority of the other responses; a tie among several majorities counts as a fair coin.
                int best = 0, tied = 0;
                for (int s = 0; s < 3 && objects[s] >= 0; ++s) {
                    const int others = votes[s] - (s == mine ? 1 : 0);
                    if (others > best)
                        best = others, tied = 1;
                    else if (others == best)
                        ++tied;
                }
                if (best > 0 && votes[mine] - 1 == best) agreement += 1.0 / tied;
                ++out.repeatedResponses;
            }
        }
        begin = end;
    }
    std::sort(out.members.begin(), out.members.end(),
              [](const TripletRepeats::Member& a, const TripletRepeats::Member& b) {
                  return a.triplet < b.triplet;
              });
    if (out.repeatedResponses > 0) out.agreement = agreement / double(out.repeatedResponses);
    if (out.groups >= kMinRepeatGroups)
        out.noiseCeiling = out.agreement;
    else if (out.groups > 0)
        out.ceilingNote = "only " + std::to_string(out.groups) +
                          " repeated triplets; a noise ceiling needs at least " +
                          std::to_string(kMinRepeatGroups);
    return out;
}

double normalisedScore(double accuracy, double ceiling)
{
    if (!(ceiling > 1.0 / 3.0 + 1e-9)) return std::numeric_limits<double>::quiet_NaN();
    return (accuracy - 1.0 / 3.0) / (ceiling - 1.0 / 3.0);
}

double choiceAgreement(const ModelChoices& a, const ModelChoices& b)
{
    if (a.size() != b.size() || a.size() == 0) return 0;
    size_t same = 0;
    for (size_t t = 0; t < a.size(); ++t)
        same += a.choice[t] == b.choice[t];
    return double(same) / double(a.size());
}

PairedComparison comparePaired(const ModelChoices& a, const ModelChoices& b, int replicates,
                               std::uint64_t seed)
{
    PairedComparison out;
    const std::int64_t n = std::int64_t(a.size());
    if (n == 0 || a.size() != b.size()) return out;
    std::int64_t both = 0;
    for (size_t t = 0; t < a.size(); ++t) {
        const bool ca = a.isCorrect(t), cb = b.isCorrect(t);
        both += ca && cb;
        out.onlyA += ca && !cb;
        out.onlyB += !ca && cb;
    }
    out.difference = double(out.onlyA - out.onlyB) / double(n);
    std::mt19937_64 rng(seed);
    // Paired resampling of triplets: the counts of the discordant cells are multinomial; draw them as
    // successive binomials.
    std::vector<double> differences(size_t(std::max(replicates, 0)));
    const double pA = double(out.onlyA) / double(n);
    const double pB = out.onlyA < n ? double(out.onlyB) / double(n - out.onlyA) : 0.0;
    for (auto& d : differences) {
        const std::int64_t drawnA = std::binomial_distribution<std::int64_t>(n, pA)(rng);
        const std::int64_t drawnB =
            std::binomial_distribution<std::int64_t>(n - drawnA, std::min(1.0, pB))(rng);
        d = double(drawnA - drawnB) / double(n);
    }
    out.ci95 = percentileInterval(differences);
    // Permutation: swapping a and b on a triplet only matters where they disagree; the permuted number of
    // "a-only" wins among the m discordant triplets is Binomial(m, 1/2).
    const std::int64_t discordant = out.onlyA + out.onlyB;
    const std::int64_t observed = std::llabs(out.onlyA - out.onlyB);
    std::int64_t extreme = 0;
    std::binomial_distribution<std::int64_t> flip(discordant, 0.5);
    for (int r = 0; r < replicates; ++r) {
        const std::int64_t wins = flip(rng);
        extreme += std::llabs(2 * wins - discordant) >= observed;
    }
    out.pValue = replicates > 0 ? double(extreme + 1) / double(replicates + 1) : 1.0;
    return out;
}

} // namespace alignscope
