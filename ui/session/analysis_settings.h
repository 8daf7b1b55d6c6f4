#pragma once
// What the user chose for the analyses: one value, owned by the Session and saved with projects.

#include "alignscope/odd_one_out.h"
#include "alignscope/row_mapping.h"
#include "alignscope/rsa.h"

#include <QString>
#include <map>

struct AnalysisSettings
{
    alignscope::SimilarityKind similarity = alignscope::SimilarityKind::Cosine;
    alignscope::RdmMethod rdm = alignscope::RdmMethod::Correlation;
    alignscope::CompareMethod compare = alignscope::CompareMethod::Spearman;
    QString conceptPath; // the matrix used as the concept space (empty: none)
    // Matrices that do not name their rows: how their rows map to the objects, by path.
    std::map<QString, alignscope::RowIdentity> rowIdentities;
};
