#pragma once
// Heatmap of a condensed symmetric matrix in a chosen stimulus order, with colorbar, zoom (wheel), pan
// (drag), reset (double click) and hover tooltips. Rendering samples one cell per screen pixel when
// there are more cells than pixels, so the cost depends on the view, not on n² (26,107² stays fluid);
// when zoomed in, every visible cell is drawn. One paint routine serves the screen and figure export.

#include "charts/colormaps.h"
#include "charts/figure_export.h"

#include "alignscope/rsa.h"

#include <QFontMetricsF>
#include <QImage>
#include <QRectF>
#include <QWidget>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

// The heatmap as plain values: the matrix (shared, never copied), the stimulus order, and the cells shown.
struct HeatmapFigure
{
    std::shared_ptr<const alignscope::CondensedMatrix> values;
    std::vector<std::int64_t> order;
    QString title;
    QString valueLabel; // beside the colorbar, e.g. "dissimilarity"
    Colormap map = Colormap::Viridis;
    double low = 0, high = 1; // values mapped to the two ends of the colormap
    QRectF view;              // in cells: x = column, y = row
};

// The last image rendered and what it showed: the screen's repaints that change nothing (tooltips, exposes)
// reuse it.
struct HeatmapImageCache
{
    QImage image;
    QString key;
};

// Draws the heatmap, title and colorbar into `rect` (screen, PNG, SVG or PDF painter): the screen and every
// export format. `vectorCellLimit`: when at most this many rows are visible, cells are drawn as rectangles
// (sharp at any zoom in SVG/PDF); larger views are drawn as one unsmoothed image.
void paintHeatmap(QPainter& painter, const QRectF& rect, const QFont& font, const HeatmapFigure& figure,
                  int vectorCellLimit = 0, HeatmapImageCache* cache = nullptr);

class HeatmapView : public QWidget
{
    Q_OBJECT
public:
    explicit HeatmapView(QWidget* parent = nullptr);

    // `values` (kept alive by the caller's shared pointer) are shown with `order`; names label tooltips.
    void setMatrix(std::shared_ptr<const alignscope::CondensedMatrix> values, const QString& title);
    void setOrder(std::vector<std::int64_t> order);
    void setNames(std::function<QString(std::int64_t)> names);
    void setColormap(Colormap map);
    void setValueLabel(const QString& label); // beside the colorbar, e.g. "dissimilarity"
    void setRange(double low, double high);   // value mapped to the two ends of the colormap
    void resetView();
    QRectF visibleCells() const { return m_figure.view; }
    bool hasMatrix() const { return m_figure.values && m_figure.values->n >= 2; }
    const HeatmapFigure& figureData() const { return m_figure; }
    FigurePainter figure() const; // paintHeatmap over what is shown when it is exported (vector cells)
    static constexpr int kVectorCellLimit = 150;
    // The two stimuli of the cell under `position` (widget coordinates), in the matrix's indices; none on
    // the diagonal or outside the cells.
    std::optional<std::pair<std::int64_t, std::int64_t>> stimuliAt(const QPoint& position) const;

Q_SIGNALS:
    // A click (not a drag) on an off-diagonal cell: its row's and its column's stimulus.
    void cellClicked(std::int64_t row, std::int64_t column);

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    QRect plotRect(const QRect& rect) const; // on screen
    bool cellAt(const QPoint& position, std::int64_t& row, std::int64_t& column) const;

    HeatmapFigure m_figure;
    std::function<QString(std::int64_t)> m_names;
    mutable HeatmapImageCache m_cache;
    QPoint m_dragStart;
    bool m_clickPending = false; // pressed, and not the second press of a double click
    QRectF m_dragView;
};
