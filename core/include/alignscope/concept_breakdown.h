#pragma once
// Splitting triplets by the concept dimension (e.g. VICE) that dominates the human-kept pair.

#include "alignscope/alignment_stats.h"
#include "alignscope/data_model.h"
#include "alignscope/odd_one_out.h"

#include <string>
#include <vector>

namespace alignscope {

// Per triplet, the dimensions with the largest and second-largest mean concept value over the kept
// pair (i, j). Sums are taken in float32 like the reference; the first maximum wins ties.
struct ConceptAssignment
{
    using Dimension = std::uint16_t; // concept spaces have at most kMaxConceptDimensions
    std::int64_t dimensions = 0;
    std::vector<Dimension> top;    // N
    std::vector<Dimension> second; // N
};
ConceptAssignment assignConceptDimensions(const ConceptSpace& concepts, const TripletSet& triplets);

struct ConceptAccuracy
{
    int dimension = 0;
    std::string label;
    std::int64_t triplets = 0;
    std::int64_t correct = 0;
    double accuracy = 0; // NaN when no triplet falls in the dimension
    Interval ci95;
};

// `topK` 1 uses each triplet's top dimension; 2 counts it under both of its top two dimensions.
std::vector<ConceptAccuracy> perConceptAccuracy(const ConceptAssignment& assignment,
                                                const ModelChoices& choices, int topK,
                                                const std::vector<std::string>& labels, int replicates,
                                                std::uint64_t seed);

// "12: strawberry, raspberry, cherry": the dimension's index and its objects with the largest values.
std::vector<std::string> autoConceptLabels(const ConceptSpace& concepts, const StimulusSet& stimuli,
                                           int topObjects = 3);

} // namespace alignscope
