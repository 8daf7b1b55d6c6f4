#pragma once
// Heatmap of a condensed symmetric matrix in a chosen stimulus order, with colorbar, zoom (wheel), pan
// (drag), reset (double click) and hover tooltips. Rendering samples one cell per screen pixel when
// there are more cells than pixels, so the cost depends on the view, not on n² (26,107² stays fluid);
// when zoomed in, every visible cell is drawn. One paint routine serves the screen and figure export.

#include "charts/colormaps.h"

#include "alignscope/rsa.h"

#include <QFontMetricsF>
#include <QImage>
#include <QRectF>
#include <QWidget>
#include <functional>
#include <memory>
#include <vector>

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
    QRectF visibleCells() const { return m_view; }
    bool hasMatrix() const { return m_values && m_values->n >= 2; }

    // Draws the heatmap, title and colorbar into `rect` (screen, PNG, SVG or PDF painter).
    // `vectorCellLimit`: when at most this many rows are visible, cells are drawn as rectangles (sharp at any
    // zoom in SVG/PDF); larger views are drawn as one unsmoothed image.
    void paintTo(QPainter& painter, const QRect& rect, int vectorCellLimit = 0) const;
    static constexpr int kVectorCellLimit = 150;

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    struct Layout
    {
        QRectF title, plot, bar;
        double line = 0, tickWidth = 0;
    };
    Layout layout(const QRectF& rect, const QFontMetricsF& metrics) const;
    QRect plotRect(const QRect& rect) const; // on screen
    QImage render(const QSize& pixels) const;
    void paintCells(QPainter& painter, const QRectF& plot) const;
    bool cellAt(const QPoint& position, std::int64_t& row, std::int64_t& column) const;

    std::shared_ptr<const alignscope::CondensedMatrix> m_values;
    std::vector<std::int64_t> m_order;
    std::function<QString(std::int64_t)> m_names;
    QString m_title;
    QString m_valueLabel;
    Colormap m_map = Colormap::Viridis;
    double m_low = 0, m_high = 1;
    QRectF m_view; // in cells: x = column, y = row
    // The last rendered image and what it showed: repaints that change nothing (tooltips, exposes) reuse it.
    mutable QImage m_cached;
    mutable QString m_cachedKey;
    QPoint m_dragStart;
    QRectF m_dragView;
};
