#include "charts/triplet_painter.h"

#include <QCoreApplication>
#include <QPainter>

void paintTripletRow(QPainter& painter, const QRectF& rect, const TripletRow& row, bool selected)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect, selected ? QColor(225, 235, 250) : QColor(Qt::white));
    const double captionHeight = 16;
    const double cardWidth = (rect.width() - 40) / 3.0;
    const double cardHeight = rect.height() - captionHeight - 10;
    QFont font = painter.font();
    for (int c = 0; c < 3; ++c) {
        const QRectF card(rect.left() + 10 + c * (cardWidth + 10), rect.top() + 5, cardWidth, cardHeight);
        const bool human = c == row.humanOdd, model = c == row.modelOdd;
        painter.setPen(QPen(human && model ? QColor(40, 140, 60)
                            : human        ? QColor(40, 90, 200)
                            : model        ? QColor(210, 60, 40)
                                           : QColor(190, 190, 190),
                            human || model ? 2.5 : 1));
        painter.setBrush(QColor(248, 248, 248));
        painter.drawRoundedRect(card.adjusted(1, 1, -1, -1), 6, 6);
        QRectF content = card.adjusted(8, 6, -8, -6);
        if (!row.cards[c].thumbnail.isNull()) {
            const QSizeF size = row.cards[c].thumbnail.size().scaled(
                QSizeF(content.height(), content.height()).toSize(), Qt::KeepAspectRatio);
            painter.drawImage(QRectF(content.topLeft(), size), row.cards[c].thumbnail);
            content.setLeft(content.left() + size.width() + 8);
        }
        font.setBold(true);
        painter.setFont(font);
        painter.setPen(Qt::black);
        painter.drawText(content, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, row.cards[c].name);
        font.setBold(false);
        painter.setFont(font);
        painter.setPen(QColor(90, 90, 90));
        QString lower = row.cards[c].category;
        QStringList marks;
        if (human) marks << QCoreApplication::translate("TripletRow", "human odd one out");
        if (model) marks << QCoreApplication::translate("TripletRow", "model's choice");
        lower += (lower.isEmpty() ? QString() : QStringLiteral("\n")) +
                 QCoreApplication::translate("TripletRow", "p(odd) = %1").arg(row.probability[c], 0, 'f', 2);
        if (!marks.isEmpty()) lower += QStringLiteral("\n") + marks.join(QStringLiteral(", "));
        painter.drawText(content, Qt::AlignLeft | Qt::AlignBottom, lower);
    }
    painter.setPen(QColor(70, 70, 70));
    painter.drawText(
        QRectF(rect.left() + 10, rect.bottom() - captionHeight - 2, rect.width() - 20, captionHeight),
        Qt::AlignLeft | Qt::AlignVCenter,
        row.caption + (row.modelOdd < 0 ? QCoreApplication::translate("TripletRow", " · tie (counted wrong)")
                                        : QString()));
    painter.restore();
}
