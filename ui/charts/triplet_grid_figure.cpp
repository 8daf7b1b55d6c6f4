#include "charts/triplet_grid_figure.h"

#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>

namespace {

constexpr double kSmallestThumbnailLines = 3.0;

} // namespace

double tripletGridHeight(const QFont& font, const QPaintDevice* device, double width,
                         const std::vector<TripletRow>& rows, double thumbnail)
{
    double height = 0;
    for (const TripletRow& row : rows)
        height += tripletRowGeometry(font, device, width, row, thumbnail).height();
    return height;
}

int paintTripletGrid(QPainter& painter, const QRectF& rect, const QFont& font, const TripletGridData& grid)
{
    painter.save();
    painter.setFont(font); // paintTripletRow draws with the painter's font
    const double line = QFontMetricsF(font, painter.device()).height();
    const std::vector<TripletRow> rows(
        grid.rows.begin(),
        grid.rows.begin() + std::min<std::ptrdiff_t>(std::ptrdiff_t(grid.rows.size()), kTripletGridMostRows));
    // The most rows whose thumbnails can still be legible; the thumbnails then grow (by bisection: the text
    // beside a thumbnail rewraps as it grows) until the rows fill the page or the cards.
    for (size_t count = rows.size(); count >= 1; --count) {
        const std::vector<TripletRow> shown(rows.begin(), rows.begin() + std::ptrdiff_t(count));
        const double smallest = kSmallestThumbnailLines * line;
        if (count > 1 &&
            tripletGridHeight(font, painter.device(), rect.width(), shown, smallest) > rect.height())
            continue;
        double low = 0, high = rect.height();
        for (int step = 0; step < 24; ++step) {
            const double middle = 0.5 * (low + high);
            (tripletGridHeight(font, painter.device(), rect.width(), shown, middle) <= rect.height() ? low
                                                                                                     : high) =
                middle;
        }
        double y = rect.top();
        for (const TripletRow& row : shown) {
            const double height = tripletRowGeometry(font, painter.device(), rect.width(), row, low).height();
            paintTripletRow(painter, QRectF(rect.left(), y, rect.width(), height), row, false);
            y += height;
        }
        painter.restore();
        return int(count);
    }
    painter.restore();
    return 0;
}
