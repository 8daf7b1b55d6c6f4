#pragma once
// Decides what a dropped or opened path is by its content and loads it (runs on a worker thread).

#include "alignscope/data_model.h"
#include "alignscope/delimited_table.h"
#include "alignscope/human_similarity.h"
#include "alignscope/matrix_file.h"
#include "alignscope/progress.h"
#include "alignscope/row_mapping.h"

#include <QString>
#include <memory>

struct LoadedItem
{
    enum class Kind
    {
        Objects,
        Triplets,
        Matrix,
        Model,
        IdList,
        HumanDataset,
        BatchResults,
        Failed
    };

    Kind kind = Kind::Failed;
    QString path;
    QString summary; // one line for the workspace panel
    QString name;  // the display name its maker chose (extracted features: the model's); empty: from the path
    QString error; // when Failed: "<file>: <reason>"
    std::shared_ptr<const alignscope::StimulusSet> objects;
    std::shared_ptr<const alignscope::TripletSet> triplets;
    std::shared_ptr<const alignscope::LoadedMatrix> matrix;
    std::shared_ptr<const alignscope::HumanDataset> human;   // a human similarity dataset folder
    std::shared_ptr<const alignscope::DelimitedTable> table; // merged batch results (alignscope-cli merge)
    std::vector<LoadedItem> extra;                           // a THINGS folder also yields its triplet splits
};

// `objectCount` is the size of the current object set (0 when none), needed to validate triplets.
LoadedItem loadPath(const QString& path, size_t objectCount, const alignscope::TaskContext& context);

// Loads several paths dropped or opened together: object sets (THINGS folders, concept tables, and an ID
// list when no objects exist yet) first, so that triplets among the others are checked against them.
std::vector<LoadedItem> loadPaths(const QStringList& paths, size_t objectCount,
                                  const alignscope::TaskContext& context);

// The rows of a loaded matrix as features of `stimuli`, matched by `identity`; with `allowExtraRows`, rows of
// other stimuli are ignored. Errors name the file and the missing or extra IDs.
alignscope::Result<alignscope::FeatureMatrix> featuresOf(const LoadedItem& item,
                                                         const alignscope::StimulusSet& stimuli,
                                                         const alignscope::RowIdentity& identity,
                                                         bool allowExtraRows = false);
