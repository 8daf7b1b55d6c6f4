#pragma once
// The Objects page's maps as plain values: the objects under one model and under people, side by side (each
// a classical MDS of its similarities), coloured by each object's top concept dimension. Built by
// objectMapsFigure, drawn by charts/object_maps_chart.h's paintObjectMaps.

#include "alignscope/data_model.h"
#include "alignscope/object_map.h"

#include <QPointF>
#include <QString>
#include <QStringList>
#include <string>
#include <vector>

struct ObjectMapsFigure
{
    QString title;
    QString leftTitle, rightTitle;    // "colour_histogram", "people (concept space)"
    QString message;                  // instead of the maps when there is nothing to draw (says why)
    std::vector<QPointF> left, right; // per object, in the map's own units
    std::vector<int> colour;          // per object: index into `legend`, -1 none
    QStringList legend;               // the top concept dimensions present
    QStringList names;                // per object
    int highlighted = -1;             // the object inspected: ringed in both maps
    std::vector<int> selected;        // the lasso's objects: outlined in both maps
};

// `topConcept`: per object its top dimension (index into `conceptLabels`), or empty.
ObjectMapsFigure objectMapsFigure(const alignscope::StimulusSet& stimuli, const std::string& modelName,
                                  const alignscope::ObjectMap& model, const std::string& humanName,
                                  const alignscope::ObjectMap& human, const std::vector<int>& topConcept,
                                  const std::vector<std::string>& conceptLabels);
