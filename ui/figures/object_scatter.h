#pragma once
// The Objects page's scatter, one point per object: a per-object measure of one model against another's (or
// the same model's other measure), as the Compare page's scatter value (PopulationFigureData, drawn by
// paintPopulationFigure): a point's modelIndex is the object's stimulus index, its name the object's.

#include "figures/population_figure.h"

#include "alignscope/object_alignment.h"
#include "alignscope/object_neighbours.h"

#include <string>
#include <vector>

// A model's accuracy over an object's triplets, or its local agreement (Jaccard@k of the object's model
// and human neighbours).
struct ObjectMeasure
{
    enum class Kind
    {
        Accuracy,
        Agreement
    };
    Kind kind = Kind::Accuracy;
    int model = 0;
    bool operator==(const ObjectMeasure& other) const { return kind == other.kind && model == other.model; }
};

// `neighbours`: per model, empty without a concept space (then an agreement measure has no value). Objects
// without both values are left out (said in modelsWithoutValues by count, not by name: thousands of them).
PopulationFigureData objectScatterFigure(const alignscope::StimulusSet& stimuli,
                                         const std::vector<std::string>& modelNames,
                                         const alignscope::PerObjectAlignment& alignment,
                                         const std::vector<alignscope::NeighbourComparison>& neighbours,
                                         ObjectMeasure x, ObjectMeasure y);
// "accuracy: resnet50", "neighbours J@10: resnet50".
QString objectMeasureLabel(const std::vector<std::string>& modelNames,
                           const std::vector<alignscope::NeighbourComparison>& neighbours,
                           ObjectMeasure measure);
