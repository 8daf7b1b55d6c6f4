#pragma once
// One object in detail, beside the Objects page's alignment table. Above, the picture that is also the
// "object-inspector" figure (charts/object_inspector_chart.h): its image, facts and strongest concept
// dimensions, and its nearest neighbours under the chosen model and under people as thumbnails, the shared
// ones framed. Below, every model's accuracy over its triplets (n and 95% interval) with a link to its wrong
// ones, and each model's neighbours beside people's with Jaccard@k and Spearman's rho.

#include "controllers/coalesced_call.h"
#include "figures/object_inspector_figure.h"

#include <QWidget>
#include <functional>
#include <string>

class ObjectAlignmentController;
class ObjectInspectorChart;
class QComboBox;
class QLabel;
class ThumbnailCache;
struct ObjectAlignmentResult;
namespace alignscope {
struct OddOneOutAnalysis;
}

// Object `stimulus` under model `model` (indices into `analysis`) as the inspector's figure; `image` gives a
// stimulus's image by path (null while it is not decoded). A message when an index is out of range or
// nothing is computed.
ObjectInspectorFigure objectInspectorFigure(const alignscope::OddOneOutAnalysis* analysis,
                                            const ObjectAlignmentResult* result, int stimulus, int model,
                                            const std::function<QImage(const std::string& path)>& image);

class ObjectInspector : public QWidget
{
    Q_OBJECT
public:
    ObjectInspector(ObjectAlignmentController* controller, ThumbnailCache* thumbnails,
                    QWidget* parent = nullptr);

    // The stimulus shown (its index in the analysis's objects); -1: none.
    void setObject(int stimulus);
    int object() const { return m_object; }
    QString text() const; // what the details say, as rich text
    // What the link under model `model` asks for (as if clicked).
    void openTriplets(int model);
    // The model whose neighbours the picture shows (an index in the analysis).
    void setFigureModel(int model);
    int figureModel() const;
    ObjectInspectorChart* chart() const { return m_chart; }
    // The picture for export: every image decoded now, so that the file has them.
    ObjectInspectorFigure exportedFigure() const;

Q_SIGNALS:
    // A model's link to its triplets that contain the object.
    void tripletsRequested(int stimulus, int model);

private:
    void refresh();

    ObjectAlignmentController* m_controller;
    ThumbnailCache* m_thumbnails;
    QComboBox* m_figureModel;
    ObjectInspectorChart* m_chart;
    QLabel* m_details;
    int m_object = -1;
    CoalescedCall m_refreshSoon{this, [this] { refresh(); }};
};
