#include "charts/triplet_painter.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>

namespace {

constexpr int kWrap = Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap;

// Cards are narrow (thumbnail above the text) below this many line heights.
constexpr double kStackBelowLines = 13.0;

double padOf(double line)
{
    return 0.4 * line;
}

double cardWidthOf(double width, double line)
{
    return (width - 4 * padOf(line)) / 3.0;
}

QString detailsOf(const TripletRow& row, int c)
{
    QStringList lines;
    if (!row.cards[c].category.isEmpty()) lines << row.cards[c].category;
    lines << QCoreApplication::translate("TripletRow", "p(odd) = %1").arg(row.probability[c], 0, 'f', 2);
    if (c == row.humanOdd) lines << QCoreApplication::translate("TripletRow", "human odd one out");
    if (c == row.modelOdd) lines << QCoreApplication::translate("TripletRow", "model's choice");
    return lines.join(QLatin1Char('\n'));
}

QString captionOf(const TripletRow& row)
{
    return row.caption + (row.modelOdd < 0
                              ? QCoreApplication::translate("TripletRow", " · tie (counted wrong)")
                              : QString());
}

QFont boldOf(QFont font)
{
    font.setBold(true);
    return font;
}

// Text width inside a card: the card less its inner margins, less the thumbnail when it sits beside.
double textWidthOf(double cardWidth, double line, bool stacked, double thumbnail)
{
    const double inner = cardWidth - 2 * padOf(line);
    return stacked ? inner : inner - thumbnail - padOf(line);
}

double cardTextHeight(const QFontMetricsF& regular, const QFontMetricsF& bold, double width,
                      const TripletRow& row, int c)
{
    const QRectF bounds(0, 0, std::max(1.0, width), 1e6);
    return bold.boundingRect(bounds, kWrap, row.cards[c].name).height() +
           regular.boundingRect(bounds, kWrap, detailsOf(row, c)).height();
}

} // namespace

double TripletRowGeometry::height() const
{
    const double pad = padOf(line);
    const double card = stacked ? thumbnail + 0.3 * line + textHeight : std::max(thumbnail, textHeight);
    return card + 4 * pad + 0.2 * line + captionHeight; // margins, card frame, gap, caption
}

TripletRowGeometry tripletRowGeometry(const QFont& font, const QPaintDevice* device, double width,
                                      const TripletRow& row, double thumbnail)
{
    const QFontMetricsF regular(font, device);
    const QFontMetricsF bold(boldOf(font), device);
    TripletRowGeometry geometry;
    geometry.line = regular.height();
    const double cardWidth = cardWidthOf(width, geometry.line);
    geometry.stacked = cardWidth < kStackBelowLines * geometry.line;
    const double inner = cardWidth - 2 * padOf(geometry.line);
    const bool images = std::any_of(std::begin(row.cards), std::end(row.cards),
                                    [](const TripletCard& card) { return !card.thumbnail.isNull(); });
    geometry.thumbnail = images ? std::clamp(thumbnail, 0.0, geometry.stacked ? inner : 0.45 * inner) : 0.0;
    const double textWidth = textWidthOf(cardWidth, geometry.line, geometry.stacked, geometry.thumbnail);
    for (int c = 0; c < 3; ++c)
        geometry.textHeight = std::max(geometry.textHeight, cardTextHeight(regular, bold, textWidth, row, c));
    geometry.captionHeight =
        regular.boundingRect(QRectF(0, 0, width - 2 * padOf(geometry.line), 1e6), kWrap, captionOf(row))
            .height();
    return geometry;
}

void paintTripletRow(QPainter& painter, const QRectF& rect, const TripletRow& row, bool selected)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform); // thumbnails are photographs
    painter.fillRect(rect, selected ? QColor(225, 235, 250) : QColor(Qt::white));
    const QFont regular = painter.font(), bold = boldOf(regular);
    // The thumbnail takes what the rect's height leaves after the text and caption.
    TripletRowGeometry g = tripletRowGeometry(regular, painter.device(), rect.width(), row, 0);
    const double spare = rect.height() - g.height();
    g = tripletRowGeometry(regular, painter.device(), rect.width(), row,
                           g.stacked ? spare : std::max(spare + g.textHeight, 0.0));
    const double pad = padOf(g.line), cardWidth = cardWidthOf(rect.width(), g.line);
    const double cardHeight = rect.height() - 2 * pad - 0.2 * g.line - g.captionHeight;
    const double textWidth = textWidthOf(cardWidth, g.line, g.stacked, g.thumbnail);
    const QFontMetricsF boldMetrics(bold, painter.device());
    for (int c = 0; c < 3; ++c) {
        const QRectF card(rect.left() + pad + c * (cardWidth + pad), rect.top() + pad, cardWidth, cardHeight);
        const bool human = c == row.humanOdd, model = c == row.modelOdd;
        painter.setPen(QPen(human && model ? QColor(40, 140, 60)
                            : human        ? QColor(40, 90, 200)
                            : model        ? QColor(210, 60, 40)
                                           : QColor(190, 190, 190),
                            (human || model ? 0.18 : 0.08) * g.line));
        painter.setBrush(QColor(248, 248, 248));
        painter.drawRoundedRect(card, 0.5 * pad, 0.5 * pad);
        const QRectF content = card.adjusted(pad, pad, -pad, -pad);
        QPointF text = content.topLeft();
        if (!row.cards[c].thumbnail.isNull() && g.thumbnail > 0) {
            const QSizeF size = QSizeF(row.cards[c].thumbnail.size())
                                    .scaled(QSizeF(g.thumbnail, g.thumbnail), Qt::KeepAspectRatio);
            const QPointF corner = g.stacked ? QPointF(content.center().x() - size.width() / 2, content.top())
                                             : content.topLeft();
            painter.drawImage(QRectF(corner, size), row.cards[c].thumbnail);
            text = g.stacked ? QPointF(content.left(), content.top() + g.thumbnail + 0.3 * g.line)
                             : QPointF(content.left() + g.thumbnail + pad, content.top());
        }
        const QRectF nameBox =
            boldMetrics.boundingRect(QRectF(text, QSizeF(textWidth, 1e6)), kWrap, row.cards[c].name);
        painter.setFont(bold);
        painter.setPen(Qt::black);
        painter.drawText(QRectF(text, QSizeF(textWidth, nameBox.height())), kWrap, row.cards[c].name);
        painter.setFont(regular);
        painter.setPen(QColor(80, 80, 80));
        painter.drawText(QRectF(text.x(), text.y() + nameBox.height(), textWidth,
                                content.bottom() - text.y() - nameBox.height()),
                         kWrap, detailsOf(row, c));
    }
    painter.setPen(QColor(70, 70, 70));
    painter.drawText(QRectF(rect.left() + pad, rect.bottom() - pad - g.captionHeight, rect.width() - 2 * pad,
                            g.captionHeight),
                     kWrap, captionOf(row));
    painter.restore();
}
