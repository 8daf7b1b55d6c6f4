#pragma once
// Human similarity data: from a concept embedding (Hebart et al. 2020), and the published dataset layouts
// (multi-arrangement, free arrangement, pairwise ratings) or any n×n matrix with an ID list.

#include "alignscope/data_model.h"
#include "alignscope/progress.h"
#include "alignscope/result.h"
#include "alignscope/rsa.h"

#include <string>
#include <vector>

namespace alignscope {

// S_ij = mean over third objects k (k ≠ i, j) of P(i and j kept together | {i, j, k}) under the softmax of
// the three dot products of concept rows. `stimuli` picks rows of `concepts` (the matrix rows and columns);
// `thirdObjectsFromAll` averages over every object of the space instead of the stimuli only.
// The concept values must be finite and non-negative (loadConceptSpace makes them so or fails).
Result<SimilarityMatrix> conceptSimilarity(const ConceptSpace& concepts,
                                           const std::vector<std::int64_t>& stimuli, bool thirdObjectsFromAll,
                                           const TaskContext& context = {});

// A human dataset: stimulus IDs in matrix order (image file stems where the layout has images), the
// subject-averaged matrix, and the per-subject stack when the data has one.
struct HumanDataset
{
    std::vector<std::string> stimulusIds;
    std::vector<std::string> imagePaths;
    SimilarityMatrix matrix;
    std::vector<CondensedMatrix> subjects; // dissimilarities per subject, or empty
    std::string description;
};

// Cichy et al. 2019: DIR/images/*.jpg (sorted by name), DIR/sim_judgements/judgments_general.mat,
// variable `judgments` (subjects × n × n dissimilarities), averaged over subjects.
Result<HumanDataset> loadMultiArrangement(const std::string& dir);
// King et al. 2019: DIR/images/<set>/*.jpg (sorted), DIR/sim_judgements/BEHAVIOR.mat, struct
// BEHAVIOR.<set>.pairwisedistances (subjects × condensed pairs), averaged over subjects.
Result<HumanDataset> loadFreeArrangement(const std::string& dir, const std::string& set);
// Peterson et al. 2016/2018: DIR/<category>/images/*.{jpg,png} (sorted),
// DIR/<category>/sim_judgements/*sim*.mat holding a variable whose name contains "sim" (an n×n similarity
// matrix).
Result<HumanDataset> loadPairwiseRatings(const std::string& dir, const std::string& category);
// Any n×n matrix file (npy, text, MAT variable via FILE:VAR) with an explicit kind. Stimulus IDs are `ids`
// when given, else those the file or its <stem>.rows.txt sidecar names, else none.
Result<HumanDataset> loadSquareMatrix(const std::string& spec, SimilarityMatrix::Kind kind,
                                      const std::vector<std::string>& ids);

// Reorders a dataset whose stimulusIds are known to `wantedIds` (matrix and per-subject stack); an ID missing
// from the dataset, or a dataset without IDs of a different size, is an error naming `name`.
Result<HumanDataset> alignToStimuli(HumanDataset data, const std::vector<std::string>& wantedIds,
                                    const std::string& name);

} // namespace alignscope
