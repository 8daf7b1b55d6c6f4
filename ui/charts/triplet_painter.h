#pragma once
// The one paint routine for a triplet row: used by the list delegate on screen and by figure export
// (PNG via QImage, SVG via QSvgGenerator, PDF via QPdfWriter).

#include <QColor>
#include <QImage>
#include <QRectF>
#include <QString>

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

void paintTripletRow(QPainter& painter, const QRectF& rect, const TripletRow& row, bool selected);
constexpr int kTripletRowHeight = 92;
