#pragma once
// The one paint routine for a triplet row: used by the list delegate on screen and by figure export
// (PNG via QImage, SVG via QSvgGenerator, PDF via QPdfWriter). Lengths come from the font's line height, so
// a row laid out in points for a print column is as legible as one laid out in screen pixels.

#include <QColor>
#include <QImage>
#include <QRectF>
#include <QString>

class QFont;
class QPaintDevice;
class QPainter;

struct TripletCard
{
    QString name;
    QString category;
    QImage thumbnail; // null: draw a name card
};

struct TripletRow
{
    TripletCard cards[3];
    int humanOdd = 2;  // column the participant chose (always 2 in THINGS convention)
    int modelOdd = -1; // column the model chose, -1 for a tie
    float probability[3] = {0, 0, 0};
    QString caption; // e.g. "#1234 · dimension 12 · consensus 0.67"
};

// Where a row's parts go at a given width: each card's thumbnail beside its text when cards are wide (the
// screen), above it when they are narrow (a print column); every text wraps to the card and is measured.
struct TripletRowGeometry
{
    bool stacked = false;
    double thumbnail = 0;  // side of the square a thumbnail is fitted into
    double line = 0;       // the font's line height
    double textHeight = 0; // the tallest card's text (name, category, p(odd), marks)
    double captionHeight = 0;
    double height() const; // the row's natural height
};

// Measured with `font` on `device` (its bold variant for names); `thumbnail` is clamped to what a card holds.
TripletRowGeometry tripletRowGeometry(const QFont& font, const QPaintDevice* device, double width,
                                      const TripletRow& row, double thumbnail);

// Paints `row` into `rect` with the painter's font; the thumbnail fills what the rect's height leaves.
void paintTripletRow(QPainter& painter, const QRectF& rect, const TripletRow& row, bool selected);
