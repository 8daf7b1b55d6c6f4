#pragma once
// A paint device that forwards everything painted on it to another painter, except that text arrives there as
// glyph outlines (filled paths) at exactly the positions the text layout gives: an SVG then needs no font to
// look as the PNG and PDF do. Its unit is the target's (figures paint in points, 72 dpi).

#include <QPaintDevice>
#include <QSize>
#include <memory>

class QPainter;
class QPaintEngine;

class OutlinedTextDevice : public QPaintDevice
{
public:
    // `target` must stay active while a painter is open on this device; `size` and `dpi` are its own.
    OutlinedTextDevice(QPainter& target, QSize size, int dpi);
    ~OutlinedTextDevice() override;

    QPaintEngine* paintEngine() const override;

protected:
    int metric(PaintDeviceMetric metric) const override;

private:
    std::unique_ptr<QPaintEngine> m_engine;
    QSize m_size;
    int m_dpi;
};
