#pragma once
// Perceptual colormaps (viridis, cividis, magma, grey) and a diverging one for signed differences.

#include <QColor>
#include <QStringList>

enum class Colormap
{
    Viridis,
    Cividis,
    Magma,
    Grey,
    Diverging
};

const char* colormapName(Colormap map);
QStringList colormapNames(); // the first four, for menus
// t in [0, 1] (values outside are clamped).
QRgb colormapColor(Colormap map, double t);
