#pragma once
// The transfer matrix of the Compare page: rows are models, columns analyses (odd-one-out, RSA per human
// dataset, a probe's cross-validation); each cell says zero-shot → transformed and the change, coloured by
// the change on a diverging scale (red where the transform helps, blue where it hurts).

#include "figures/population_figure.h"

#include <QFont>
#include <QRectF>

class QPainter;

void paintTransferMatrix(QPainter& painter, const QRectF& rect, const QFont& font,
                         const PopulationFigureData& figure);
