#pragma once
// Two maps of the objects side by side — under a model and under people — each point coloured by the
// object's top concept dimension. One paint routine for the screen and figure export; hovering an object
// rings it in both maps (linked) and names it, a click reports it.

#include "figures/object_maps.h"

#include <QRectF>
#include <QWidget>
#include <optional>

class QPainter;

void paintObjectMaps(QPainter& painter, const QRectF& rect, const QFont& font, const ObjectMapsFigure& figure,
                     int hovered = -1);
// Where object `object` is drawn in map `panel` (0: the model's, 1: the people's).
QPointF objectMapsPointOf(const ObjectMapsFigure& figure, const QRectF& rect, const QFont& font,
                          QPaintDevice* device, int panel, int object);
// The object drawn nearest `point` within a few pixels, in either map; none when nothing is there.
std::optional<int> objectMapsObjectAt(const ObjectMapsFigure& figure, const QRectF& rect, const QFont& font,
                                      QPaintDevice* device, const QPointF& point);

class ObjectMapsChart : public QWidget
{
    Q_OBJECT
public:
    explicit ObjectMapsChart(QWidget* parent = nullptr);
    void setFigure(ObjectMapsFigure figure);
    const ObjectMapsFigure& figureData() const { return m_figure; }
    int hovered() const { return m_hovered; }

Q_SIGNALS:
    void objectClicked(int object);

protected:
    void paintEvent(QPaintEvent* event) override;
    void leaveEvent(QEvent* event) override; // the hovered ring goes
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    ObjectMapsFigure m_figure;
    int m_hovered = -1;
};
