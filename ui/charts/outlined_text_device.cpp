#include "charts/outlined_text_device.h"

#include <QPaintEngine>
#include <QPainter>
#include <QPainterPath>

namespace {

// Only drawTextItem is left to QPaintEngine, whose own implementation fills the glyphs' outlines through this
// engine's painter; every other call and every state change goes to the target painter unchanged.
class OutliningEngine : public QPaintEngine
{
public:
    explicit OutliningEngine(QPainter& target) : QPaintEngine(QPaintEngine::AllFeatures), m_target(target) {}

    bool begin(QPaintDevice*) override { return m_target.isActive(); }
    bool end() override { return true; }
    // Charts ask for the SVG engine to choose vector cells and resolutions as for the SVG they end in.
    Type type() const override { return QPaintEngine::SVG; }

    void updateState(const QPaintEngineState& state) override
    {
        const DirtyFlags dirty = state.state();
        // The transform first: a clip is given in the coordinates current when it is set.
        if (dirty & DirtyTransform) m_target.setTransform(state.transform());
        if (dirty & DirtyPen) m_target.setPen(state.pen());
        if (dirty & DirtyBrush) m_target.setBrush(state.brush());
        if (dirty & DirtyBrushOrigin) m_target.setBrushOrigin(state.brushOrigin());
        if (dirty & DirtyBackground) m_target.setBackground(state.backgroundBrush());
        if (dirty & DirtyBackgroundMode) m_target.setBackgroundMode(state.backgroundMode());
        if (dirty & DirtyFont) m_target.setFont(state.font());
        if (dirty & DirtyHints) m_target.setRenderHints(state.renderHints());
        if (dirty & DirtyOpacity) m_target.setOpacity(state.opacity());
        if (dirty & DirtyCompositionMode) m_target.setCompositionMode(state.compositionMode());
        if (dirty & DirtyClipPath) m_target.setClipPath(state.clipPath(), state.clipOperation());
        if (dirty & DirtyClipRegion) m_target.setClipRegion(state.clipRegion(), state.clipOperation());
        if (dirty & DirtyClipEnabled) m_target.setClipping(state.isClipEnabled());
    }

    void drawPath(const QPainterPath& path) override { m_target.drawPath(path); }
    void drawRects(const QRectF* rects, int count) override { m_target.drawRects(rects, count); }
    void drawRects(const QRect* rects, int count) override { m_target.drawRects(rects, count); }
    void drawLines(const QLineF* lines, int count) override { m_target.drawLines(lines, count); }
    void drawLines(const QLine* lines, int count) override { m_target.drawLines(lines, count); }
    void drawEllipse(const QRectF& rect) override { m_target.drawEllipse(rect); }
    void drawEllipse(const QRect& rect) override { m_target.drawEllipse(rect); }
    void drawPoints(const QPointF* points, int count) override { m_target.drawPoints(points, count); }
    void drawPoints(const QPoint* points, int count) override { m_target.drawPoints(points, count); }
    void drawPolygon(const QPointF* points, int count, PolygonDrawMode mode) override
    {
        switch (mode) {
        case PolylineMode:
            m_target.drawPolyline(points, count);
            break;
        case ConvexMode:
            m_target.drawConvexPolygon(points, count);
            break;
        case OddEvenMode:
            m_target.drawPolygon(points, count, Qt::OddEvenFill);
            break;
        case WindingMode:
            m_target.drawPolygon(points, count, Qt::WindingFill);
            break;
        }
    }
    void drawPolygon(const QPoint* points, int count, PolygonDrawMode mode) override
    {
        QPolygonF polygon;
        for (int i = 0; i < count; ++i)
            polygon << QPointF(points[i]);
        drawPolygon(polygon.constData(), count, mode);
    }
    void drawPixmap(const QRectF& rect, const QPixmap& pixmap, const QRectF& source) override
    {
        m_target.drawPixmap(rect, pixmap, source);
    }
    void drawImage(const QRectF& rect, const QImage& image, const QRectF& source,
                   Qt::ImageConversionFlags flags) override
    {
        m_target.drawImage(rect, image, source, flags);
    }
    void drawTiledPixmap(const QRectF& rect, const QPixmap& pixmap, const QPointF& offset) override
    {
        m_target.drawTiledPixmap(rect, pixmap, offset);
    }

private:
    QPainter& m_target;
};

} // namespace

OutlinedTextDevice::OutlinedTextDevice(QPainter& target, QSize size, int dpi)
    : m_engine(std::make_unique<OutliningEngine>(target)), m_size(size), m_dpi(dpi)
{
}

OutlinedTextDevice::~OutlinedTextDevice() = default;

QPaintEngine* OutlinedTextDevice::paintEngine() const
{
    return m_engine.get();
}

int OutlinedTextDevice::metric(PaintDeviceMetric metric) const
{
    switch (metric) {
    case PdmWidth:
        return m_size.width();
    case PdmHeight:
        return m_size.height();
    case PdmWidthMM:
        return qRound(m_size.width() * 25.4 / m_dpi);
    case PdmHeightMM:
        return qRound(m_size.height() * 25.4 / m_dpi);
    case PdmNumColors:
        return INT_MAX;
    case PdmDepth:
        return 32;
    case PdmDpiX:
    case PdmDpiY:
    case PdmPhysicalDpiX:
    case PdmPhysicalDpiY:
        return m_dpi;
    case PdmDevicePixelRatio:
        return 1;
    case PdmDevicePixelRatioScaled:
        return int(QPaintDevice::devicePixelRatioFScale());
    default:
        return QPaintDevice::metric(metric);
    }
}
