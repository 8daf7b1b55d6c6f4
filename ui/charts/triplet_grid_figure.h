#pragma once
// Triplet rows as a print figure: as many rows as fit the page with thumbnails at least three lines high,
// each row painted by the screen's paint routine (paintTripletRow) at its natural height, in points.

#include "charts/triplet_painter.h"

#include <QFont>
#include <vector>

class QPainter;

// The most rows a grid shows: a caller needs to decode no more thumbnails than these.
inline constexpr int kTripletGridMostRows = 16;

struct TripletGridData
{
    std::vector<TripletRow>
        rows; // in order, thumbnails decoded; the first kTripletGridMostRows are candidates
};

// Paints the first rows of `grid` that fit `rect` with `font`. Returns how many rows were painted.
int paintTripletGrid(QPainter& painter, const QRectF& rect, const QFont& font, const TripletGridData& grid);

// The height (in the painter's units of `device`) that `count` rows need at `width` with thumbnails
// `thumbnail` high: the page size that shows the rows on screen at print size.
double tripletGridHeight(const QFont& font, const QPaintDevice* device, double width,
                         const std::vector<TripletRow>& rows, double thumbnail);
