#pragma once
// Zero-shot odd-one-out: for triplet (i, j, k) the model's odd one out is the object outside the most
// similar pair; agreement with the human choice (column 2) is the alignment measure.

#include "alignscope/data_model.h"
#include "alignscope/large_page_allocator.h"
#include "alignscope/progress.h"
#include "alignscope/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace alignscope {

enum class SimilarityKind
{
    Cosine,
    Dot,
    Euclidean,
    Correlation
};
enum class ComputeDevice
{
    Auto,
    Cpu,
    Cuda
};

Result<SimilarityKind> parseSimilarityKind(const std::string& name);
const char* similarityName(SimilarityKind kind);
Result<ComputeDevice> parseComputeDevice(const std::string& name);
const char* computeDeviceName(ComputeDevice device); // "auto", "cpu", "cuda": what parseComputeDevice reads
bool cudaAvailable();                                // a usable CUDA device is present

// n×n pairwise similarities, float32, row-major, symmetric. Euclidean is the negative distance. Keeps what it
// needs to recompute any entry exactly in float64 (`exact`), which decides near-ties the float32 matrix
// cannot.
struct PairwiseSimilarity
{
    std::int64_t n = 0;
    std::vector<float, LargePageAllocator<float>> values;
    std::string device; // "cpu" or "cuda"
    SimilarityKind kind = SimilarityKind::Cosine;
    const FeatureMatrix* features = nullptr; // must outlive this object for exact()
    std::vector<double> rowScale; // per row: 1/norm (cosine, correlation), squared norm (euclidean)
    std::vector<double> rowMean;  // per row mean (correlation)
    float tolerance = 0;          // bound on |float32 entry - exact entry|, in the units of `values`
    // Features far from unit scale are rescaled by a power of two before the float32 Gram matrix (exact, and
    // it keeps products from under- or overflowing): `values` times valueScale are the similarities
    // themselves.
    double valueScale = 1.0;
    // Set when `values` still held a non-finite entry: every choice is then made from exact() instead.
    bool exactOnly = false;

    double at(std::int64_t a, std::int64_t b) const
    {
        return exactOnly ? exact(a, b) : double(values[size_t(a * n + b)]) * valueScale;
    }
    double exact(std::int64_t a,
                 std::int64_t b) const; // float64 from the features; finite for finite features
};

// The n×n similarities themselves, row-major (at() of every pair, as float32): what code outside the
// analysis that needs a plain matrix (maps, neighbour lists) reads.
std::vector<float> denseSimilarity(const PairwiseSimilarity& similarity);

// Fails (naming the object) when cosine/correlation meet a row of zero norm.
Result<PairwiseSimilarity> computeSimilarity(const FeatureMatrix& features, SimilarityKind kind,
                                             ComputeDevice device, const TaskContext& context = {});

struct OddOneOutOptions
{
    SimilarityKind similarity = SimilarityKind::Cosine;
    double temperature = 1.0; // softmax temperature for the model's choice probabilities
    ComputeDevice device = ComputeDevice::Auto;
};

// Per triplet: which column the model picks as odd one out (0 = i, 1 = j, 2 = k = the human choice), or -1
// for an exact tie (counted as wrong). One byte per triplet; probabilities are derived on demand.
struct ModelChoices
{
    std::vector<std::int8_t> choice; // N
    std::int64_t correct = 0;
    std::int64_t ties = 0;
    std::int64_t refined = 0; // near-ties decided by exact float64 recomputation
    std::int64_t undecided =
        0; // triplets that met a non-finite similarity (marked -1); callers must not report
    std::string device;

    size_t size() const { return choice.size(); }
    double accuracy() const { return choice.empty() ? 0.0 : double(correct) / double(choice.size()); }
    bool isCorrect(size_t t) const { return choice[t] == 2; }
};

ModelChoices choicesFromSimilarity(const PairwiseSimilarity& similarity, const TripletSet& triplets,
                                   const TaskContext& context = {});

// Softmax over the three pair similarities at temperature T: probability that column c (0 = i, 1 = j,
// 2 = k) is the odd one out.
struct ChoiceProbabilities
{
    float p[3];
    float confidence() const; // the largest
    float entropy() const;    // nats
};
ChoiceProbabilities choiceProbabilities(const PairwiseSimilarity& similarity, const TripletSet& triplets,
                                        size_t t, double temperature);

// Similarity plus choices; `similarityOut` (optional) receives the matrix for later probability queries.
Result<ModelChoices> computeChoices(const FeatureMatrix& features, const TripletSet& triplets,
                                    const OddOneOutOptions& options, const TaskContext& context = {},
                                    PairwiseSimilarity* similarityOut = nullptr);

} // namespace alignscope
