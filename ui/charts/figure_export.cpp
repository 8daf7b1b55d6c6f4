#include "charts/figure_export.h"

#include "alignscope/file_io.h"

#include <QAbstractItemModel>
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
        QPainter painter(&svg);
        painter.setFont(style.font());
        paint(painter, rect, style);
        written = painter.end();
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

namespace {

// A cell as printed: numbers stored as doubles (sortable on screen) with three decimals, not sixteen digits.
QString cellText(const QAbstractItemModel& model, int row, int column)
{
    const QVariant value = model.index(row, column).data();
    return value.typeId() == QMetaType::Double ? QString::number(value.toDouble(), 'f', 3) : value.toString();
}

} // namespace

FigurePainter itemTableFigure(const QAbstractItemModel* model)
{
    return [model](QPainter& painter, const QRectF& rect, const FigureStyle& style) {
        const int rows = model->rowCount(), columns = model->columnCount();
        if (columns == 0) return;
        painter.save();
        // Measured on the device painted on (points for figures); the header in the bold font it is drawn in.
        const QFont regular = style.font();
        QFont bold = regular;
        bold.setBold(true);
        const QFontMetricsF metrics(regular, painter.device()), boldMetrics(bold, painter.device());
        const double pad = 0.5 * metrics.height();
        auto text = [&](int r, int c) {
            return r < 0 ? model->headerData(c, Qt::Horizontal).toString() : cellText(*model, r, c);
        };
        auto metricsOf = [&](int r) -> const QFontMetricsF& { return r < 0 ? boldMetrics : metrics; };
        // Per column: the width of its longest text, and the least it can wrap to (its longest word).
        std::vector<double> widths(size_t(columns), 0.0), least(size_t(columns), 0.0);
        for (int c = 0; c < columns; ++c)
            for (int r = -1; r < rows; ++r) {
                const QString cell = text(r, c);
                widths[size_t(c)] = std::max(widths[size_t(c)], metricsOf(r).horizontalAdvance(cell) + pad);
                for (const QString& word : cell.split(QLatin1Char(' '), Qt::SkipEmptyParts))
                    least[size_t(c)] = std::max(least[size_t(c)], metricsOf(r).horizontalAdvance(word) + pad);
            }
        // Too wide for the page: the widest columns wrap first (their widths are capped at a common limit
        // found by bisection); the type is scaled down only when even one word per line would not fit.
        auto total = [&](double cap) {
            double sum = 0;
            for (int c = 0; c < columns; ++c)
                sum += std::max(least[size_t(c)], std::min(widths[size_t(c)], cap));
            return sum;
        };
        if (total(1e9) > rect.width()) {
            double low = 0, high = *std::max_element(widths.begin(), widths.end());
            for (int step = 0; step < 40; ++step)
                (total(0.5 * (low + high)) > rect.width() ? high : low) = 0.5 * (low + high);
            for (int c = 0; c < columns; ++c)
                widths[size_t(c)] = std::max(least[size_t(c)], std::min(widths[size_t(c)], low));
        }
        double tableWidth = 0;
        for (double w : widths)
            tableWidth += w;
        // Row heights from the wrapped text.
        std::vector<double> heights(size_t(rows + 1), 0.0);
        for (int r = -1; r < rows; ++r)
            for (int c = 0; c < columns; ++c)
                heights[size_t(r + 1)] = std::max(
                    heights[size_t(r + 1)], metricsOf(r)
                                                    .boundingRect(QRectF(0, 0, widths[size_t(c)] - pad, 1e6),
                                                                  Qt::TextWordWrap, text(r, c))
                                                    .height() +
                                                0.3 * metrics.height());
        double tableHeight = 0;
        for (double h : heights)
            tableHeight += h;
        const double scale = std::min({1.0, rect.width() / tableWidth, rect.height() / tableHeight});
        painter.translate(rect.topLeft());
        painter.scale(scale, scale);
        painter.setPen(Qt::black);
        double y = 0;
        for (int r = -1; r < rows; ++r) {
            painter.setFont(r < 0 ? bold : regular);
            double x = 0;
            for (int c = 0; c < columns; ++c) {
                const QRectF box(x + pad / 2, y, widths[size_t(c)] - pad, heights[size_t(r + 1)]);
                painter.drawText(
                    box, (c == 0 ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter | Qt::TextWordWrap,
                    text(r, c));
                x += widths[size_t(c)];
            }
            y += heights[size_t(r + 1)];
            if (r < 0) { // booktabs-like rules: thick above and below, thin under the header
                painter.setPen(QPen(Qt::black, 1.0));
                painter.drawLine(QPointF(0, 0), QPointF(tableWidth, 0));
                painter.setPen(QPen(Qt::black, 0.5));
                painter.drawLine(QPointF(0, y), QPointF(tableWidth, y));
                painter.setPen(Qt::black);
            }
        }
        painter.setPen(QPen(Qt::black, 1.0));
        painter.drawLine(QPointF(0, y), QPointF(tableWidth, y));
        painter.restore();
    };
}
