#include "charts/figure_export.h"

#include "alignscope/file_io.h"
#include "charts/outlined_text_device.h"

#include <QBuffer>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFontMetricsF>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <cmath>
#include <cstdio>

QString figureFontFamily()
{
    static const QString family = [] {
        Q_INIT_RESOURCE(figure_fonts); // a static library's resources are not initialised on their own
        QString registered;
        for (const char* file :
             {":/alignscope/fonts/DejaVuSans.ttf", ":/alignscope/fonts/DejaVuSans-Bold.ttf"}) {
            const int id = QFontDatabase::addApplicationFont(QString::fromLatin1(file));
            if (id < 0)
                std::fprintf(stderr,
                             "%s: the figure font could not be registered; figures use the system's\n", file);
            else if (registered.isEmpty())
                registered = QFontDatabase::applicationFontFamilies(id).value(0);
        }
        return registered.isEmpty() ? QStringLiteral("DejaVu Sans") : registered;
    }();
    return family;
}

QFont FigureStyle::font() const
{
    figureFontFamily(); // before any text is measured: the layout must not be the system font's
    QFont font(fontFamily);
    font.setPointSizeF(fontPoints);
    // Hinting (set by the machine's fontconfig) moves advances by fractions of a point: unhinted, the layout
    // is the font's own on every machine.
    font.setHintingPreference(QFont::PreferNoHinting);
    return font;
}

QPaintDevice& pointDevice()
{
    static QImage device = [] {
        QImage image(1, 1, QImage::Format_RGB32);
        image.setDotsPerMeterX(int(std::lround(72 / 0.0254)));
        image.setDotsPerMeterY(int(std::lround(72 / 0.0254)));
        return image;
    }();
    return device;
}

std::optional<FigureFormat> figureFormatFor(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png")) return FigureFormat::Png;
    if (suffix == QLatin1String("svg")) return FigureFormat::Svg;
    if (suffix == QLatin1String("pdf")) return FigureFormat::Pdf;
    return std::nullopt;
}

QString exportFigure(const FigurePainter& paint, const QString& path, const FigureStyle& style)
{
    const auto format = figureFormatFor(path);
    if (!format) return QObject::tr("%1: choose a .png, .svg or .pdf file name").arg(path);
    if (!(style.widthMm > 0) || !(style.heightMm > 0) || !std::isfinite(style.widthMm) ||
        !std::isfinite(style.heightMm) || style.dpi < 30 || style.dpi > 2400)
        return QObject::tr("%1: figure size and resolution must be positive (DPI 30-2400)").arg(path);
    // Checked before rendering too, so that a FIFO or a device is refused without rendering first.
    const std::string target = QFile::encodeName(path).toStdString();
    if (auto checked = alignscope::resolveWriteTarget(target); !checked)
        return QString::fromStdString(checked.error().message());
    // Rendered into memory, then written by core's checked atomic write: a failed write (a full disk)
    // reports and leaves the old file as it was.
    QByteArray bytes;
    QBuffer file(&bytes);
    file.open(QIODevice::WriteOnly);
    const QRectF rect(0, 0, style.widthPoints(), style.heightPoints());
    bool written = true;
    if (*format == FigureFormat::Png) {
        const double scale = style.dpi / 72.0;
        QImage image(int(std::lround(rect.width() * scale)), int(std::lround(rect.height() * scale)),
                     QImage::Format_ARGB32_Premultiplied);
        // Painted at 72 dpi (1 pt = 1 unit, as for SVG and PDF) and scaled: fonts given in points would
        // otherwise be converted at the image's resolution and then scaled again (text dpi/72 times too
        // large).
        const int pointsPerMeter = int(std::lround(72 / 0.0254));
        image.setDotsPerMeterX(pointsPerMeter);
        image.setDotsPerMeterY(pointsPerMeter);
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setRenderHint(QPainter::TextAntialiasing);
            painter.scale(scale, scale);
            painter.setFont(style.font());
            paint(painter, rect, style);
        }
        image.setDotsPerMeterX(int(std::lround(style.dpi / 0.0254))); // what viewers and journals read
        image.setDotsPerMeterY(int(std::lround(style.dpi / 0.0254)));
        written = image.save(&file, "PNG");
    } else if (*format == FigureFormat::Svg) {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setResolution(72);
        svg.setSize(rect.size().toSize());
        svg.setViewBox(rect);
        svg.setTitle(QFileInfo(path).completeBaseName());
        svg.setDescription(QStringLiteral("AlignScope figure"));
        // Text reaches the SVG as glyph outlines: a <text> element would be drawn in whatever font the
        // reader has under that family name, and the layout measured here would not hold.
        QPainter target(&svg);
        {
            OutlinedTextDevice outlined(target, rect.size().toSize(), 72);
            QPainter painter(&outlined);
            painter.setFont(style.font());
            paint(painter, rect, style);
            written = painter.end();
        }
        written = target.end() && written;
    } else {
        QPdfWriter pdf(&file);
        pdf.setPageSize(QPageSize(QSizeF(style.widthMm, style.heightMm), QPageSize::Millimeter));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setResolution(72);
        pdf.setCreator(QStringLiteral("AlignScope"));
        pdf.setTitle(QFileInfo(path).completeBaseName());
        QPainter painter(&pdf);
        painter.setFont(style.font());
        paint(painter, rect, style);
        written = painter.end();
    }
    if (!written) return QObject::tr("%1: rendering failed").arg(path);
    if (auto status = alignscope::writeFileAtomically(target, bytes.constData(), size_t(bytes.size()));
        !status)
        return QString::fromStdString(status.error().message());
    return {};
}
