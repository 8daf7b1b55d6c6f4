#pragma once
// Figure export: one paint routine per view draws into a rectangle given in points (1/72 inch); this file
// turns it into PNG (chosen DPI, not the screen's), SVG (with a viewBox) or vector PDF (explicit page size).

#include <QFont>
#include <QRectF>
#include <QString>
#include <functional>
#include <optional>

class QAbstractItemModel;
class QPainter;
class QPaintDevice;

struct FigureStyle
{
    double widthMm = 88.0; // single column; 180 mm is a double column
    double heightMm = 66.0;
    int dpi = 300;                                      // PNG only
    QString fontFamily = QStringLiteral("DejaVu Sans"); // the bundled figure font (figureFontFamily())
    double fontPoints = 8.0;
    bool printTheme = true; // white background, black text, no shadows

    QFont font() const; // registers the bundled figure font first
    double widthPoints() const { return widthMm / 25.4 * 72.0; }
    double heightPoints() const { return heightMm / 25.4 * 72.0; }
};

// The figure font shipped with AlignScope (DejaVu Sans 2.37 from resources/fonts, compiled in as a Qt
// resource), registered with the application's font database on the first call (GUI and CLI mains call it at
// start): figures are laid out and embedded with it whatever fonts a machine has. Its family; when it cannot
// be registered (said on stderr), "DejaVu Sans" as the system has it.
QString figureFontFamily();

enum class FigureFormat
{
    Png,
    Svg,
    Pdf
};
std::optional<FigureFormat> figureFormatFor(const QString& path); // by suffix: .png .svg .pdf

// Paints a view into `rect` (points). The same routine the screen uses, with the style's font and theme.
using FigurePainter = std::function<void(QPainter& painter, const QRectF& rect, const FigureStyle& style)>;

// A paint device whose unit is the point (72 dpi): text measured on it is laid out as figures paint it.
QPaintDevice& pointDevice();

// Renders the figure into memory and writes it through core's checked atomic write (writeFileAtomically:
// regular files only, the old file kept when the write fails); returns an error naming the file and the
// reason, or an empty string.
QString exportFigure(const FigurePainter& paint, const QString& path, const FigureStyle& style);

// A table of `model`'s display data (header and rows, as the screen's table view shows them), read when
// painted and drawn by paintTableFigure (charts/table_figure.h).
FigurePainter itemTableFigure(const QAbstractItemModel* model);
