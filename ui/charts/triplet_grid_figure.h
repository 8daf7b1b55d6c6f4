#pragma once
// Triplet rows as a print figure: as many rows as fit the page with thumbnails at least three lines high,
// each row painted by the screen's paint routine (paintTripletRow) at its natural height, in points.

#include "charts/triplet_painter.h"

#include <functional>

class QPainter;

// `rowAt(i)` gives the i-th of `available` rows (thumbnails decoded). Returns how many rows were painted.
int paintTripletGrid(QPainter& painter, const QRectF& rect, int available,
                     const std::function<TripletRow(int)>& rowAt);

// The height (in the painter's units of `device`) that `count` rows need at `width` with thumbnails
// `thumbnail` high: the page size that shows the rows on screen at print size.
double tripletGridHeight(const QFont& font, const QPaintDevice* device, double width,
                         const std::vector<TripletRow>& rows, double thumbnail);
