#pragma once
// The concept × model heatmap of the Compare page: rows are concepts, columns models (in group order, a tick
// of the group's colour above each, a legend below) then one summary column per group (the group's mean), so
// that a concept no model captures reads as a pale row across. Raw accuracy on a sequential scale from
// chance, or the difference from the across-model mean on a diverging one; a colour bar says which.

#include "figures/population_figure.h"

#include <QFont>
#include <QRectF>
#include <optional>
#include <utility>

class QPainter;
class QPaintDevice;

void paintConceptModelHeatmap(QPainter& painter, const QRectF& rect, const QFont& font,
                              const PopulationFigureData& figure);

// The height (in the device's units) the heatmap needs at `width`: every concept a line high and every column
// label whole; a figure exported shorter grows to it.
double conceptModelHeatmapHeight(const PopulationFigureData& figure, double width, const QFont& font,
                                 QPaintDevice* device);

// The cell under `point` for the heatmap painted into `rect`, by its model column and concept row (indices
// into the figure's columns and concepts); none outside the model cells.
struct HeatmapCell
{
    int column = -1;
    int concept = -1;
};
std::optional<HeatmapCell> conceptModelHeatmapCellAt(const PopulationFigureData& figure, const QRectF& rect,
                                                     const QFont& font, QPaintDevice* device,
                                                     const QPointF& point);
