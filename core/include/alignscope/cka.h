#pragma once
// Centered kernel alignment between two feature sets over the same stimuli (Kornblith et al. 2019).

#include "alignscope/data_model.h"
#include "alignscope/progress.h"
#include "alignscope/result.h"

namespace alignscope {

enum class CkaKernel
{
    Linear,
    Rbf
};

struct CkaOptions
{
    CkaKernel kernel = CkaKernel::Linear;
    // RBF bandwidth σ in k(x, y) = exp(−|x−y|² / (2σ²)) as a multiple of the median pairwise distance (the
    // lower middle value): σ = sigmaScale × median, > 0. Relative, so CKA stays invariant to the features'
    // scale.
    double sigmaScale = 1.0;
    bool unbiased = false; // unbiased HSIC estimator (Song et al. 2012), computed U-centred; needs n > 3
};

// Rows of a and b must be the same stimuli in the same order.
Result<double> cka(const FeatureMatrix& a, const FeatureMatrix& b, const CkaOptions& options = {},
                   const TaskContext& context = {});

} // namespace alignscope
