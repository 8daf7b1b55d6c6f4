#include "charts/figure_title.h"

#include <QFontMetricsF>
#include <QPainter>

namespace {

QFont boldOf(const QFont& font)
{
    QFont bold = font;
    bold.setBold(true);
    return bold;
}

} // namespace

QRectF figureTitleBox(const QRectF& rect, const QFont& font, const QString& title, QPaintDevice* device)
{
    return QFontMetricsF(boldOf(font), device)
        .boundingRect(rect.adjusted(4, 2, -4, 0), Qt::AlignHCenter | Qt::TextWordWrap, title);
}

void drawFigureTitle(QPainter& painter, const QRectF& box, const QFont& font, const QString& title)
{
    painter.setFont(boldOf(font));
    painter.setPen(figureTextColour());
    painter.drawText(box, Qt::AlignHCenter | Qt::TextWordWrap, title);
    painter.setFont(font);
}
