#pragma once
// Linear probing (Muttenthaler et al. 2023): a transform W (p × q, optional bias b) of globally standardized
// features, Z = X W + b, trained on human triplets with the softmax cross-entropy over the three pair dot
// products (target: the kept pair) plus λ‖W‖_F (not squared). Cross-validated over disjoint object sets.

#include "alignscope/data_model.h"
#include "alignscope/odd_one_out.h"
#include "alignscope/progress.h"
#include "alignscope/result.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace alignscope {

enum class ProbeOptimizer
{
    Lbfgs,
    Adam
};

// One optimisation step, for live loss curves (called on the computing thread).
struct ProbeStep
{
    int fold = 0; // −1 for the final refit on all objects
    double lambda = 0;
    int step = 0;
    double trainLoss = 0;
    double validationLoss = 0;     // held-out fold (L-BFGS) or validation split (Adam)
    double validationAccuracy = 0; // odd-one-out accuracy on the same triplets
};

struct ProbeOptions
{
    int folds = 3;
    std::vector<double> lambdas = {1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5}; // one value: no selection
    bool bias = false;
    ProbeOptimizer optimizer = ProbeOptimizer::Lbfgs;
    int lbfgsIterations = 300; // as the reference (history 20, strong Wolfe line search)
    int epochs = 100;          // Adam: at most this many epochs
    int batchSize = 256;
    double learningRate = 1e-3;
    int patience = 10; // Adam: epochs without a better validation loss before stopping
    std::uint64_t seed = 42;
    ComputeDevice device = ComputeDevice::Auto;
    std::vector<int> foldOfObject; // optional explicit fold (0..folds−1) per object; else seeded
    // How the objective is evaluated (both exact): through the n×n Gram matrix, or pair by pair.
    enum class Evaluation
    {
        Auto,
        Gram,
        Pairwise
    } evaluation = Evaluation::Auto;
    bool finalRefit = true; // false: cross-validation only (no transform), e.g. to compare with other tools
    std::function<void(const ProbeStep&)> onStep;
    int stepReportInterval = 10; // L-BFGS evaluations between onStep calls
};

// (X − mean) / std · weights + bias, the layout of thingsvision's gLocal transforms.
struct ProbeTransform
{
    std::int64_t inputDims = 0, outputDims = 0;
    std::vector<float> weights; // inputDims × outputDims
    std::vector<float> bias;    // outputDims or empty
    double mean = 0, std = 1;
};

struct ProbeFold
{
    int fold = 0;
    std::int64_t trainTriplets = 0, testTriplets = 0;
    double zeroShot = 0, probed = 0, testLoss = 0;
};

struct ProbeResult
{
    double zeroShotAccuracy = 0; // mean over folds, dot product of standardized features
    double cvAccuracy = 0;       // mean held-out accuracy of the transformed features
    double cvAccuracySd = 0;
    double lambda = 0; // chosen by mean held-out loss
    std::vector<ProbeFold> folds;
    ProbeTransform transform; // refit on all objects with the chosen λ
    double seconds = 0;
    std::string device;
};

Result<ProbeResult> runProbe(const FeatureMatrix& features, const TripletSet& triplets,
                             const ProbeOptions& options, const TaskContext& context = {});

Result<FeatureMatrix> applyTransform(const ProbeTransform& transform, const FeatureMatrix& features);
Status saveTransform(const std::string& path, const ProbeTransform& transform);
Result<ProbeTransform> loadTransform(const std::string& path);

} // namespace alignscope
