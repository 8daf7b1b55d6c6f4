#pragma once
// Axis ticks at nice steps (1, 2 or 5 × 10^k), labelled to the precision of the step: every label states its
// value. Shared by the paint routines that draw axes and colorbars.

#include <QString>

struct Ticks
{
    double first = 0, step = 1;
    int count = 0, decimals = 0;
    double value(int i) const { return first + i * step; }
    QString label(int i) const;
};

// Ticks covering [low, high] with at most `most` of them (at least 2 asked for).
Ticks niceTicks(double low, double high, int most);
