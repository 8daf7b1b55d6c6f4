#pragma once
// Two maps of the objects side by side — under a model and under people — each point coloured by the
// object's top concept dimension. One paint routine for the screen and figure export; hovering an object
// rings it in both maps (linked) and names it, a click reports it, a drag from an empty spot draws a lasso
// whose objects are outlined in both maps (a click on an empty spot clears them).

#include "figures/object_maps.h"

#include <QPolygonF>
#include <QRectF>
#include <QWidget>
#include <optional>
#include <vector>

class QPainter;

void paintObjectMaps(QPainter& painter, const QRectF& rect, const QFont& font, const ObjectMapsFigure& figure,
                     int hovered = -1);
// Where object `object` is drawn in map `panel` (0: the model's, 1: the people's).
QPointF objectMapsPointOf(const ObjectMapsFigure& figure, const QRectF& rect, const QFont& font,
                          QPaintDevice* device, int panel, int object);
// The height (in the units of `device`) the maps need at `width`: square-ish panels above a legend that
// names every top concept whole.
double objectMapsHeight(const ObjectMapsFigure& figure, double width, const QFont& font,
                        QPaintDevice* device);
// The objects whose points in the map where `lasso` starts lie inside it.
std::vector<int> objectMapsObjectsIn(const ObjectMapsFigure& figure, const QRectF& rect, const QFont& font,
                                     QPaintDevice* device, const QPolygonF& lasso);
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
    // The lasso's objects (outlined in both maps); what setFigure brings replaces them.
    void setSelection(std::vector<int> objects);
    const std::vector<int>& selection() const { return m_figure.selected; }

Q_SIGNALS:
    void objectClicked(int object);
    void selectionChanged(const std::vector<int>& objects); // a lasso drawn, or cleared by a click

protected:
    void paintEvent(QPaintEvent* event) override;
    void leaveEvent(QEvent* event) override; // the hovered ring goes
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    ObjectMapsFigure m_figure;
    int m_hovered = -1;
    QPolygonF m_lasso; // while dragging, in widget coordinates
};
