#pragma once
// The demo's population of models: simulated feature sets over the demo's objects, built so that one factor
// (the training data) truly drives alignment with the simulated humans and others (family, size) truly do
// not, and one concept ("striped") is captured by no model. Their odd-one-out results are computed by the
// core's analysis like any model's and written as `alignscope-cli ooo --json` output, with a model table.

#include "alignscope/demo_data.h"
#include "alignscope/progress.h"
#include "alignscope/result.h"

#include <string>
#include <vector>

namespace alignscope {

struct DemoPopulation
{
    std::string results;  // <demo>/population/results.json (ooo --json layout)
    std::string metadata; // <demo>/population/models.csv: model, training_data, family, size, parameters
    std::vector<std::string> models; // names, in the results' order
};

// The factor that drives alignment, and the concept no model captures.
inline constexpr const char* kDemoPlantedFactor = "training_data";
inline constexpr const char* kDemoUncapturedConcept = "striped";

// Writes the population beside the demo (reusing a complete earlier one); writes are atomic.
Result<DemoPopulation> generateDemoPopulation(const DemoDataset& demo, const TaskContext& context = {});

} // namespace alignscope
