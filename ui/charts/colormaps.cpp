#include "charts/colormaps.h"

#include <algorithm>
#include <array>

namespace {

using Anchor = std::array<int, 3>;

// Anchors sampled from matplotlib's colormaps at t = 0, 0.125, ..., 1.
constexpr Anchor kViridis[9] = {{68, 1, 84},    {71, 44, 122}, {59, 81, 139},  {44, 113, 142}, {33, 144, 141},
                                {39, 173, 129}, {92, 200, 99}, {170, 220, 50}, {253, 231, 37}};
constexpr Anchor kCividis[9] = {{0, 34, 78},     {18, 53, 112},   {59, 73, 108},
                                {87, 93, 109},   {112, 113, 115}, {138, 134, 120},
                                {165, 156, 116}, {198, 180, 100}, {254, 232, 56}};
constexpr Anchor kMagma[9] = {{0, 0, 4},      {28, 16, 68},   {79, 18, 123},   {129, 37, 129}, {181, 54, 122},
                              {229, 80, 100}, {251, 135, 97}, {254, 194, 135}, {252, 253, 191}};
constexpr Anchor kGrey[2] = {{0, 0, 0}, {255, 255, 255}};
constexpr Anchor kDiverging[3] = {{59, 76, 192}, {245, 245, 245}, {180, 4, 38}};

template <size_t N> QRgb interpolate(const Anchor (&anchors)[N], double t)
{
    t = std::clamp(t, 0.0, 1.0) * double(N - 1);
    const size_t below = std::min(size_t(t), N - 2);
    const double f = t - double(below);
    int rgb[3];
    for (int c = 0; c < 3; ++c)
        rgb[c] = int(anchors[below][size_t(c)] +
                     f * (anchors[below + 1][size_t(c)] - anchors[below][size_t(c)]) + 0.5);
    return qRgb(rgb[0], rgb[1], rgb[2]);
}

} // namespace

const char* colormapName(Colormap map)
{
    switch (map) {
    case Colormap::Viridis:
        return "viridis";
    case Colormap::Cividis:
        return "cividis";
    case Colormap::Magma:
        return "magma";
    case Colormap::Grey:
        return "grey";
    case Colormap::Diverging:
        break;
    }
    return "diverging";
}

QStringList colormapNames()
{
    QStringList names;
    for (auto map : {Colormap::Viridis, Colormap::Cividis, Colormap::Magma, Colormap::Grey})
        names << QString::fromLatin1(colormapName(map));
    return names;
}

QRgb colormapColor(Colormap map, double t)
{
    switch (map) {
    case Colormap::Viridis:
        return interpolate(kViridis, t);
    case Colormap::Cividis:
        return interpolate(kCividis, t);
    case Colormap::Magma:
        return interpolate(kMagma, t);
    case Colormap::Grey:
        return interpolate(kGrey, t);
    case Colormap::Diverging:
        return interpolate(kDiverging, t);
    }
    return 0;
}
