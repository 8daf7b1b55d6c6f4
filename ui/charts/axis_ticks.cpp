#include "charts/axis_ticks.h"

#include <algorithm>
#include <cmath>

QString Ticks::label(int i) const
{
    const double v = value(i);
    return QString::number(std::abs(v) < 0.5 * step ? 0.0 : v, 'f', decimals); // no "-0.0"
}

Ticks niceTicks(double low, double high, int most)
{
    Ticks ticks;
    const double span = std::max(high - low, 1e-12);
    const double raw = span / std::max(1, most - 1), magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double factor : {1.0, 2.0, 5.0, 10.0})
        if (factor * magnitude >= raw * (1 - 1e-9)) {
            ticks.step = factor * magnitude;
            break;
        }
    ticks.first = std::ceil(low / ticks.step - 1e-9) * ticks.step;
    ticks.count = int(std::floor((high - ticks.first) / ticks.step + 1e-9)) + 1;
    ticks.decimals = std::max(0, int(-std::floor(std::log10(ticks.step) + 1e-9)));
    return ticks;
}
