#pragma once
// The transfer matrix of the Compare page: rows are models, columns analyses (odd-one-out, RSA per human
// dataset, a probe's cross-validation); each cell says zero-shot → transformed and the change, coloured by
// the change on a diverging scale (red where the transform helps, blue where it hurts). Names wrap at word
// boundaries only (a word wider than its column shrinks its font); the matrix is as tall as its content.

#include "figures/population_figure.h"

#include <QFont>
#include <QRectF>

class QPainter;
class QPaintDevice;

// The height (in the device's units) the matrix needs at `width`, its rows as high as their content.
double transferMatrixHeight(const PopulationFigureData& figure, double width, const QFont& font,
                            QPaintDevice* device);

void paintTransferMatrix(QPainter& painter, const QRectF& rect, const QFont& font,
                         const PopulationFigureData& figure);
