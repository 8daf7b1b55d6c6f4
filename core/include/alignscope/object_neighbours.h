#pragma once
// Each object's nearest neighbours in a model's space and in the human space, and how far they agree: the
// overlap of the two k-neighbour sets (Jaccard@k) and the rank correlation of the object's two similarity
// rows.

#include "alignscope/data_model.h"
#include "alignscope/odd_one_out.h"
#include "alignscope/progress.h"
#include "alignscope/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace alignscope {

struct ObjectNeighbours
{
    std::string id;
    std::vector<std::int64_t> model; // k stimulus indices, nearest first
    std::vector<std::int64_t> human;
    std::int64_t shared = 0; // neighbours in both lists
    double jaccard = 0;      // shared / (2k − shared)
    // Spearman's ρ (average ranks for ties) of the object's model row with its human row, the object itself
    // left out; NaN when either row is constant.
    double spearman = 0;
};

struct NeighbourComparison
{
    int k = 0;
    std::vector<ObjectNeighbours> objects; // stimulus order
    double meanJaccard = 0;
    double meanSpearman = 0; // over the objects whose ρ is defined; NaN when none is
};

// `model`: the analysis's similarity over the stimuli (larger = more similar). `human`: n×n over the same
// stimuli in the same order, a similarity or a dissimilarity (its kind says which; a dissimilarity is
// negated). Equal similarities are ordered by stimulus ID (by code point), so the lists are deterministic.
// Fails when the sizes differ, k is not from 1 to n − 1, a model similarity is not finite (naming the two
// objects) or a human value is not (naming the matrix's origin).
Result<NeighbourComparison> compareNeighbours(const StimulusSet& stimuli, const PairwiseSimilarity& model,
                                              const SimilarityMatrix& human, int k,
                                              const TaskContext& context = {});

} // namespace alignscope
