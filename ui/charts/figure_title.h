#pragma once
// A figure's title: bold, centred, wrapped at word boundaries within the figure's width. Shared by the
// paint routines so that every figure's title sits and wraps alike on screen and in every export format.

#include <QColor>
#include <QFont>
#include <QRectF>
#include <QString>

class QPainter;
class QPaintDevice;

// Where the title goes inside `rect` (its top, 4 px in from the sides), measured on `device`.
QRectF figureTitleBox(const QRectF& rect, const QFont& font, const QString& title, QPaintDevice* device);
// The dark grey of the figures' text (titles, labels, ticks): softer than black on paper, still legible.
inline QColor figureTextColour()
{
    return QColor(40, 40, 40);
}
// Draws the title into `box` (from figureTitleBox) in bold, in figureTextColour, and leaves the painter's
// font as `font` and its pen in that colour.
void drawFigureTitle(QPainter& painter, const QRectF& box, const QFont& font, const QString& title);
