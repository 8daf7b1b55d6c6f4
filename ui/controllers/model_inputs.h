#pragma once
// What the analyses read from a Session snapshot, with every matrix's rows mapped to the objects by ID:
// the models (features), the concept space and an n×n human matrix over the objects. Runs on a worker: at
// THINGS scale mapping rows copies 15 MB per model, too long for the GUI thread.

#include "session/session.h"

#include "alignscope/human_similarity.h"
#include "alignscope/odd_one_out_analysis.h"

#include <QStringList>
#include <optional>
#include <vector>

struct ModelInputs
{
    std::vector<std::pair<std::string, alignscope::FeatureMatrix>> models;
    std::vector<int> modelIds; // the session item of each model, in the same order
    std::optional<alignscope::ConceptSpace> concepts;
    std::optional<alignscope::SimilarityMatrix> humanMatrix;
    std::string humanName, conceptsName; // the display names of the human matrix and the concept space
    QString problem;                     // non-empty when an input cannot be used
    QStringList notices; // what loading changed (e.g. tiny negative concept values clamped to 0)
};

// What is gathered: everything the analyses read, or only the concept space (the Objects page's neighbours:
// mapping every model's features, 15 MB each at THINGS scale, would be wasted there).
enum class GatheredInputs
{
    All,
    ConceptSpaceOnly
};
ModelInputs gatherModelInputs(const Session::Snapshot& snapshot, const alignscope::StimulusSet& stimuli,
                              GatheredInputs gathered = GatheredInputs::All);

// The row identity of a matrix: the mapping chosen for its path, else the IDs it names.
alignscope::RowIdentity identityOf(const SessionItem& item, const AnalysisSettings& settings);

// A model or concept matrix that names no rows and has no mapping chosen (empty when there is none).
QString missingRowMapping(const Session::Snapshot& snapshot);
