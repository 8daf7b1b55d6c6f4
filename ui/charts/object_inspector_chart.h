#pragma once
// One object in detail (figures/object_inspector_figure.h): its image and facts, its strongest concept
// dimensions as bars, and its nearest neighbours under a model and under people as two rows of thumbnails,
// the neighbours in both lists framed. One paint routine for the inspector on screen and the exported
// figure; names wrap at word boundaries and shrink (not below 5 pt) rather than being cut.

#include "figures/object_inspector_figure.h"

#include <QRectF>
#include <QWidget>

class QPainter;
class QPaintDevice;

void paintObjectInspector(QPainter& painter, const QRectF& rect, const QFont& font,
                          const ObjectInspectorFigure& figure);
// The height (in the units of `device`) the figure needs at `width`: everything drawn fits in it.
double objectInspectorHeight(const ObjectInspectorFigure& figure, double width, const QFont& font,
                             QPaintDevice* device);

class ObjectInspectorChart : public QWidget
{
    Q_OBJECT
public:
    explicit ObjectInspectorChart(QWidget* parent = nullptr);
    void setFigure(ObjectInspectorFigure figure);
    const ObjectInspectorFigure& figureData() const { return m_figure; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    ObjectInspectorFigure m_figure;
};
