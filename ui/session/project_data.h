#pragma once
// A project as a value: what was opened (with fingerprints), the analysis settings, features that exist
// only in memory with their provenance, the probe, and the computed results. The Workbench converts the
// live state to and from it; project_file.h converts it to and from a project folder.

#include "session/analysis_settings.h"
#include "session/session.h"

#include "alignscope/ndarray.h"
#include "alignscope/odd_one_out_analysis.h"
#include "alignscope/rsa_analysis.h"

#include <QString>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

struct ProjectData
{
    struct Input
    {
        QString path;
        QString changed; // when read: why the file no longer matches the saved fingerprint (empty: same)
    };
    struct Features
    {
        QString name; // the item's (virtual) path
        QString summary;
        std::shared_ptr<const alignscope::NdArray> array;
        std::vector<std::string> rowIds;
        std::optional<ExtractionRecord> extraction;
        bool transformedByProbe = false;
    };
    struct Probe
    {
        QString modelPath; // the probed features
        // Its accuracies are NaN: the saved ones cannot be verified without training again, so they are not
        // shown. `restoredFrom` names the project.json it was read from.
        alignscope::ProbeResult result;
        QString restoredFrom;
    };

    std::int64_t revision = 0; // as read: 0 to 2^53
    AnalysisSettings settings;
    std::vector<Input> inputs;
    std::vector<Features> features;
    std::optional<Probe> probe;
    // Display names chosen for items (Session::chosenNames), by the item's (virtual) path; older projects
    // have none and open with the default names.
    std::map<QString, QString> names;
    // The Compare page's inputs: result files of other models and the model table (paths, reopened).
    QStringList populationResults;
    QString modelTable;
    // Written: the current results. Read: caches that unchanged inputs reuse instead of recomputing.
    std::shared_ptr<const alignscope::OddOneOutAnalysis> oddOneOut;
    std::vector<std::shared_ptr<const alignscope::RsaAnalysis>> rsa;
    std::shared_ptr<const alignscope::OddOneOutCache> oddOneOutCache;
    std::shared_ptr<const alignscope::RsaCache> rsaCache;
};
